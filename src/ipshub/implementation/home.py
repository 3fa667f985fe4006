from django.db.models import Count, Q
from django.utils import timezone

from ipshub.implementation import access as impl_access
from ipshub.implementation import reminders, selectors
from ipshub.lib.due import due_soon
from ipshub.tenancy.models import Person
from ipshub.web.panels import Panel


def panels(person: Person) -> list[Panel]:
    today = timezone.localdate()
    result = []
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
        result.append(Panel("implementation/home_board.html", summary, order=10))
    else:
        items = reminders.due_items(person, today)
        if items:
            result.append(
                Panel(
                    "implementation/home_mine.html",
                    {"items": due_soon(items, today)[:10], "today": today},
                    order=20,
                )
            )
    return result
