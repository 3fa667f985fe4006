"""Figures on screen under the small-count rule: `{% figure value exact %}`, `{% figure_rate worked served exact %}`.

`{% report_figures report as rows %}` lists a report's figures as declared (figures.py).

Unless the viewer may see exact figures (`exact`: the rule of the exports, see views.py), a count under 11
shows as "<11" and a rate built on such a count is withheld."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from ipshub.outcomes.figures import FIGURES, Figure
from ipshub.outcomes.metrics import rate, shown, shown_rate
from ipshub.outcomes.models import BenchmarkLevel
from ipshub.outcomes.uploads import COLUMNS

register = template.Library()


@register.simple_tag
def figure(value: int | None, exact: bool) -> str:
    if value is None:
        return "—"
    return str(value) if exact else shown(value)


@register.simple_tag
def figure_rate(worked: int | None, served: int | None, exact: bool) -> str:
    value = rate(worked, served) if worked is not None and served is not None else None
    if value is None:
        return "—"
    return f"{value}%" if exact else shown_rate(worked, served, value)


@register.simple_tag
def report_figures(report: Any) -> list[tuple[Figure, Any]]:
    """Each declared figure (figures.py) with the report's value, in order: `{% report_figures report as rows %}`."""
    return [(figure, getattr(report, figure.name)) for figure in FIGURES]


@register.simple_tag
def upload_columns() -> str:
    """The upload's columns as the page lists them: "year, quarter, definition (optional), served, ...", each
    name in <code> (an identifier of the file, never translated)."""
    names = []
    for column in COLUMNS:
        code = format_html("<code>{}</code>", column)
        names.append(format_html(gettext("{column} (optional)"), column=code) if column == "definition" else code)
    return format_html_join(", ", "{}", ((name,) for name in names))


@register.filter
def benchmark_level(level: str) -> str:
    """A benchmark level's name in the reader's language ("minimal" → "mínimo"), lower case as in a sentence."""
    return str(BenchmarkLevel(level).label).lower() if level in BenchmarkLevel.values else level
