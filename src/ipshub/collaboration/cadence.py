"""Cadence checks: is each program meeting as often as the roles document says?

Three checks (seeds/README.md, "Timing rules"):
- trainer_unit / trainer_team: a state trainer attends at least one IPS unit meeting and one mental
  health treatment team meeting a month during the first six months of implementation. The months
  are calendar months, from the month implementation started (the PhaseChange to 'implementation';
  that first month counts from the start date) through the sixth.
- staff_team: employment staff (IPS supervisor or specialists) attend a treatment team meeting every
  week (Monday–Sunday) from implementation onwards.
- steering: the steering committee meets every calendar quarter with the state trainer invited (an
  attendance of any status), from the program's opening.

Each period is, on a given day:
- met: a qualifying meeting is recorded in it (dated on or before that day);
- missed: it ended with none;
- at risk: it is under way, half of it (or more) is gone and nothing is recorded yet;
- open: it is under way, less than half gone, nothing yet;
- upcoming: it has not started.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import CharField, DateTimeField, IntegerField, QuerySet, Value
from django.utils.translation import gettext_lazy

from ipshub.collaboration.models import Attendance, AttendanceStatus, MeetingKind
from ipshub.lib import compiled
from ipshub.tenancy.models import Phase, PhaseChange, Program
from ipshub.tenancy.roles import Role
from ipshub.tenancy.wages import month_label

MET, AT_RISK, MISSED, OPEN, UPCOMING, NOT_APPLICABLE = (
    "met",
    "at_risk",
    "missed",
    "open",
    "upcoming",
    "not_applicable",
)
STATUS_LABELS = {
    MET: gettext_lazy("Met"),
    AT_RISK: gettext_lazy("At risk"),
    MISSED: gettext_lazy("Missed"),
    OPEN: gettext_lazy("Not yet due"),
    UPCOMING: gettext_lazy("Upcoming"),
    NOT_APPLICABLE: gettext_lazy("Does not apply"),
}
# Worst first: a month's summary is its worst check.
SEVERITY = (MISSED, AT_RISK, OPEN, MET, UPCOMING, NOT_APPLICABLE)
EMPLOYMENT_STAFF = (Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST)

CHECKS = {
    "trainer_unit": gettext_lazy("State trainer at an IPS unit meeting (monthly, first six months of implementation)"),
    "trainer_team": gettext_lazy(
        "State trainer at a treatment team meeting (monthly, first six months of implementation)"
    ),
    "staff_team": gettext_lazy("Employment staff at treatment team meetings (weekly)"),
    "steering": gettext_lazy("Steering committee with the trainer invited (quarterly)"),
}
TRAINER_MONTHS = 6


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    status: str
    met_on: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class CheckResult:
    key: str
    title: str
    periods: list[PeriodStatus] = field(default_factory=list)

    @property
    def status(self) -> str:
        return worst(p.status for p in self.periods)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


class _MeetingFacts(TypedDict):
    """One meeting's attendance, gathered row by row before it becomes a Fact."""

    kind: str
    date: datetime.date
    trainer: bool
    staff: bool
    invited: bool


@dataclass(frozen=True)
class Fact:
    """A meeting as the checks see it: kind, date, and who came in which role."""

    kind: str
    date: datetime.date
    trainer_attended: bool
    staff_attended: bool
    trainer_invited: bool


def worst(statuses: Iterable[str]) -> str:
    found = set(statuses)
    for status in SEVERITY:
        if status in found:
            return status
    return NOT_APPLICABLE


def status_of(period: Period, met_on: datetime.date | None, today: datetime.date) -> PeriodStatus:
    if met_on is not None and met_on <= today:
        return PeriodStatus(period, MET, met_on)
    if today < period.start:
        return PeriodStatus(period, UPCOMING)
    if today > period.end:
        return PeriodStatus(period, MISSED)
    length = (period.end - period.start).days + 1
    elapsed = (today - period.start).days + 1
    return PeriodStatus(period, AT_RISK if elapsed * 2 >= length else OPEN)


