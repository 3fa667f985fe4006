"""The work that fulfils the roles matrix: what areas record, as implementation reads it.

Each responsibility of the catalog names, in its `fulfilment.by`, the *work sources* whose records fulfil it
("client.career_profile", "meeting.planning", "fidelity.delivered"...). The area that keeps those records
declares each source in its `hooks.py` (`Hooks.work_sources`); implementation asks every source for the
programs it reconciles and closes, reopens or supersedes their assignments (implementation/fulfilment.py).
Implementation never imports the areas, and a new area brings its own sources.

An area's service that writes such a record calls `hooks.work_changed(program_id)`: after the transaction
commits, the programs touched are reconciled once (a failure there never loses the write; the daily
`ipshub reconcile` catches up, and also moves the periods on).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Work:
    """One record that fulfils a duty of one program."""

    program_id: int
    kind: str  # what it is, shown to people and in the API: "meeting", "career_profile", "fidelity_review"...
    id: int
    url: str  # where a person sees it (the page checks their access)
    on: datetime.date  # when the work happened
    label: str = ""  # "IPS unit meeting, Nov 3, 2026"
    # The period the work is for, when that is not when it happened: the quarter a report covers.
    covers: datetime.date | None = None
    # The parties of the program the record shows present (a meeting's attendees, a trainee's party);
    # None when presence means nothing for this kind of record.
    parties: frozenset[str] | None = None

    def as_link(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "url": self.url, "on": self.on.isoformat(), "label": self.label}


@dataclass(frozen=True)
class Ask:
    """Something a duty answers when asked (a data request, a DVR report waiting for review)."""

    program_id: int
    kind: str
    id: int
    url: str
    asked_on: datetime.date
    due_on: datetime.date
    answer: Work | None = None  # None while unanswered


# `(program_ids, since) -> works`: every fulfilling record of those programs dated on or after `since`. Keep the
# answer small: a source with many records a month (employer contacts) gives the first of each month.
FindWork = Callable[[list[int], datetime.date], Iterable[Work]]
# `(program_ids, since) -> asks`: what was asked of those programs on or after `since`.
FindAsks = Callable[[list[int], datetime.date], Iterable[Ask]]


@dataclass(frozen=True)
class WorkSource:
    key: str  # the name the catalog's `fulfilment.by` uses
    describe: str  # "Career profiles completed or updated"
    missing: str  # said when a closed duty reopens because this work is gone: "The career profile was removed."
    find: FindWork
    asks: FindAsks | None = None  # only for sources of `when_asked` duties
    # Where a person records this work for a program (`program_id -> url`), offered on the assignment's page.
    record_at: Callable[[int], str] | None = None


@dataclass(frozen=True)
class ReviewPeriod:
    """One fidelity review of a program, as the period its fidelity-phase duties are due in."""

    program_id: int
    key: str  # "review:12"
    label: str  # "Baseline fidelity review, visit Mar 3, 2026"
    start: datetime.date  # when the review was scheduled
    visit_on: datetime.date  # the visit's first day (or the date the review is due, before a visit is set)
    report_on: datetime.date | None  # when the report was delivered
    end: datetime.date | None  # the next review's start (None for the latest)


# `(program_ids) -> {program_id: reviews}` in date order; cancelled reviews are left out.
ReviewPeriods = Callable[[list[int]], Mapping[int, list[ReviewPeriod]]]


class Reconcile(Protocol):
    """Reconcile these programs' assignments (implementation contributes it); with `keys`, only the duties
    those work sources fulfil."""

    def __call__(self, program_ids: set[int], keys: frozenset[str] | None = None, /) -> None: ...
