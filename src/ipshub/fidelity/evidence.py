"""Fidelity evidence from the records: pure functions over plain data, no database.

For the items the records can measure (1, 15, 17, 19, 20, 21, 23) each function returns the indicator's
value and the 1–5 score it implies. The cut points default to the reference anchors; the scale's data
file carries them per item (`evidence.cuts`) so a state's corrected scale scores with its own numbers.
The inputs are the plain values of areakit/records.py, which the clients area reads from its records
(the `fidelity_evidence` it contributes in clients/hooks.py).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ipshub.areakit.records import EmployerContact, EntryToEmployerContact, Job, JobStartSupport, SpecialistCaseload


@dataclass(frozen=True)
class Evidence:
    item: int
    indicator: str
    value: float | None  # None when the records hold nothing to measure
    score: int | None
    basis: str  # how many records it rests on, in words


def score_from_cuts(value: float, cuts: Sequence[float], *, higher_is_better: bool) -> int:
    """The score a value earns against four cut points, best first.

    Higher is better (e.g. cuts 85, 75, 65, 55): ≥85 → 5, ≥75 → 4, ≥65 → 3, ≥55 → 2, else 1.
    Lower is better (e.g. cuts 20, 25, 30, 40): ≤20 → 5, ≤25 → 4, ≤30 → 3, ≤40 → 2, else 1.
    """
    if len(cuts) != 4:
        raise ValueError("Four cut points are needed, for scores 5, 4, 3 and 2.")
    for score, cut in zip((5, 4, 3, 2), cuts, strict=True):
        if (value >= cut) if higher_is_better else (value <= cut):
            return score
    return 1


def _evidence(
    item: int, indicator: str, value: float | None, cuts: Sequence[float], higher: bool, basis: str
) -> Evidence:
    score = None if value is None else score_from_cuts(value, cuts, higher_is_better=higher)
    return Evidence(item, indicator, None if value is None else round(value, 1), score, basis)


# --- Item 1: caseload size --------------------------------------------------------------------------


def caseload_size(caseloads: Iterable[SpecialistCaseload], cuts: Sequence[float] = (20, 25, 30, 40)) -> Evidence:
    """Clients per full-time specialist: all clients ÷ all specialist FTE."""
    rows = list(caseloads)
    fte = sum(r.fte for r in rows)
    value = sum(r.clients for r in rows) / fte if fte > 0 else None
    return _evidence(1, "Clients per full-time specialist", value, cuts, False, f"{len(rows)} specialists")


# --- Item 15: rapid job search ----------------------------------------------------------------------


def rapid_job_search(pairs: Iterable[EntryToEmployerContact], cuts: Sequence[float] = (30, 60, 150, 270)) -> Evidence:
    """Average days from entry to the first face-to-face employer contact, over the clients who have had
    one. Clients still without a contact are counted in the basis, not averaged (their wait is not over)."""
    rows = list(pairs)
    waits = [(r.first_employer_contact_on - r.entered_on).days for r in rows if r.first_employer_contact_on is not None]
    waiting = len(rows) - len(waits)
    value = sum(waits) / len(waits) if waits else None
    basis = f"{len(waits)} clients with a first employer contact; {waiting} still without one"
    return _evidence(15, "Average days from entry to first employer contact", value, cuts, False, basis)


# --- Item 17: employer contacts per specialist per week ---------------------------------------------


def employer_contacts_per_week(
    contacts: Iterable[EmployerContact],
    specialist_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    cuts: Sequence[float] = (6, 5, 4, 3),
) -> Evidence:
    """Face-to-face employer contacts per specialist per week from start to end (both included)."""
    specialists = set(specialist_ids)
    days = (end - start).days + 1
    counted = [c for c in contacts if c.face_to_face and c.specialist_id in specialists and start <= c.on <= end]
    value = len(counted) / len(specialists) / (days / 7) if specialists and days > 0 else None
    basis = f"{len(counted)} face-to-face contacts by {len(specialists)} specialists over {days} days"
    return _evidence(17, "Face-to-face employer contacts per specialist per week", value, cuts, True, basis)


# --- Items 19, 20, 21: the jobs ---------------------------------------------------------------------


def _distinct_percent(values: list[str]) -> float | None:
    if not values:
        return None
    return 100 * len({v.strip().lower() for v in values}) / len(values)


def job_type_diversity(jobs: Iterable[Job], cuts: Sequence[float] = (85, 75, 65, 55)) -> Evidence:
    """Percent of jobs that are of different types: distinct job types ÷ jobs."""
    rows = list(jobs)
    value = _distinct_percent([j.job_type for j in rows])
    return _evidence(19, "Percent of jobs of different types", value, cuts, True, f"{len(rows)} jobs")


def employer_diversity(jobs: Iterable[Job], cuts: Sequence[float] = (85, 75, 65, 55)) -> Evidence:
    """Percent of jobs with different employers: distinct employers ÷ jobs."""
    rows = list(jobs)
    value = _distinct_percent([j.employer for j in rows])
    return _evidence(20, "Percent of jobs with different employers", value, cuts, True, f"{len(rows)} jobs")


def competitive_jobs(jobs: Iterable[Job], cuts: Sequence[float] = (95, 85, 75, 65)) -> Evidence:
    rows = list(jobs)
    value = 100 * sum(j.competitive for j in rows) / len(rows) if rows else None
    return _evidence(21, "Percent of jobs that are competitive", value, cuts, True, f"{len(rows)} jobs")


# --- Item 23: follow-along timing -------------------------------------------------------------------


def _windows(start: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The windows that each need a contact: the week before the start, the first 3 days, each of the
    first four weeks, then each 30-day month up to a year."""
    d = datetime.timedelta
    windows = [(start - d(days=7), start - d(days=1)), (start, start + d(days=3))]
    windows += [(start + d(days=7 * w), start + d(days=7 * w + 6)) for w in range(4)]
    windows += [(start + d(days=30 * m), start + d(days=30 * m + 29)) for m in range(1, 12)]
    return windows


def follow_along_met(job: JobStartSupport, as_of: datetime.date) -> bool | None:
    """Whether the job start got the follow-along pattern so far; None if nothing is due yet.
    A window counts once it has closed, and only while the job lasted."""
    last_day = min(as_of, job.ended_on) if job.ended_on else as_of
    due = [(a, b) for a, b in _windows(job.started_on) if b <= last_day]
    if not due:
        return None
    return all(any(a <= c <= b for c in job.contact_dates) for a, b in due)


def follow_along_timing(
    jobs: Iterable[JobStartSupport], as_of: datetime.date, cuts: Sequence[float] = (90, 75, 50, 25)
) -> Evidence:
    """Percent of job starts whose closed windows each had a support contact."""
    results = [r for r in (follow_along_met(j, as_of) for j in jobs) if r is not None]
    value = 100 * sum(results) / len(results) if results else None
    basis = f"{len(results)} job starts with a contact window closed"
    return _evidence(23, "Percent of job starts with the follow-along pattern", value, cuts, True, basis)
