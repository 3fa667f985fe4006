"""The one way areas contribute to each other: each area's `hooks.py` declares `HOOKS = Hooks(...)`.

An area never imports another area. Where one needs what another knows, the need is a hook point here (a
typed field of `Hooks`), the area that knows fills it in its own `hooks.py`, and the area that needs it asks
this module (`history_loader()`, `reviewer_program_ids(person)`...):

    hook point              contributed by                      asked by
    phase_gates             implementation (partnership set-up) tenancy: changing a program's phase
    phase_entered           implementation, fidelity            tenancy: a program enters a phase
    follow_up_converters    fidelity (action-plan item)         collaboration: converting a follow-up
    history_loader          clients (client histories)          outcomes: computed quarterly reports
    fidelity_evidence       clients (the scale's inputs)        fidelity: evidence from the records
    reviewer_program_ids    fidelity (review windows)           clients: a reviewer's read-only access
    work_sources            every area (records that fulfil     implementation: reconciling assignments
                            the roles matrix; see work.py)
    review_periods          fidelity (each review)              implementation: duties per review
    reconcile               implementation (assignments)        any area: `work_changed(program_id)`
    chart_candidates,       clients (the sample's candidates    fidelity: the chart-review worksheet
    chart_rows              and their key dates)                (review preparation, issue #26)
    fidelity_links          fidelity (items, action items)      collaboration: what a TA entry addresses
    program_activity        clients (contacts, caseloads,       outcomes: peer percentiles, early warning
                            days to first contact per quarter)  (issue #23)
    fidelity_totals         fidelity (last review's total)      outcomes: peer percentiles

The phase hook points are declared in tenancy/phases.py, beside the phase, because tenancy (below areakit)
calls them. The values that cross between areas are in records.py.

Which areas contribute: `settings.AREA_HOOKS`, read through `lib.contributions` at call time. This layer sits
below the areas, so it must not import them; the settings (the top layer) already list the installed apps,
and a setting is what a test can change with `override_settings` to add or replace a contribution, without a
registry to fill and empty. Nothing is registered at start-up and there is no module-level state.
"""

import datetime
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ipshub.areakit.records import (
    ChartClient,
    ClientHistory,
    FidelityInputs,
    FidelityLinks,
    FidelityTotal,
    QuarterActivity,
)
from ipshub.areakit.work import Reconcile, ReviewPeriod, ReviewPeriods, WorkSource
from ipshub.lib.contributions import contributions
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.phases import PhaseEntered, PhaseGate


class FollowUpSeries(Protocol):
    @property
    def program(self) -> Program | None: ...  # None: a statewide series


class FollowUpMeeting(Protocol):
    @property
    def series(self) -> FollowUpSeries: ...


class FollowUp(Protocol):
    """What a converter reads of a collaboration FollowUp, which this layer may not import."""

    @property
    def meeting(self) -> FollowUpMeeting: ...
    @property
    def text(self) -> str: ...
    @property
    def owner(self) -> Person | None: ...
    @property
    def due_on(self) -> datetime.date | None: ...


class ConvertFollowUp(Protocol):
    """Turn a meeting follow-up into the area's own record, inside `follow_up_convert`'s transaction; return
    where it went ("responsibility:12"), stored on the follow-up."""

    def __call__(self, *, actor: Person, follow_up: FollowUp) -> str: ...


@dataclass(frozen=True)
class FollowUpConverter:
    target: str  # the value the meeting page posts, e.g. "fidelity-action"
    label: str  # the button's words
    convert: ConvertFollowUp


# `(program_ids, first_day, last_day) -> {program_id: histories}`: every client of those programs whose
# enrollment touches [first_day, last_day] (or who entered in it), in a fixed number of queries.
HistoryLoader = Callable[[list[int], datetime.date, datetime.date], Mapping[int, Iterable[ClientHistory]]]
# `(program, first_day, last_day) -> inputs`: the records the fidelity evidence of the period is scored from.
FidelityEvidence = Callable[[Program, datetime.date, datetime.date], FidelityInputs]

# Review preparation (issue #26). `(program, first_day, last_day) -> enrollment ids`: the program's clients
# open at some time in the period (referred by its last day, not closed before its first), in one query.
ChartCandidates = Callable[[Program, datetime.date, datetime.date], list[int]]
# `(program, enrollment_ids) -> rows`: those clients' key dates, in a fixed number of queries.
ChartRows = Callable[[Program, list[int]], list[ChartClient]]

