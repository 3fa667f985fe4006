"""The report's chart of item scores, as server-rendered SVG: one code path for the web page and the PDF.

Bars show this review's consensus score per item; a diamond marks the previous review's score. The SVG is
labelled for assistive technology and always shown beside a data table with the same numbers.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ipshub.fidelity.selectors import ReportRow

ROW_HEIGHT = 18
LABEL_WIDTH = 250
SCALE_WIDTH = 300
TOP = 30
PAD = 10


def score_chart(rows: list[ReportRow], *, has_previous: bool, title: str) -> SafeString:
    width = LABEL_WIDTH + SCALE_WIDTH + 2 * PAD + 20
    height = TOP + ROW_HEIGHT * len(rows) + 40
    unit = SCALE_WIDTH / 5
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fidelity-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">'
        + escape(
            _(
                "Consensus score of each item from 1 to 5; diamonds mark the previous review's scores. "
                "The table that follows gives the same numbers."
            )
            if has_previous
            else _("Consensus score of each item from 1 to 5. The table that follows gives the same numbers.")
        )
        + "</desc>",
    ]
    x0 = LABEL_WIDTH + PAD
    cannot_rate, this_review, previous_review = (
        escape(_("cannot rate")),
        escape(_("This review")),
        escape(_("Previous review")),
    )
    for tick in range(0, 6):
        x = x0 + tick * unit
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{TOP + ROW_HEIGHT * len(rows)}" '
            'stroke="#dfe1e2" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{TOP - 10}" font-size="11" text-anchor="middle" fill="#1b1b1b">{tick}</text>'
        )
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        label = f"{row.item.number}. {row.item.local('name')}"
        if len(label) > 40:
            label = label[:39] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{y + 13}" font-size="11" text-anchor="end" fill="#1b1b1b">'
            f"{escape(label)}</text>"
        )
        if row.score is not None:
            parts.append(
                f'<rect x="{x0}" y="{y + 3}" width="{row.score * unit:.1f}" height="{ROW_HEIGHT - 6}" fill="#005ea2"/>'
            )
        else:
            parts.append(f'<text x="{x0 + 4}" y="{y + 13}" font-size="11" fill="#565c65">{cannot_rate}</text>')
        if has_previous and row.previous is not None:
            cx, cy = x0 + row.previous * unit, y + ROW_HEIGHT / 2
            parts.append(
                f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} '
                f'{cx - 6:.1f},{cy:.1f}" fill="#e5a000" stroke="#1b1b1b" stroke-width="1"/>'
            )
    legend_y = TOP + ROW_HEIGHT * len(rows) + 22
    parts.append(f'<rect x="{x0}" y="{legend_y - 10}" width="14" height="10" fill="#005ea2"/>')
    parts.append(f'<text x="{x0 + 20}" y="{legend_y}" font-size="11" fill="#1b1b1b">{this_review}</text>')
    if has_previous:
        lx = x0 + 120
        parts.append(
            f'<polygon points="{lx},{legend_y - 11} {lx + 6},{legend_y - 5} {lx},{legend_y + 1} '
            f'{lx - 6},{legend_y - 5}" fill="#e5a000" stroke="#1b1b1b" stroke-width="1"/>'
        )
        parts.append(f'<text x="{lx + 12}" y="{legend_y}" font-size="11" fill="#1b1b1b">{previous_review}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