# --- Periods --------------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def trainer_months(implementation_start: datetime.date) -> list[Period]:
    periods = []
    for i in range(TRAINER_MONTHS):
        first = add_months(implementation_start, i)
        start, end = month_bounds(first.year, first.month)
        start = max(start, implementation_start)
        periods.append(Period(start, end, f"Month {i + 1}: {first:%B %Y}"))
    return periods


def weeks_overlapping(start: datetime.date, end: datetime.date, not_before: datetime.date) -> list[Period]:
    monday = start - datetime.timedelta(days=start.weekday())
    periods = []
    while monday <= end:
        sunday = monday + datetime.timedelta(days=6)
        if sunday >= not_before:
            first = max(monday, not_before)
            periods.append(Period(first, sunday, f"Week of {monday:%b %-d}"))
        monday += datetime.timedelta(days=7)
    return periods


def quarter_of(day: datetime.date) -> Period:
    q = (day.month - 1) // 3
    start = datetime.date(day.year, q * 3 + 1, 1)
    end = month_bounds(day.year, q * 3 + 3)[1]
    return Period(start, end, f"Q{q + 1} {day.year}")


# --- Evaluation -----------------------------------------------------------------------------------


def _first(facts: list[Fact], period: Period, wanted: str) -> datetime.date | None:
    days = [f.date for f in facts if period.contains(f.date) and getattr(f, wanted)]
    return min(days) if days else None


def evaluate_month(
    *,
    facts: list[Fact],
    opened_on: datetime.date,
    implementation_start: datetime.date | None,
    year: int,
    month: int,
    today: datetime.date,
) -> list[CheckResult]:
    """The program's checks for one calendar month."""
    month_start, month_end = month_bounds(year, month)
    unit = [f for f in facts if f.kind == MeetingKind.IPS_UNIT]
    team = [f for f in facts if f.kind == MeetingKind.TREATMENT_TEAM]
    steering = [f for f in facts if f.kind == MeetingKind.STEERING]
    results = []
    if implementation_start is not None:
        months = [p for p in trainer_months(implementation_start) if p.end >= month_start and p.start <= month_end]
        for key, source in (("trainer_unit", unit), ("trainer_team", team)) if months else ():
            result = CheckResult(key, str(CHECKS[key]))
            result.periods = [status_of(p, _first(source, p, "trainer_attended"), today) for p in months]
            results.append(result)
        if month_end >= implementation_start:
            result = CheckResult("staff_team", str(CHECKS["staff_team"]))
            result.periods = [
                status_of(p, _first(team, p, "staff_attended"), today)
                for p in weeks_overlapping(month_start, month_end, implementation_start)
            ]
            results.append(result)
    if month_end >= opened_on:
        quarter = quarter_of(month_start)
        quarter = Period(max(quarter.start, opened_on), quarter.end, quarter.label)
        result = CheckResult("steering", str(CHECKS["steering"]))
        result.periods = [status_of(quarter, _first(steering, quarter, "trainer_invited"), today)]
        results.append(result)
    return results


@dataclass
class ProgramCadence:
    program: Program
    year: int
    month: int
    checks: list[CheckResult]

    @property
    def status(self) -> str:
        return worst(c.status for c in self.checks)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def month_label(self) -> str:
        return month_label(datetime.date(self.year, self.month, 1))

    def check(self, key: str) -> CheckResult | None:
        return next((c for c in self.checks if c.key == key), None)

    @property
    def trainer_unit(self) -> CheckResult | None:
        return self.check("trainer_unit")

    @property
    def trainer_team(self) -> CheckResult | None:
        return self.check("trainer_team")

    @property
    def staff_team(self) -> CheckResult | None:
        return self.check("staff_team")

    @property
    def steering(self) -> CheckResult | None:
        return self.check("steering")


