"""Figures on screen under the small-count rule: `{% figure value exact %}`, `{% figure_rate worked served exact %}`.

Unless the viewer may see exact figures (`exact`: the rule of the exports, see views.py), a count under 11
shows as "<11" and a rate built on such a count is withheld."""

from django import template

from ipshub.outcomes.metrics import rate, shown, shown_rate

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
