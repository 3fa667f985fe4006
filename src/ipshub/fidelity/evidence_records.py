"""Fidelity evidence from the client records: the plain inputs of `evidence.py` for one program and one
period (first … last day, both included), read by the clients area (clients/evidence.py, contributed through
areakit/hooks.py), plus the specialists' recorded time (SpecialistTime, this area's), in a fixed number of
queries (fourteen with the scale's items, whatever the data size).

Decisions where the scale leaves room (also in docs/fidelity.md):
- Item 1: the caseload on the period's last day (referred by then, not closed by then, not re-opened after
  it) ÷ the assigned specialists' full-time equivalent (SpecialistTime; a specialist without a record counts
  as full time, and the basis says how many); clients without an assigned specialist are named in the
  basis, not counted.
- Item 2: the share of time on employment services, weighted by FTE, of the specialists working in the
  period (a caseload or employer contacts) whose time is recorded.
- Item 12: job starts and changes of hours or pay in the period; a start is covered by benefits planning
  offered in the year up to it, a change by one offered within 30 days either side.
- Item 14: job starts and ends in the period; each needs a career profile version within 30 days after.
- Item 16: the period's employer contacts where "follows a job seeker's preferences" was recorded.
- Item 24: in-person contacts in the period: face-to-face employer contacts count as community; in-person
  support contacts by their setting (community or office).
- Item 25: the period's closures; those for missed appointments or lack of engagement count against.
- Item 15: clients referred in the period; days from referral to their first face-to-face employer contact
  about them (on or after the referral, by the period's last day).
- Item 17: face-to-face employer contacts in the period, per specialist with a caseload or employer contacts
  in the period, per week.
- Items 19–21: the jobs that started in the period (type, employer, competitive).
- Item 23: the jobs that started in the period and the support contacts of their enrollments, measured on
  the period's last day.
"""

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from ipshub.areakit import hooks
from ipshub.areakit.records import FidelityInputs, SpecialistCaseload, SpecialistTime
from ipshub.fidelity import evidence as ev
from ipshub.fidelity.models import FidelityItem, FidelityScale
from ipshub.fidelity.models import SpecialistTime as SpecialistTimeRecord
from ipshub.tenancy.models import Program

ITEMS = (1, 2, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25)
DEFAULT_MONTHS = 6
DEFAULT_CUTS: dict[int, tuple[float, ...]] = {
    1: (20, 25, 30, 40),
    2: (96, 90, 75, 60),
    12: (90, 75, 50, 25),
    14: (90, 75, 50, 25),
    15: (30, 60, 150, 270),
    16: (90, 75, 50, 25),
    17: (6, 5, 4, 2),
    19: (85, 70, 60, 50),
    20: (85, 70, 60, 50),
    21: (95, 85, 75, 64),
    23: (90, 75, 50, 25),
    24: (65, 50, 40, 30),
    25: (100, 90, 80, 70),
}
HIGHER_IS_BETTER = {n: n not in (1, 15) for n in ITEMS}


