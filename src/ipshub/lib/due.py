"""Things that come due, contributed by every area (its `reminders.py`), for home pages, the e-mail
digest and the calendar feed; and what the work closed by itself lately (an area's optional
`reminders.closed_by_work`), for home pages.

One rule everywhere: an item is overdue when it is still open and its due date has passed. Each area decides
what is open and whose it is (implementation: `selectors.own_assignments_q` and `open_overdue_q`), so every
place that lists due items (home, reminders, digest, calendar feed) reads the same truth.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from ipshub.lib.contributions import area_modules

_ANY_ID = 987654321


def url_for_each(view_name: str) -> Callable[[int], str]:
    """The URL of `view_name` (a page keyed by one object id) for any id, from a single reverse(): reminders list up
    to hundreds of items, and a reverse() each was a measurable share of a home page."""
    pattern = reverse(view_name, args=[_ANY_ID]).replace(str(_ANY_ID), "{}")
    return pattern.format


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


@dataclass(frozen=True)
class ClosedItem:
    """Something that closed by itself: the work that fulfils it was recorded."""

    title: str
    url: str
    closed_on: datetime.date
    program_name: str = ""
    closed_by: str = ""  # a label of the record that closed it ("IPS unit meeting, Nov 3, 2026")


@dataclass
class Closed:
    total: int = 0
    items: list[ClosedItem] = field(default_factory=list)


def all_closed_by_work(person: object, since: datetime.datetime, limit: int = 3) -> Closed:
    """What closed by itself since `since` in the person's programs, from the areas that say
    (`reminders.closed_by_work(person, since, limit) -> Closed`): the total and the latest few."""
    result = Closed()
    for module in area_modules("reminders"):
        closed_by_work = getattr(module, "closed_by_work", None)
        if closed_by_work is None:
            continue
        found: Closed = closed_by_work(person, since, limit)
        result.total += found.total
        result.items.extend(found.items)
    result.items = sorted(result.items, key=lambda i: (i.closed_on, i.title), reverse=True)[:limit]
    return result
