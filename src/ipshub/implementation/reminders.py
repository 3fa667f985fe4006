"""What comes due in the roles matrix for a person (their own responsibilities, `selectors.own_assignments_q`),
and what the work closed by itself lately in their programs. Each in one query whatever the data size."""

import datetime

from django.db.models import Count, Window
from django.utils import timezone
from django.utils.translation import get_language

from ipshub.catalog.translations import local
from ipshub.implementation import selectors
from ipshub.implementation.models import Assignment, ItemStatus, StatusSource
from ipshub.lib.due import Closed, ClosedItem, DueItem, url_for_each
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

MAX_ITEMS = 200
# Reminders look this far ahead at most (the digest and the reminders page two weeks, home pages one).
HORIZON = datetime.timedelta(days=31)


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """The person's own open responsibilities due within the horizon or overdue. Superseded, not applicable,
    waived and done never come due. Past MAX_ITEMS the oldest overdue are left out, so what comes due soon
    is always there."""
    rows = access.person_rows(
        person,
        "implementation.due_items",
        today,
        lambda: (
            selectors.my_assignments(person)
            .filter(status__in=selectors.OPEN, due_on__lte=today + HORIZON)
            .order_by("-due_on", "-pk")
            .values_list("pk", "due_on", "responsibility__text", "responsibility__translations", "program__name")[
                :MAX_ITEMS
            ]
        ),
    )
    url_of = url_for_each("implementation:assignment")
    language = get_language()  # once, not per item: up to MAX_ITEMS titles
    return [
        DueItem(
            kind="responsibility",
            key=f"responsibility:{pk}",
            title=local({"text": text, "translations": translations}, "text", language),
            due_on=due_on,
            url=url_of(pk),
            program_name=program_name,
        )
        for pk, due_on, text, translations, program_name in reversed(rows)
    ]


def closed_by_work(person: Person, since: datetime.datetime, limit: int) -> Closed:
    """Responsibilities of the person's programs that the recorded work closed since `since`: how many, and
    the latest `limit` (with the count in the same query)."""
    rows = access.person_rows(
        person,
        f"implementation.closed_by_work:{limit}",
        since,
        lambda: (
            Assignment.objects.filter(
                program_id__in=access.visible_program_ids(person),
                status=ItemStatus.DONE,
                status_source=StatusSource.WORK,
                status_changed_at__gte=since,
            )
            .annotate(total=Window(Count("id")))
            .order_by("-status_changed_at", "-pk")
            .values_list(
                "pk",
                "status_changed_at",
                "responsibility__text",
                "responsibility__translations",
                "program__name",
                "fulfilled_by",
                "total",
            )[:limit]
        ),
    )
    url_of = url_for_each("implementation:assignment")
    items = [
        ClosedItem(
            title=local({"text": text, "translations": translations}, "text"),
            url=url_of(pk),
            closed_on=timezone.localdate(changed_at),
            program_name=program_name,
            closed_by=str(links[0].get("label") or "") if links else "",
        )
        for pk, changed_at, text, translations, program_name, links, _ in rows
    ]
    return Closed(total=rows[0][-1] if rows else 0, items=items)
