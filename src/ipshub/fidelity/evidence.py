"""Fidelity evidence from the records: pure functions over plain data, no database.

For the items the records can measure (1, 2, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25) each function
returns the indicator's value, the 1–5 score it implies and the figures it was computed from. The cut
points default to the reference anchors; the scale's data file carries them per item (`evidence.cuts`) so
a state's corrected scale scores with its own numbers. The inputs are the plain values of
areakit/records.py, which the clients area reads from its records (the `fidelity_evidence` it contributes
in clients/hooks.py), and the specialists' recorded time (fidelity's SpecialistTime).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipshub.areakit.records import (
    Closure,
    EmployerContact,
    EntryToEmployerContact,
    Job,
    JobEvent,
    JobStartSupport,
    SpecialistCaseload,
    SpecialistTime,
)

Figures = dict[str, float | int | None]


@dataclass(frozen=True)
class Evidence:
    item: int
    indicator: str
    value: float | None  # None when the records hold nothing to measure
    score: int | None
    basis: str  # how many records it rests on, in words
    figures: Figures = field(default_factory=dict)  # the numbers the value is computed from


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


def _jobs(count: int) -> str:
    return ngettext("%(count)s job", "%(count)s jobs", count) % {"count": count}


def _evidence(
    item: int,
    indicator: str,
    value: float | None,
    cuts: Sequence[float],
    higher: bool,
    basis: str,
    figures: Figures | None = None,
) -> Evidence:
    # Scored on the rounded value, the one people see: 20.04 clients shows as 20.0 and scores as 20.
    shown = None if value is None else round(value, 1)
    score = None if shown is None else score_from_cuts(shown, cuts, higher_is_better=higher)
    return Evidence(item, indicator, shown, score, basis, {**(figures or {}), "value": shown})


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


# --- Item 1: caseload size --------------------------------------------------------------------------


def caseload_size(caseloads: Iterable[SpecialistCaseload], cuts: Sequence[float] = (20, 25, 30, 40)) -> Evidence:
    """Clients per full-time specialist: all clients ÷ all specialist FTE."""
    rows = list(caseloads)
    fte = sum(r.fte for r in rows)
    clients = sum(r.clients for r in rows)
    value = clients / fte if fte > 0 else None
    figures: Figures = {"clients": clients, "specialists": len(rows), "fte": round(fte, 2)}
    basis = _("%(clients)s clients, %(specialists)s specialists, %(fte)s full-time equivalent") % {
        "clients": clients,
        "specialists": len(rows),
        "fte": f"{fte:g}",
    }
    return _evidence(1, _("Clients per full-time specialist"), value, cuts, False, basis, figures)


# --- Item 2: employment services staff ----------------------------------------------------------------


def employment_services_share(
    times: Iterable[SpecialistTime], specialist_ids: Iterable[int], cuts: Sequence[float] = (96, 90, 75, 60)
) -> Evidence:
    """Percent of the specialists' time spent on employment services, weighted by FTE, over the working
    specialists whose time is recorded (the others are counted in the basis)."""
    working = set(specialist_ids)
    recorded = [t for t in times if t.specialist_id in working]
    fte = sum(t.fte for t in recorded)
    value = sum(t.fte * t.employment_share for t in recorded) / fte if fte > 0 else None
    missing = len(working - {t.specialist_id for t in recorded})
    figures: Figures = {"specialists_recorded": len(recorded), "specialists_not_recorded": missing, "fte": fte}
    basis = _("%(recorded)s specialists with their time recorded; %(missing)s without") % {
        "recorded": len(recorded),
        "missing": missing,
    }
    return _evidence(2, _("Percent of specialists' time on employment services"), value, cuts, True, basis, figures)


# --- Item 15: rapid job search ----------------------------------------------------------------------


def rapid_job_search(pairs: Iterable[EntryToEmployerContact], cuts: Sequence[float] = (30, 60, 150, 270)) -> Evidence:
    """Average days from entry to the first face-to-face employer contact, over the clients who have had
    one. Clients still without a contact are counted in the basis, not averaged (their wait is not over)."""
    rows = list(pairs)
    waits = [(r.first_employer_contact_on - r.entered_on).days for r in rows if r.first_employer_contact_on is not None]
    waiting = len(rows) - len(waits)
    value = sum(waits) / len(waits) if waits else None
    basis = _("%(clients)s clients with a first employer contact; %(waiting)s still without one") % {
        "clients": len(waits),
        "waiting": waiting,
    }
    figures: Figures = {"clients_with_first_contact": len(waits), "clients_still_waiting": waiting}
    return _evidence(15, _("Average days from entry to first employer contact"), value, cuts, False, basis, figures)


# --- Item 17: employer contacts per specialist per week ---------------------------------------------


def employer_contacts_per_week(
    contacts: Iterable[EmployerContact],
    specialist_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    cuts: Sequence[float] = (6, 5, 4, 2),
) -> Evidence:
    """Face-to-face employer contacts per specialist per week from start to end (both included)."""
    specialists = set(specialist_ids)
    days = (end - start).days + 1
    counted = [c for c in contacts if c.face_to_face and c.specialist_id in specialists and start <= c.on <= end]
    value = len(counted) / len(specialists) / (days / 7) if specialists and days > 0 else None
    basis = _("%(contacts)s face-to-face contacts by %(specialists)s specialists over %(days)s days") % {
        "contacts": len(counted),
        "specialists": len(specialists),
        "days": days,
    }
    figures: Figures = {"contacts_face_to_face": len(counted), "specialists": len(specialists), "days": days}
    return _evidence(17, _("Face-to-face employer contacts per specialist per week"), value, cuts, True, basis, figures)


# --- Items 19, 20, 21: the jobs ---------------------------------------------------------------------


def _distinct_percent(values: list[str]) -> float | None:
    if not values:
        return None
    return 100 * len({v.strip().lower() for v in values}) / len(values)


def job_type_diversity(jobs: Iterable[Job], cuts: Sequence[float] = (85, 70, 60, 50)) -> Evidence:
    """Percent of jobs that are of different types: distinct job types ÷ jobs."""
    rows = list(jobs)
    value = _distinct_percent([j.job_type for j in rows])
    figures: Figures = {"jobs": len(rows), "job_types": len({j.job_type.strip().lower() for j in rows})}
    return _evidence(19, _("Percent of jobs of different types"), value, cuts, True, _jobs(len(rows)), figures)


def employer_diversity(jobs: Iterable[Job], cuts: Sequence[float] = (85, 70, 60, 50)) -> Evidence:
    """Percent of jobs with different employers: distinct employers ÷ jobs."""
    rows = list(jobs)
    value = _distinct_percent([j.employer for j in rows])
    figures: Figures = {"jobs": len(rows), "employers": len({j.employer.strip().lower() for j in rows})}
    return _evidence(20, _("Percent of jobs with different employers"), value, cuts, True, _jobs(len(rows)), figures)


def competitive_jobs(jobs: Iterable[Job], cuts: Sequence[float] = (95, 85, 75, 64)) -> Evidence:
    rows = list(jobs)
    value = 100 * sum(j.competitive for j in rows) / len(rows) if rows else None
    figures: Figures = {"jobs": len(rows), "competitive_jobs": sum(j.competitive for j in rows)}
    return _evidence(21, _("Percent of jobs that are competitive"), value, cuts, True, _jobs(len(rows)), figures)


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
    basis = _("%(starts)s job starts with a contact window closed") % {"starts": len(results)}
    figures: Figures = {"job_starts_due": len(results), "job_starts_with_pattern": sum(results)}
    return _evidence(23, _("Percent of job starts with the follow-along pattern"), value, cuts, True, basis, figures)


# --- Item 12: work incentives planning ----------------------------------------------------------------

PLANNING_BEFORE_START_DAYS = 365  # planning offered in the year before a job start counts for it
PLANNING_AROUND_CHANGE_DAYS = 30  # and within a month either side of a change of hours or pay


def planning_covers(event: JobEvent) -> bool:
    d = datetime.timedelta
    if event.kind == "start":
        first, last = event.on - d(days=PLANNING_BEFORE_START_DAYS), event.on
    else:
        first, last = event.on - d(days=PLANNING_AROUND_CHANGE_DAYS), event.on + d(days=PLANNING_AROUND_CHANGE_DAYS)
    return any(first <= day <= last for day in event.benefits_planning_on)


def work_incentives_planning(events: Iterable[JobEvent], cuts: Sequence[float] = (90, 75, 50, 25)) -> Evidence:
    """Percent of job starts and changes of hours or pay with benefits planning offered for them: in the
    year up to a start, or within 30 days either side of a change."""
    rows = [e for e in events if e.kind in ("start", "change")]
    starts = [e for e in rows if e.kind == "start"]
    changes = [e for e in rows if e.kind == "change"]
    starts_planned = sum(planning_covers(e) for e in starts)
    changes_planned = sum(planning_covers(e) for e in changes)
    value = _percent(starts_planned + changes_planned, len(rows))
    figures: Figures = {
        "job_starts": len(starts),
        "job_starts_with_planning": starts_planned,
        "job_changes": len(changes),
        "job_changes_with_planning": changes_planned,
    }
    basis = _(
        "%(starts_planned)s of %(starts)s job starts and %(changes_planned)s of %(changes)s changes of hours "
        "or pay with benefits planning offered"
    ) % {
        "starts_planned": starts_planned,
        "starts": len(starts),
        "changes_planned": changes_planned,
        "changes": len(changes),
    }
    return _evidence(
        12, _("Percent of job starts and changes with benefits planning"), value, cuts, True, basis, figures
    )


# --- Item 14: ongoing, work-based assessment ------------------------------------------------------------

PROFILE_UPDATE_DAYS = 30  # a career profile version within 30 days after a job starts or ends


def profile_updated(event: JobEvent, as_of: datetime.date) -> bool | None:
    """Whether the career profile was updated after the job start or end; None while its 30 days are still
    running without an update (not yet due)."""
    last = event.on + datetime.timedelta(days=PROFILE_UPDATE_DAYS)
    if any(event.on <= day <= last for day in event.profile_written_on):
        return True
    return None if last > as_of else False


def career_profile_updates(
    events: Iterable[JobEvent], as_of: datetime.date, cuts: Sequence[float] = (90, 75, 50, 25)
) -> Evidence:
    """Percent of job starts and ends followed by a new career profile version within 30 days."""
    rows = [e for e in events if e.kind in ("start", "end")]
    results = [r for r in (profile_updated(e, as_of) for e in rows) if r is not None]
    value = _percent(sum(results), len(results))
    figures: Figures = {"job_starts_and_ends": len(results), "followed_by_profile_update": sum(results)}
    basis = _("%(updated)s of %(events)s job starts and ends followed by a career profile update") % {
        "updated": sum(results),
        "events": len(results),
    }
    if len(rows) > len(results):
        basis += "; " + _("%(waiting)s still within their 30 days") % {"waiting": len(rows) - len(results)}
    return _evidence(
        14, _("Percent of job starts and ends with the career profile updated"), value, cuts, True, basis, figures
    )


# --- Item 16: individualized job search ----------------------------------------------------------------


def individualized_job_search(
    contacts: Iterable[EmployerContact],
    start: datetime.date,
    end: datetime.date,
    cuts: Sequence[float] = (90, 75, 50, 25),
) -> Evidence:
    """Percent of the period's employer contacts made for a job seeker's preferences, over the contacts
    where it was recorded."""
    rows = [c for c in contacts if start <= c.on <= end]
    recorded = [c for c in rows if c.follows_preferences is not None]
    following = sum(bool(c.follows_preferences) for c in recorded)
    value = _percent(following, len(recorded))
    figures: Figures = {
        "contacts": len(rows),
        "contacts_recorded": len(recorded),
        "contacts_following_preferences": following,
    }
    basis = _("%(following)s of %(recorded)s employer contacts follow preferences; %(unrecorded)s not recorded") % {
        "following": following,
        "recorded": len(recorded),
        "unrecorded": len(rows) - len(recorded),
    }
    return _evidence(16, _("Percent of employer contacts that follow preferences"), value, cuts, True, basis, figures)


# --- Item 24: community-based services ----------------------------------------------------------------


def community_based_services(
    contacts: Iterable[EmployerContact],
    start: datetime.date,
    end: datetime.date,
    support_in_community: int,
    support_in_office: int,
    cuts: Sequence[float] = (65, 50, 40, 30),
) -> Evidence:
    """Percent of in-person contacts that happened in the community: face-to-face employer contacts (at
    the employer's) and in-person support contacts by their setting."""
    employer = sum(1 for c in contacts if c.face_to_face and start <= c.on <= end)
    community = employer + support_in_community
    total = community + support_in_office
    value = _percent(community, total)
    figures: Figures = {
        "employer_contacts_face_to_face": employer,
        "support_contacts_in_community": support_in_community,
        "support_contacts_in_office": support_in_office,
    }
    basis = _("%(community)s of %(total)s in-person contacts in the community") % {
        "community": community,
        "total": total,
    }
    return _evidence(24, _("Percent of in-person contacts in the community"), value, cuts, True, basis, figures)


# --- Item 25: assertive engagement and outreach ----------------------------------------------------------


def engagement_closures(closures: Iterable[Closure], cuts: Sequence[float] = (100, 90, 80, 70)) -> Evidence:
    """Percent of the period's closures that were not for missed appointments or lack of engagement."""
    rows = list(closures)
    disengaged = sum(c.for_disengagement for c in rows)
    value = _percent(len(rows) - disengaged, len(rows))
    figures: Figures = {"closures": len(rows), "closures_for_disengagement": disengaged}
    basis = _("%(disengaged)s of %(closures)s closures for missed appointments or lack of engagement") % {
        "disengaged": disengaged,
        "closures": len(rows),
    }
    return _evidence(25, _("Percent of closures not for missed appointments"), value, cuts, True, basis, figures)
