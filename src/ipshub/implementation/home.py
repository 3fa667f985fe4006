from django.db.models import Count, Q
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.implementation import access as impl_access
from ipshub.implementation import reminders, selectors
from ipshub.lib.due import due_soon
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

PROGRAM_LINKS = 10


def panels(person: Person) -> list[Panel]:
    today = timezone.localdate()
    if impl_access.sees_board(person):
        summary = impl_access.board_programs(person).aggregate(
            programs=Count("id", distinct=True),
            overdue=Count("assignments", filter=selectors.open_overdue_q(today, "assignments__")),
            programs_overdue=Count(
                "id",
                filter=Q(assignments__status__in=selectors.OPEN, assignments__due_on__lt=today),
                distinct=True,
            ),
        )
        return [Panel("implementation/home_board.html", summary, order=10)]
    programs = list(access.programs_visible_to(person).order_by("name").values("pk", "name")[:PROGRAM_LINKS])
    if not programs:
        return []
    items = reminders.due_items(person, today)
    return [
        Panel(
            "implementation/home_mine.html",
            {"items": due_soon(items, today)[:10], "today": today, "programs": programs},
            order=20,
        )
    ]
