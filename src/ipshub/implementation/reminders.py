import datetime

from django.urls import reverse

from ipshub.implementation import selectors
from ipshub.lib.due import DueItem
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

MAX_ITEMS = 200


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """Open responsibilities owned by the person, or by their organization with nobody named."""
    items = (
        selectors.my_assignments(person, access.organization_ids(person))
        .filter(status__in=selectors.OPEN, program__in=access.programs_visible_to(person))
        .order_by("due_on", "pk")[:MAX_ITEMS]
    )
    return [
        DueItem(
            kind="responsibility",
            key=f"responsibility:{a.pk}",
            title=a.responsibility.text,
            due_on=a.due_on,
            url=reverse("implementation:assignment", args=[a.pk]),
            program_name=a.program.name,
        )
        for a in items
    ]
