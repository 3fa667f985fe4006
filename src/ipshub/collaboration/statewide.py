"""The state team's and trainers' statewide views of collaboration (issue 23): technical-assistance activity
(hours, topics, programs reached, by trainer, by quarter and by kind) and training gaps across programs. The
meeting cadence across programs is the collaboration index's table (views.index). Each read is scoped to the
programs of the states where the person sits on the state IPS team (a lead, trainer or administrator), through
tenancy's access layer, and runs a fixed number of queries whatever the number of programs or entries."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from ipshub.catalog.translations import local
from ipshub.collaboration import training
from ipshub.collaboration.models import TAActivity, TAKind, TrainingCompletion
from ipshub.collaboration.selectors import _due_by
from ipshub.tenancy import access
from ipshub.tenancy.models import Membership, Person, Phase, PhaseChange, Program

QUARTER_CHOICES = (4, 8, 12)  # how far back the TA activity looks, in calendar quarters


# Who sees these views and which programs they cover: tenancy.access (sees_statewide, statewide_programs).
require_statewide = access.require_statewide
statewide_programs = access.statewide_programs


# --- Technical assistance -------------------------------------------------------------------------


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def window_start(today: datetime.date, quarters: int) -> datetime.date:
    """The first day of the calendar quarter `quarters - 1` before today's."""
    index = today.year * 4 + (today.month - 1) // 3 - (quarters - 1)
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)


@dataclass
class TAGroup:
    label: str
    hours: Decimal
    entries: int
    programs: int
    key: str = ""


@dataclass
class TAActivityReport:
    since: datetime.date
    until: datetime.date
    quarters: int
    programs_in_scope: int
    programs_reached: int
    hours: Decimal
    entries: int
    by_trainer: list[TAGroup] = field(default_factory=list)
    by_quarter: list[TAGroup] = field(default_factory=list)
    by_kind: list[TAGroup] = field(default_factory=list)


def ta_entries(person: Person, since: datetime.date, until: datetime.date) -> QuerySet[TAActivity]:
    return TAActivity.objects.filter(program__in=statewide_programs(person), date__range=(since, until))


def _group(label: str, key: str, row: Mapping[str, Any]) -> TAGroup:
    """One row of hours, entries and programs reached (an empty row for a quarter or kind with none)."""
    return TAGroup(
        label=label,
        key=key,
        hours=row.get("hours") or Decimal(0),
        entries=row.get("n") or 0,
        programs=row.get("reached") or 0,
    )


def ta_activity(person: Person, today: datetime.date, quarters: int) -> TAActivityReport:
    """Five queries: the totals, then the hours, entries and programs reached by trainer, quarter and kind."""
    since = window_start(today, quarters)
    entries = ta_entries(person, since, today)
    sums = {"hours": Sum("hours"), "n": Count("id"), "reached": Count("program", distinct=True)}
    totals = entries.aggregate(**sums)
    programs_in_scope = statewide_programs(person).count()
    by_trainer = [
        _group(f"{row['trainer__first_name']} {row['trainer__last_name']}".strip(), str(row["trainer_id"]), row)
        for row in entries.values("trainer_id", "trainer__first_name", "trainer__last_name")
        .annotate(**sums)
        .order_by("-hours", "trainer__last_name", "trainer_id")
    ]
    quarter_rows: dict[tuple[int, int], Mapping[str, Any]] = {
        (row["y"], row["q"]): row
        for row in entries.annotate(y=ExtractYear("date"), q=ExtractQuarter("date"))
        .values("y", "q")
        .annotate(**sums)
        .order_by()
    }
    by_quarter = []
    start = since
    while start <= today:
        q = (start.month - 1) // 3 + 1
        by_quarter.append(_group(f"{start.year} Q{q}", f"{start.year}-Q{q}", quarter_rows.get((start.year, q), {})))
        start = datetime.date(start.year + (start.month >= 10), (start.month + 2) % 12 + 1, 1)
    kind_rows: dict[str, Mapping[str, Any]] = {
        row["kind"]: row for row in entries.values("kind").annotate(**sums).order_by()
    }
    by_kind = [_group(str(label), value, kind_rows.get(value, {})) for value, label in TAKind.choices]
    return TAActivityReport(
        since=since,
        until=today,
        quarters=quarters,
        programs_in_scope=programs_in_scope,
        programs_reached=totals["reached"] or 0,
        hours=totals["hours"] or Decimal(0),
        entries=totals["n"] or 0,
        by_trainer=by_trainer,
        by_quarter=by_quarter,
        by_kind=by_kind,
    )


# --- Training gaps across programs ----------------------------------------------------------------


@dataclass
class ProgramGaps:
    program: Program
    people: int = 0
    people_with_gaps: int = 0
    gaps: int = 0
    overdue: int = 0
    courses: list[tuple[str, int]] = field(default_factory=list)  # course title, people missing it


def training_gaps(programs: list[Program], today: datetime.date) -> list[ProgramGaps]:
    """Required courses not yet completed by the people of each program's partner organizations (the rule of
    the program's own training page, selectors.program_training), for many programs in four queries."""
    ids = [p.pk for p in programs]
    orgs: dict[int, set[int]] = {
        p.pk: {p.mh_agency_id, *([p.employment_provider_id] if p.employment_provider_id else [])} for p in programs
    }
    for program_id, org_id in Program.dvr_offices.through.objects.filter(program_id__in=ids).values_list(
        "program_id", "organization_id"
    ):
        orgs[program_id].add(org_id)
    all_orgs = set().union(*orgs.values()) if orgs else set()
    memberships = list(
        Membership.objects.filter(organization_id__in=all_orgs, is_active=True, person__is_active=True).only(
            "id", "person_id", "organization_id", "role", "started_on"
        )
    )
    done = set(
        TrainingCompletion.objects.filter(person_id__in={m.person_id for m in memberships}).values_list(
            "person_id", "course"
        )
    )
    starts: dict[int, datetime.date] = {}
    for program_id, effective_on in (
        PhaseChange.objects.filter(program_id__in=ids, to_phase=Phase.IMPLEMENTATION)
        .order_by("effective_on", "changed_at")
        .values_list("program_id", "effective_on")
    ):
        starts.setdefault(program_id, effective_on)
    by_org: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_org[membership.organization_id].append(membership)
    rows = []
    for program in programs:
        row = ProgramGaps(program)
        missing: Counter[str] = Counter()
        people: set[int] = set()
        with_gaps: set[int] = set()
        for org_id in orgs[program.pk]:
            for membership in by_org.get(org_id, []):
                people.add(membership.person_id)
                for course in training.required_courses(membership.role):
                    if (membership.person_id, course.key) in done:
                        continue
                    row.gaps += 1
                    with_gaps.add(membership.person_id)
                    missing[str(local(course, "title"))] += 1
                    due = _due_by(membership, starts.get(program.pk), course)
                    if due is not None and due < today:
                        row.overdue += 1
        row.people, row.people_with_gaps = len(people), len(with_gaps)
        row.courses = sorted(missing.items(), key=lambda item: (-item[1], item[0]))
        rows.append(row)
    return rows