def _cadence_rows(ids: list[int], since: datetime.date, until: datetime.date) -> QuerySet[Any, Any]:
    """The programs' phase changes and their meetings' attendance between the dates, as plain rows."""
    text = CharField()
    changes = (
        PhaseChange.objects.filter(program_id__in=ids)
        .order_by()
        .annotate(
            source=Value("phase", output_field=text),
            no_meeting=Value(None, output_field=IntegerField()),
            no_role=Value("", output_field=text),
            no_status=Value("", output_field=text),
        )
        .values_list(
            "source", "program_id", "no_meeting", "to_phase", "effective_on", "no_role", "no_status", "changed_at"
        )
    )
    attendance = (
        Attendance.objects.filter(
            meeting__series__program_id__in=ids,
            meeting__series__kind__in=(MeetingKind.IPS_UNIT, MeetingKind.TREATMENT_TEAM, MeetingKind.STEERING),
            meeting__date__range=(since, until),
        )
        .order_by()
        .annotate(source=Value("attendance", output_field=text), no_time=Value(None, output_field=DateTimeField()))
        .values_list(
            "source",
            "meeting__series__program_id",
            "meeting_id",
            "meeting__series__kind",
            "meeting__date",
            "role",
            "status",
            "no_time",
        )
    )
    return changes.union(attendance, all=True)


def cadence_for_programs(programs: list[Program], year: int, month: int, today: datetime.date) -> list[ProgramCadence]:
    """Checks for many programs in a fixed number of queries (one)."""
    ids = [p.pk for p in programs]
    month_start, month_end = month_bounds(year, month)
    quarter = quarter_of(month_start)
    # Enough to cover the month's weeks (which may spill into neighbouring months) and its quarter.
    since = min(quarter.start, month_start - datetime.timedelta(days=7))
    until = max(quarter.end, month_end + datetime.timedelta(days=7))
    # The programs' phase changes and their meetings' attendance, in one query of plain rows (a UNION), its SQL
    # built once for these programs and dates (`lib.compiled`: the build reads nothing else).
    rows = compiled.rows(
        ("collaboration.cadence", tuple(ids), since, until),
        lambda: _cadence_rows(ids, since, until),
    )
    phase_rows: list[tuple[datetime.date, datetime.datetime, int, str]] = []
    facts: dict[int, dict[int, _MeetingFacts]] = {}
    for source, program_id, meeting_id, kind, date, role, status, changed_at in rows:
        if source == "phase":
            phase_rows.append((date, changed_at, program_id, kind))
            continue
        fact = facts.setdefault(program_id, {}).setdefault(
            meeting_id, {"kind": kind, "date": date, "trainer": False, "staff": False, "invited": False}
        )
        attended = status == AttendanceStatus.ATTENDED
        if role == Role.STATE_TRAINER:
            fact["invited"] = True
            fact["trainer"] = fact["trainer"] or attended
        if role in EMPLOYMENT_STAFF and attended:
            fact["staff"] = True
    opened: dict[int, datetime.date] = {}
    implementation: dict[int, datetime.date] = {}
    for effective_on, _, program_id, to_phase in sorted(phase_rows):
        opened.setdefault(program_id, effective_on)
        if to_phase == Phase.IMPLEMENTATION:
            implementation.setdefault(program_id, effective_on)
    out = []
    for program in programs:
        program_facts = [
            Fact(
                kind=str(f["kind"]),
                date=f["date"],
                trainer_attended=bool(f["trainer"]),
                staff_attended=bool(f["staff"]),
                trainer_invited=bool(f["invited"]),
            )
            for f in facts.get(program.pk, {}).values()
        ]
        checks = evaluate_month(
            facts=program_facts,
            opened_on=opened.get(program.pk, program.phase_since),
            implementation_start=implementation.get(program.pk),
            year=year,
            month=month,
            today=today,
        )
        out.append(ProgramCadence(program, year, month, checks))
    return out