@dataclass(frozen=True)
class EvidenceRow:
    number: int
    name: str
    evidence: ev.Evidence
    cuts: tuple[float, ...]
    higher_is_better: bool
    anchor: str = ""  # the scale's text for the score the evidence implies

    @property
    def title(self) -> str:
        return self.name

    @property
    def cuts_text(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        return ", ".join(f"{score}: {sign}{_fmt(cut)}" for score, cut in zip((5, 4, 3, 2), self.cuts, strict=True))


@dataclass(frozen=True)
class Estimate:
    program: Program
    first_day: datetime.date
    last_day: datetime.date
    rows: list[EvidenceRow]

    @property
    def scored(self) -> list[EvidenceRow]:
        return [r for r in self.rows if r.evidence.score is not None]

    @property
    def computed(self) -> int:
        """How many of the scale's items the estimate computes (scored or not, for want of records)."""
        return len(self.rows)


def _fmt(value: float) -> str:
    return f"{value:g}"


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The day `months` calendar months before `day` (clamped to the month's end), plus one: a period of
    `months` months ending on `day`."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_of_month = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_of_month)) + datetime.timedelta(days=1)


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return months_before(today, DEFAULT_MONTHS), today


def item_settings(scale: FidelityScale | None) -> dict[int, FidelityItem]:
    """The measurable items of the scale (one query): their names and `evidence.cuts`."""
    if scale is None:
        return {}
    return {item.number: item for item in scale.items.filter(number__in=ITEMS)}


def _cuts(items: dict[int, FidelityItem], number: int) -> tuple[float, ...]:
    cuts = (items[number].evidence or {}).get("cuts") if number in items else None
    return tuple(float(c) for c in cuts) if cuts else DEFAULT_CUTS[number]


def _with_fte(inputs: FidelityInputs, times: list[SpecialistTime]) -> tuple[list[SpecialistCaseload], int]:
    """The caseloads with each specialist's recorded FTE, and how many specialists have none (full time)."""
    fte = {t.specialist_id: t.fte for t in times}
    caseloads = [
        SpecialistCaseload(
            r.clients, fte.get(r.specialist_id, r.fte) if r.specialist_id is not None else r.fte, r.specialist_id
        )
        for r in inputs.caseloads
    ]
    unrecorded = sum(1 for r in inputs.caseloads if r.specialist_id not in fte)
    return caseloads, unrecorded


def score_inputs(
    inputs: FidelityInputs,
    first_day: datetime.date,
    last_day: datetime.date,
    items: dict[int, FidelityItem],
    times: list[SpecialistTime] | None = None,
) -> list[EvidenceRow]:
    c = {n: _cuts(items, n) for n in ITEMS}
    caseloads, unrecorded = _with_fte(inputs, times or [])
    caseload = ev.caseload_size(caseloads, c[1])
    notes = []
    if unrecorded:
        notes.append(_("%(count)s without recorded time counted as full time") % {"count": unrecorded})
    if inputs.unassigned:
        notes.append(_("%(count)s clients without a specialist not counted") % {"count": inputs.unassigned})
    if notes:
        caseload = replace(caseload, basis=f"{caseload.basis}; {'; '.join(notes)}")
    results = [
        caseload,
        ev.employment_services_share(times or [], inputs.specialist_ids, c[2]),
        ev.work_incentives_planning(inputs.job_events, c[12]),
        ev.career_profile_updates(inputs.job_events, last_day, c[14]),
        ev.rapid_job_search(inputs.entries, c[15]),
        ev.individualized_job_search(inputs.contacts, first_day, last_day, c[16]),
        ev.employer_contacts_per_week(inputs.contacts, inputs.specialist_ids, first_day, last_day, c[17]),
        ev.job_type_diversity(inputs.jobs, c[19]),
        ev.employer_diversity(inputs.jobs, c[20]),
        ev.competitive_jobs(inputs.jobs, c[21]),
        ev.follow_along_timing(inputs.job_starts, last_day, c[23]),
        ev.community_based_services(
            inputs.contacts, first_day, last_day, inputs.support_in_community, inputs.support_in_office, c[24]
        ),
        ev.engagement_closures(inputs.closures, c[25]),
    ]
    return [
        EvidenceRow(
            number=e.item,
            name=items[e.item].local("name") if e.item in items else e.indicator,
            evidence=e,
            cuts=c[e.item],
            higher_is_better=HIGHER_IS_BETTER[e.item],
            anchor=_anchor(items.get(e.item), e.score),
        )
        for e in results
    ]


def _anchor(item: FidelityItem | None, score: int | None) -> str:
    if item is None or score is None:
        return ""
    return str((item.anchors or {}).get(str(score), ""))


def specialist_times(program: Program) -> list[SpecialistTime]:
    """The program's recorded specialists' time, as plain values (one query)."""
    return [
        SpecialistTime(specialist_id, float(fte), float(share))
        for specialist_id, fte, share in SpecialistTimeRecord.objects.filter(program=program)
        .order_by()
        .values_list("specialist_id", "fte", "employment_share")
    ]


def program_estimate(
    program: Program, first_day: datetime.date, last_day: datetime.date, scale: FidelityScale | None
) -> Estimate:
    """Every measurable item's indicator and implied score for the program and period (fourteen queries)."""
    inputs = hooks.fidelity_evidence(program, first_day, last_day)
    rows = score_inputs(inputs, first_day, last_day, item_settings(scale), specialist_times(program))
    return Estimate(program, first_day, last_day, rows)


def review_period(visit_day: datetime.date | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A review's evidence period: the six months up to the day before the visit (or up to today, while the
    visit is still ahead or not set)."""
    last = today if visit_day is None else min(today, visit_day - datetime.timedelta(days=1))
    return months_before(last, DEFAULT_MONTHS), last


def attach(items: list[Any], rows: list[EvidenceRow]) -> None:
    """Hang each item's evidence row on the item (as `records_evidence`), for the scoring forms."""
    by_number = {row.number: row for row in rows}
    for item in items:
        item.records_evidence = by_number.get(item.number)
