from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.panels import Panel
from ipshub.fidelity.access import reviews_visible_to
from ipshub.fidelity.models import Review
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person

SHOWN = 5


def panels(person: Person) -> list[Panel]:
    """The next reviews under way that the person can see (state team, reviewers, program partners)."""
    if not tenancy_access.seats(person):
        return []
    reviews = list(
        reviews_visible_to(person)
        .filter(status__in=Review.OPEN_STATUSES)
        .select_related("program")
        .order_by("due_on", "pk")[:SHOWN]
    )
    if not reviews:
        return []
    return [
        Panel(
            "fidelity/_home_panel.html",
            {"heading": _("Fidelity reviews coming up"), "reviews": reviews, "today": timezone.localdate()},
            order=40,
        )
    ]
