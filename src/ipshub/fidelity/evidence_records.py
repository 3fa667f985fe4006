"""Fidelity evidence from the client records: the plain inputs of `evidence.py` for one program and one
period (first … last day, both included), read by the clients area (clients/evidence.py, contributed through
areakit/hooks.py) in a fixed number of queries (seven with the scale's items, whatever the data size).

Decisions where the scale leaves room (also in docs/fidelity.md):
- Item 1: the caseload on the period's last day (referred by then, not closed by then, not re-opened after
  it) per assigned specialist. The records hold no FTE, so every specialist with a caseload counts as one
  full-time specialist; clients without an assigned specialist are named in the basis, not counted.
- Item 15: clients referred in the period; days from referral to their first face-to-face employer contact
  about them (on or after the referral, by the period's last day).
- Item 17: face-to-face employer contacts in the period, per specialist with a caseload or employer contacts
  in the period, per week.
- Items 19–21: the jobs that started in the period (type, employer, competitive).
- Item 23: the jobs that started in the period and the support contacts of their enrollments, measured on
  the period's last day.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from ipshub.areakit import hooks
from ipshub.areakit.records import FidelityInputs
from ipshub.fidelity import evidence as ev
from ipshub.fidelity.models import FidelityItem, FidelityScale
from ipshub.tenancy.models import Program

ITEMS = (1, 15, 17, 19, 20, 21, 23)
DEFAULT_MONTHS = 6
DEFAULT_CUTS: dict[int, tuple[float, ...]] = {
    1: (20, 25, 30, 40),
    15: (30, 60, 150, 270),
    17: (6, 5, 4, 3),
    19: (85, 75, 65, 55),
    20: (85, 75, 65, 55),
    21: (95, 85, 75, 65),
    23: (90, 75, 50, 25),
}
HIGHER_IS_BETTER = {1: False, 15: False, 17: True, 19: True, 20: True, 21: True, 23: True}


@dataclass(frozen=True)
class EvidenceRow:
    number: int
    name: str
    evidence: ev.Evidence
    cuts: tuple[float, ...]
    higher_is_better: bool

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


def score_inputs(
    inputs: FidelityInputs, first_day: datetime.date, last_day: datetime.date, items: dict[int, FidelityItem]
) -> list[EvidenceRow]:
    c = {n: _cuts(items, n) for n in ITEMS}
    caseload = ev.caseload_size(inputs.caseloads, c[1])
    if inputs.unassigned:
        caseload = ev.Evidence(
            caseload.item,
            caseload.indicator,
            caseload.value,
            caseload.score,
            f"{caseload.basis}, each counted as full time; {inputs.unassigned} clients without a specialist "
            "not counted",
        )
    else:
        caseload = ev.Evidence(
            caseload.item,
            caseload.indicator,
            caseload.value,
            caseload.score,
            f"{caseload.basis}, each counted as full time",
        )
    results = [
        caseload,
        ev.rapid_job_search(inputs.entries, c[15]),
        ev.employer_contacts_per_week(inputs.contacts, inputs.specialist_ids, first_day, last_day, c[17]),
        ev.job_type_diversity(inputs.jobs, c[19]),
        ev.employer_diversity(inputs.jobs, c[20]),
        ev.competitive_jobs(inputs.jobs, c[21]),
        ev.follow_along_timing(inputs.job_starts, last_day, c[23]),
    ]
    return [
        EvidenceRow(
            number=e.item,
            name=items[e.item].name if e.item in items else e.indicator,
            evidence=e,
            cuts=c[e.item],
            higher_is_better=HIGHER_IS_BETTER[e.item],
        )
        for e in results
    ]


def program_estimate(
    program: Program, first_day: datetime.date, last_day: datetime.date, scale: FidelityScale | None
) -> Estimate:
    """Every measurable item's indicator and implied score for the program and period (seven queries)."""
    inputs = hooks.fidelity_evidence(program, first_day, last_day)
    return Estimate(program, first_day, last_day, score_inputs(inputs, first_day, last_day, item_settings(scale)))


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
