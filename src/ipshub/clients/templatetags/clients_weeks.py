"""`{% week_summary as block %}`: where the signed-in person's week stands against the employer-contact
standard (selectors.week_summary), for `clients/_week_summary.html`, with the heading level its place asks
for (`nested` in the including template's context: h3 inside a panel, else h2).

A tag rather than a view variable so the block can sit on any page the person opens (home, the caseload)
with one `{% include %}` line and no change to that page's view."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone

from ipshub.clients import selectors
from ipshub.clients.selectors import WeekSummary
from ipshub.lib.signed_in import person_of

register = template.Library()


@dataclass(frozen=True)
class WeekBlock:
    summary: WeekSummary
    nested: bool


@register.simple_tag(takes_context=True)
def week_summary(context: Any) -> WeekBlock | None:
    # context.get, not a template variable: an undefined variable would log the page's context (client data).
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    summary = selectors.week_summary(person_of(request), timezone.localdate())
    return WeekBlock(summary, bool(context.get("nested", False))) if summary is not None else None
