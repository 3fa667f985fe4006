"""Helpers for the tests that a service's write fulfils (or reopens) a duty of the roles matrix."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from django.db import connection
from django.utils import timezone

from ipshub.implementation.models import Assignment
from ipshub.tenancy.models import Program
from ipshub.tenancy.services import program_note_event
from tests.implementation.helpers import complete_partnership

Capture = Callable[..., AbstractContextManager[Any]]


@contextmanager
def committed(capture: Capture) -> Iterator[None]:
    """Run the block as a transaction that commits: the callbacks it registers (the reconcile that
    `hooks.work_changed` defers to the commit) run at its end.

    pytest-django's `django_capture_on_commit_callbacks(execute=True)` runs the callbacks but leaves them
    queued, and `work_changed` registers its reconcile only when none is queued: so the queue is emptied
    first (what the commit of the test's set-up would have done), and only a `work_changed` called inside
    the block can reconcile. A service that forgets to call it leaves its duty open, and the test fails.
    """
    connection.run_on_commit.clear()
    with capture(execute=True):
        yield
    connection.run_on_commit.clear()


def today() -> datetime.date:
    return timezone.localdate()


def month_key(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def quarter_key(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter(day: datetime.date) -> datetime.date:
    """A day of the quarter before the one holding `day`."""
    return quarter_start(day) - datetime.timedelta(days=1)


def assignment(program: Program, key: str, period_key: str = "") -> Assignment:
    return Assignment.objects.get(program=program, responsibility__key=key, period_key=period_key)


def links(found: Assignment) -> list[dict[str, Any]]:
    """The assignment's `fulfilled_by` links, as the API gives them (kind, id, url, on)."""
    return [{k: link[k] for k in ("kind", "id", "url", "on")} for link in found.fulfilled_by]


def to_implementation(program: Program, actor: Any) -> None:
    """Move a world program (opened on its phase_since, in 'prior') into implementation."""
    complete_partnership(program, actor)
    assert program_note_event(
        actor=actor, program=program, event="first_referral", on=program.phase_since + datetime.timedelta(days=30)
    )
