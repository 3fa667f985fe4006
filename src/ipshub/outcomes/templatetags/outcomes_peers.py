"""How the peer page and the early-warning page write their figures (issue #23)."""

from django import template

register = template.Library()


@register.simple_tag
def peer_figure(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """A figure with its unit, or "no figure" (a program without one for the period)."""
    if value is None:
        return "no figure"
    return f"{value:.{decimals}f}{unit}"


@register.filter
def percent(chance: float) -> str:
    return f"{100 * chance:.0f}%"
