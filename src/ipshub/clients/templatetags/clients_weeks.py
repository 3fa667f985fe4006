"""`{% week_summary as summary %}`: where the signed-in person's week stands against the employer-contact
standard (selectors.week_summary), for `clients/_week_summary.html`.

A tag rather than a view variable so the block can sit on any page the person opens (home, the caseload)
with one `{% include %}` line and no change to that page's view."""

from typing import Any

from django import template
from django.utils import timezone

from ipshub.clients import selectors
from ipshub.clients.selectors import WeekSummary
from ipshub.lib.signed_in import person_of

register = template.Library()


@register.simple_tag(takes_context=True)
def week_summary(context: dict[str, Any]) -> WeekSummary | None:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return selectors.week_summary(person_of(request), timezone.localdate())
