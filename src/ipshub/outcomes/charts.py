"""Server-rendered SVG charts: one code path for the web page and the PDF. Each chart is paired with a
data table on the page; the SVG carries a title and a short description for screen readers."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 96, 16, 36
BENCHMARK_CLASSES = {"minimal": "ipshub-bm-minimal", "average": "ipshub-bm-average", "excellent": "ipshub-bm-excellent"}


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | None


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

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ipshub-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe(points))} The table below gives every value.</desc>',
    ]
    for tick in range(0, int(top) + 1, 20):
        ty = y(Decimal(tick))
        parts.append(f'<line class="ipshub-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(f'<text class="ipshub-axis" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick}%</text>')
    for level, value in benchmarks.items():
        if value > top:
            continue
        by = y(value)
        css = BENCHMARK_CLASSES.get(level, "ipshub-bm-average")
        parts.append(f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{by:.1f}" y2="{by:.1f}"/>')
        parts.append(
            f'<text class="ipshub-axis" x="{WIDTH - RIGHT + 4}" y="{by + 4:.1f}">'
            f"{escape(level.title())} {value}%</text>"
        )
    if target is not None and target <= top:
        gy = y(target)
        parts.append(f'<line class="ipshub-target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>')
        parts.append(f'<text class="ipshub-axis" x="{WIDTH - RIGHT + 4}" y="{gy + 4:.1f}">Goal {target}%</text>')
    label_every = max(1, len(points) // 10)
    segment: list[str] = []
    for i, point in enumerate(points):
        px = LEFT + i * step
        if i % label_every == 0 or i == len(points) - 1:
            parts.append(
                f'<text class="ipshub-axis" x="{px:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                f"{escape(point.label)}</text>"
            )
        if point.value is None:
            if len(segment) > 1:
                parts.append(f'<polyline class="ipshub-line" points="{" ".join(segment)}"/>')
            segment = []
            continue
        py = y(point.value)
        segment.append(f"{px:.1f},{py:.1f}")
        parts.append(f'<circle class="ipshub-dot" cx="{px:.1f}" cy="{py:.1f}" r="3"/>')
    if len(segment) > 1:
        parts.append(f'<polyline class="ipshub-line" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _describe(points: list[Point]) -> str:
    known = [p for p in points if p.value is not None]
    if not known:
        return "No rate to show in this period (no accepted figures, or counts under 11 withheld)."
    first, last = known[0], known[-1]
    return f"Employment rate from {first.value}% in {first.label} to {last.value}% in {last.label}."
