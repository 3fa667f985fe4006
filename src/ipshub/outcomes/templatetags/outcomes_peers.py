"""How the peer page and the early-warning page write their figures (issue #23)."""

from typing import Any

from django import template
from django.utils.translation import gettext

from ipshub.lib.signed_in import person_of
from ipshub.outcomes import peers
from ipshub.tenancy.models import Program

register = template.Library()


@register.simple_tag
def peer_figure(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """A figure with its unit, or "no figure" (a program without one for the period)."""
    if value is None:
        return gettext("no figure")
    return f"{value:.{decimals}f}{gettext(unit) if unit.strip(' %') else unit}"


@register.filter
def percent(chance: float) -> str:
    return f"{100 * chance:.0f}%"


@register.simple_tag(takes_context=True)
def sees_peers(context: Any, program: Program) -> bool:
    """Whether the viewer may see the program's peer standing (no query: the seats are already loaded)."""
    return peers.may_see_peers(person_of(context["request"]), program)