# Peer percentiles and the early warning (issue #23). `(program_ids or None for every program, first_day,
# last_day) -> one value per program and quarter with any activity`, in a fixed number of queries.
ProgramActivity = Callable[[list[int] | None, datetime.date, datetime.date], list[QuarterActivity]]
# `(program_ids or None for every program) -> {program_id: its last delivered review's total}`.
FidelityTotals = Callable[[list[int] | None], Mapping[int, FidelityTotal]]


class ReviewerPrograms(Protocol):
    """The programs whose client records `person` may read (never change) as a reviewer at `at` (default now)."""

    def __call__(self, person: Person, at: datetime.datetime | None = None) -> set[int]: ...


@dataclass(frozen=True)
class Hooks:
    """What one area contributes; every field is optional."""

    phase_gates: tuple[PhaseGate, ...] = ()
    phase_entered: tuple[PhaseEntered, ...] = ()
    follow_up_converters: tuple[FollowUpConverter, ...] = ()
    history_loader: HistoryLoader | None = None
    fidelity_evidence: FidelityEvidence | None = None
    reviewer_program_ids: ReviewerPrograms | None = None
    work_sources: tuple[WorkSource, ...] = ()
    review_periods: ReviewPeriods | None = None
    reconcile: Reconcile | None = None
    # Review preparation (issue #26): the chart-review worksheet's sample and rows.
    chart_candidates: ChartCandidates | None = None
    chart_rows: ChartRows | None = None
    # From finding to result (issue #23): the items and action items a TA entry may name.
    fidelity_links: Callable[[Program], FidelityLinks] | None = None
    # Peer percentiles and the early warning (issue #23): job-development activity and fidelity totals.
    program_activity: ProgramActivity | None = None
    fidelity_totals: FidelityTotals | None = None


def area_hooks() -> list[Hooks]:
    """Each area's contribution, in the order of `settings.AREA_HOOKS`."""
    found = contributions()
    for hooks in found:
        if not isinstance(hooks, Hooks):
            raise ImproperlyConfigured(f"An area contributes {hooks!r}: an areakit.hooks.Hooks was expected.")
    return found  # type: ignore[return-value]  # each checked above


def follow_up_converters() -> list[FollowUpConverter]:
    return [converter for hooks in area_hooks() for converter in hooks.follow_up_converters]


def follow_up_converter(target: str) -> FollowUpConverter | None:
    return next((c for c in follow_up_converters() if c.target == target), None)


T = TypeVar("T")


def _the_one(name: str, values: list[T | None]) -> T | None:
    """The single contribution to a hook point only one area can fill (None when no area does)."""
    given = [value for value in values if value is not None]
    if len(given) > 1:
        raise ImproperlyConfigured(f"{len(given)} areas contribute the {name}; one may.")
    return given[0] if given else None


def history_loader() -> HistoryLoader | None:
    """The loader of client histories; without one, computed outcome reports are off."""
    return _the_one("history loader", [hooks.history_loader for hooks in area_hooks()])


def fidelity_evidence(program: Program, first_day: datetime.date, last_day: datetime.date) -> FidelityInputs:
    """The records the program's fidelity evidence for the period is scored from (none without a contributor)."""
    provider = _the_one("fidelity evidence", [hooks.fidelity_evidence for hooks in area_hooks()])
    return FidelityInputs() if provider is None else provider(program, first_day, last_day)


def reviewer_program_ids(person: Person, at: datetime.datetime | None = None) -> set[int]:
    """The programs whose client records `person` may read as a reviewer at `at` (default now)."""
    return {
        program_id
        for hooks in area_hooks()
        if hooks.reviewer_program_ids is not None
        for program_id in hooks.reviewer_program_ids(person, at)
    }


# --- The work that fulfils the roles matrix (see work.py) ------------------------------------------


def work_sources() -> dict[str, WorkSource]:
    """Every contributed work source by key; two areas may not declare the same key."""
    found: dict[str, WorkSource] = {}
    for hooks in area_hooks():
        for source in hooks.work_sources:
            if source.key in found:
                raise ImproperlyConfigured(f"Two areas declare the work source {source.key!r}; one may.")
            found[source.key] = source
    return found


