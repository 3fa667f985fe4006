"""Server-rendered SVG charts: one code path for the web page and the PDF. Each chart is paired with a
data table on the page; the SVG carries a title and a short description for screen readers.

Every colour, stroke, fill and font size is written on the SVG's own elements (presentation attributes), not
left to a stylesheet: WeasyPrint draws an inline SVG without the page's CSS, where a polyline with no `fill`
is filled black, a line with no `stroke` is invisible and text takes the default 16 px and runs off the edge.
The classes stay so the web page's stylesheet can still adjust them."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 256
# The right margin holds the benchmark labels ("Excellent 50%": 13 characters of 11 px text, under 80 px).
LEFT, RIGHT, TOP, BOTTOM = 44, 100, 16, 52
FONT = 'font-family="sans-serif" font-size="11" fill="#1b1b1b"'
TEXT_CHAR_WIDTH = 6.5  # an upper bound of one character's width at 11 px, for the tests' fit check
BENCHMARK_CLASSES = {"minimal": "ipshub-bm-minimal", "average": "ipshub-bm-average", "excellent": "ipshub-bm-excellent"}
BENCHMARK_STROKES = {
    "minimal": 'stroke="#b50909" stroke-width="1.5" stroke-dasharray="6 4"',
    "average": 'stroke="#936f38" stroke-width="1.5" stroke-dasharray="2 3"',
    "excellent": 'stroke="#00a91c" stroke-width="1.5" stroke-dasharray="8 3 2 3"',
}
LINE = 'fill="none" stroke="#005ea2" stroke-width="2.5" stroke-linejoin="round"'
GRID = 'stroke="#dfe1e2" stroke-width="1"'
TARGET = 'stroke="#162e51" stroke-width="1.5" stroke-dasharray="1 3"'
DOT = 'fill="#005ea2" stroke="#005ea2"'
# A quarter that not every program is in: an open dot, and an asterisk under its label.
OPEN_DOT = 'fill="#ffffff" stroke="#005ea2" stroke-width="2"'


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | None
    incomplete: bool = False


def rate_chart(
    chart_id: str, title: str, points: list[Point], benchmarks: dict[str, Decimal], target: Decimal | None = None
) -> SafeString:
    """A line chart of employment rate (0-100%) by quarter, with the benchmark lines."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    known = [p.value for p in points if p.value is not None]
    top = Decimal(100) if not known or max(known) > 60 else Decimal(60)
    step = plot_w / max(len(points) - 1, 1)

    def y(value: Decimal) -> float:
        return TOP + plot_h - float(value / top) * plot_h

    table_note = _("The table below gives every value.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ipshub-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe(points))} {escape(table_note)}</desc>',
    ]
    for tick in range(0, int(top) + 1, 20):
        ty = y(Decimal(tick))
        parts.append(f'<line class="ipshub-grid" {GRID} x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(
            f'<text class="ipshub-axis" {FONT} x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick}%</text>'
        )
    for level, value in benchmarks.items():
        if value > top:
            continue
        by = y(value)
        css = BENCHMARK_CLASSES.get(level, "ipshub-bm-average")
        stroke = BENCHMARK_STROKES.get(level, BENCHMARK_STROKES["average"])
        parts.append(f'<line class="{css}" {stroke} x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{by:.1f}" y2="{by:.1f}"/>')
        parts.append(
            f'<text class="ipshub-axis ipshub-bm-label" {FONT} x="{WIDTH - RIGHT + 4}" y="{by + 4:.1f}">'
            f"{escape(_level(level))} {value}%</text>"
        )
    if target is not None and target <= top:
        gy = y(target)
        parts.append(
            f'<line class="ipshub-target" {TARGET} x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>'
        )
        parts.append(f'<text class="ipshub-axis" {FONT} x="{WIDTH - RIGHT + 4}" y="{gy + 4:.1f}">Goal {target}%</text>')
    label_every = max(1, len(points) // 10)
    segment: list[str] = []
    for i, point in enumerate(points):
        px = LEFT + i * step
        if i % label_every == 0 or i == len(points) - 1:
            mark = "*" if point.incomplete else ""
            parts.append(
                f'<text class="ipshub-axis" {FONT} x="{px:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                f"{escape(point.label)}{mark}</text>"
            )
        if point.value is None:
            if len(segment) > 1:
                parts.append(_polyline(segment))
            segment = []
            continue
        py = y(point.value)
        segment.append(f"{px:.1f},{py:.1f}")
        dot = ("ipshub-dot ipshub-dot-incomplete", OPEN_DOT) if point.incomplete else ("ipshub-dot", DOT)
        parts.append(f'<circle class="{dot[0]}" {dot[1]} cx="{px:.1f}" cy="{py:.1f}" r="3.5"/>')
    if len(segment) > 1:
        parts.append(_polyline(segment))
    if any(p.incomplete for p in points):
        parts.append(
            f'<text class="ipshub-axis ipshub-incomplete-note" {FONT} x="{LEFT}" y="{HEIGHT - 8}">'
            "* Incomplete quarter: not every program's report is in the total (open dot).</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _polyline(segment: list[str]) -> str:
    # fill="none" on the element itself: without it a PDF renderer fills the shape under the line black.
    return f'<polyline class="ipshub-line" {LINE} points="{" ".join(segment)}"/>'


def _level(level: str) -> str:
    names = {"minimal": _("Minimal"), "average": _("Average"), "excellent": _("Excellent")}
    return names.get(level, level.title())


def _describe(points: list[Point]) -> str:
    known = [p for p in points if p.value is not None]
    if not known:
        return _("No rate to show in this period (no accepted figures, or counts under 11 withheld).")
    first, last = known[0], known[-1]
    text = _("Employment rate from %(first)s%% in %(first_quarter)s to %(last)s%% in %(last_quarter)s.") % {
        "first": first.value,
        "first_quarter": first.label,
        "last": last.value,
        "last_quarter": last.label,
    }
    incomplete = [p.label for p in points if p.incomplete]
    if incomplete:
        text += " " + _("Not every program reported in %(quarters)s.") % {"quarters": ", ".join(incomplete)}
    return text
