"""Things that come due, contributed by every area (its `reminders.py`), for home pages, the e-mail
digest and the calendar feed."""

import datetime
from dataclasses import dataclass

from ipshub.lib.contributions import area_modules


@dataclass(frozen=True)
class DueItem:
    kind: str  # e.g. "responsibility", "action", "review", "quarterly_report", "meeting", "cadence"
    key: str  # stable id for de-duplicating reminders, e.g. "responsibility:123"
    title: str
    due_on: datetime.date
    url: str
    program_name: str = ""

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on < today


def due_soon(items: list[DueItem], today: datetime.date, days: int = 14) -> list[DueItem]:
    horizon = today + datetime.timedelta(days=days)
    return sorted((i for i in items if i.due_on <= horizon), key=lambda i: (i.due_on, i.title))


def all_due_items(person: object, today: datetime.date, days: int = 14) -> list[DueItem]:
    """Every area's due items for the person (their `reminders.py`), soonest first, overdue included."""
    items: list[DueItem] = []
    for module in area_modules("reminders"):
        items.extend(module.due_items(person, today))
    unique = {item.key: item for item in items}
    return due_soon(list(unique.values()), today, days=days)
