"""The state team's implementation board at a glance. A person's own responsibilities are not a panel: they
come through `reminders.due_items` into the home page's "Needs you now", ranked with every area's items."""

from django.db.models import Count
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.implementation import access as impl_access
from ipshub.implementation import selectors
from ipshub.tenancy.models import Person


def panels(person: Person) -> list[Panel]:
    return []


def first_panels(person: Person) -> list[Panel]:
    """The state team's programs at a glance, right after what needs them now on their home page."""
    if not impl_access.sees_board(person):
        return []
    today = timezone.localdate()
    overdue = selectors.open_overdue_q(today, "assignments__")
    summary = impl_access.board_programs(person).aggregate(
        programs=Count("id", distinct=True),
        overdue=Count("assignments", filter=overdue),
        programs_overdue=Count("id", filter=overdue, distinct=True),
    )
    return [Panel("implementation/home_board.html", summary, order=10)]