def review_periods(program_ids: list[int]) -> Mapping[int, list[ReviewPeriod]]:
    """Each program's fidelity reviews as periods (none without a contributor)."""
    provider = _the_one("review periods", [hooks.review_periods for hooks in area_hooks()])
    return {} if provider is None else provider(program_ids)


def reconcile_programs(program_ids: Iterable[int], keys: frozenset[str] | None = None) -> None:
    """Reconcile these programs' assignments now (with every contributed reconciler); with `keys`, only the
    duties those work sources fulfil (a write that touched one kind of record)."""
    ids = set(program_ids)
    for hooks in area_hooks():
        if ids and hooks.reconcile is not None:
            hooks.reconcile(ids, keys)


_pending = threading.local()


def work_changed(program_id: int | None, *sources: str) -> None:
    """A record that may fulfil a duty of this program was written, changed or removed: reconcile the
    program once the current transaction commits (at once outside one). Name the `sources` the record feeds
    to reconcile only their duties (the hot paths: an employer contact); without, every duty of the program.
    Calls within one transaction are gathered, so a request that writes ten records reconciles once."""
    if program_id is None:
        return
    keys = frozenset(sources) or None
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        reconcile_programs({program_id}, keys)
        return
    # Register once per transaction: again when our callback has run (the flag is down) or was dropped by a
    # rollback (it is no longer queued).
    queued = any(callback is _flush for _, callback, _ in connection.run_on_commit)
    if not (queued and getattr(_pending, "waiting", False)):
        _pending.programs = {}
        _pending.waiting = True
        transaction.on_commit(_flush)
    programs: dict[int, frozenset[str] | None] = _pending.programs
    if keys is None:
        programs[program_id] = None  # every duty of the program
    elif program_id not in programs or programs[program_id] is not None:
        programs[program_id] = (programs.get(program_id) or frozenset()) | keys


def _flush() -> None:
    programs: dict[int, frozenset[str] | None] = getattr(_pending, "programs", {})
    _pending.programs = {}
    _pending.waiting = False
    whole = {pk for pk, keys in programs.items() if keys is None}
    reconcile_programs(whole)
    by_keys: dict[frozenset[str], set[int]] = {}
    for pk, keys in programs.items():
        if keys is not None:
            by_keys.setdefault(keys, set()).add(pk)
    for keys, ids in by_keys.items():
        reconcile_programs(ids, keys)


# --- Review preparation (issue #26) ------------------------------------------------------------------------


def chart_candidates(program: Program, first_day: datetime.date, last_day: datetime.date) -> list[int]:
    """The enrollments a chart sample is drawn from (none without a contributor)."""
    provider = _the_one("chart candidates", [hooks.chart_candidates for hooks in area_hooks()])
    return [] if provider is None else provider(program, first_day, last_day)


def chart_rows(program: Program, enrollment_ids: list[int]) -> list[ChartClient]:
    """The sampled clients' key dates (none without a contributor)."""
    provider = _the_one("chart rows", [hooks.chart_rows for hooks in area_hooks()])
    return [] if provider is None or not enrollment_ids else provider(program, enrollment_ids)


# --- From finding to result (issue #23) ------------------------------------------------------------------


def fidelity_links(program: Program) -> FidelityLinks:
    """The fidelity items and the program's action-plan items a TA entry may name (items 1-25 by number and
    no action items without a contributor)."""
    provider = _the_one("fidelity links", [hooks.fidelity_links for hooks in area_hooks()])
    return FidelityLinks() if provider is None else provider(program)


# --- Peer percentiles and the early warning (issue #23) -------------------------------------------------


def program_activity(
    program_ids: list[int] | None, first_day: datetime.date, last_day: datetime.date
) -> list[QuarterActivity]:
    """Each program's job-development activity per quarter of [first_day, last_day] (none without a contributor)."""
    provider = _the_one("program activity", [hooks.program_activity for hooks in area_hooks()])
    return [] if provider is None else provider(program_ids, first_day, last_day)


def fidelity_totals(program_ids: list[int] | None) -> Mapping[int, FidelityTotal]:
    """Each program's last delivered fidelity review total (none without a contributor)."""
    provider = _the_one("fidelity totals", [hooks.fidelity_totals for hooks in area_hooks()])
    return {} if provider is None else provider(program_ids)
