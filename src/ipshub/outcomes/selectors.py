"""Reads that span relations: the state dashboard and a program's outcomes, in a fixed number of queries.

The figures are rows (one per program × quarter × definition); state totals and groups are SQL sums over
them, and each program's trend comes from one query over the window, whatever the number of programs.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshub.outcomes import charts
from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.metrics import Quarter, rate, visible_rate
from ipshub.outcomes.models import Benchmark, Goal, GoalMetric, QuarterlyReport, Status
from ipshub.outcomes.report_status import Standing, deadline_for, owes_report, quarter_status
from ipshub.tenancy.models import Phase, Program, State
from ipshub.tenancy.wages import long_date

DROP_POINTS = Decimal(10)
GROUPINGS = {"region": gettext_lazy("Region"), "funding_source": gettext_lazy("Funding source")}
REPORTED = (Status.SUBMITTED, Status.ACCEPTED)
FLAGGED_SHOWN = 20


@dataclass(frozen=True)
class Completeness:
    """Who is behind a total: M programs owe the quarter's report, N of them reported (submitted or accepted),
    and the figures sum the `counted` (accepted) ones. Incomplete when fewer are counted than expected."""

    expected: int
    reported: int
    counted: int

    @property
    def complete(self) -> bool:
        return self.counted >= self.expected

    @property
    def sentence(self) -> str:
        text = _("%(reported)s of %(expected)s programs reported") % {
            "reported": self.reported,
            "expected": self.expected,
        }
        if self.counted < self.reported:
            text += " " + _("(%(waiting)s awaiting review, not in the total)") % {
                "waiting": self.reported - self.counted
            }
        return text


@dataclass
class Cell:
    """One quarter of a program (its figures and report status), or of a total (its figures and completeness)."""

    quarter: Quarter
    served: int | None = None
    worked: int | None = None
    status: str = ""  # the report's own review status ("" when none)
    standing: Standing | None = None  # the quarter's one status (outcomes/report_status.py)
    completeness: Completeness | None = None  # totals and groups: how many programs are in the figures

    @property
    def rate(self) -> Decimal | None:
        if self.served is None or self.worked is None:
            return None
        return rate(self.worked, self.served)

    @property
    def late(self) -> bool:
        """Submitted after the deadline (a missing report is `missing`, never both)."""
        return self.standing is not None and self.standing.late and not self.standing.missing

    @property
    def missing(self) -> bool:
        """Owed, past the deadline, and not submitted."""
        return self.standing is not None and self.standing.missing

    @property
    def incomplete(self) -> bool:
        return self.completeness is not None and not self.completeness.complete


@dataclass
class ProgramTrend:
    program_id: int
    name: str
    region: str
    funding_source: str
    phase: str
    cells: list[Cell]
    flags: list[str] = field(default_factory=list)
    target: Decimal | None = None
    chart: SafeString | None = None

    @property
    def latest(self) -> Cell | None:
        known = [c for c in self.cells if c.rate is not None]
        return known[-1] if known else None


@dataclass
class GroupTrend:
    name: str
    cells: list[Cell]


@dataclass
class Dashboard:
    state: State
    definition_code: str
    quarters: list[Quarter]
    benchmarks: dict[str, Decimal]
    totals: list[Cell]
    group_by: str
    groups: list[GroupTrend]
    programs: list[ProgramTrend]
    awaiting_review: list[QuarterlyReport]
    total_chart: SafeString
    exact: bool = False  # exact figures (the state team); otherwise counts under 11 show as "<11"

    @cached_property
    def outliers(self) -> list[ProgramTrend]:
        return [p for p in self.programs if p.flags]

    @cached_property
    def top_outliers(self) -> list[ProgramTrend]:
        """The flagged programs shown on the page: the most flagged first, at most FLAGGED_SHOWN, so the page
        does not grow with the number of programs (each program's flags are also on its own entry, and
        every one is in the CSV)."""
        return sorted(self.outliers, key=lambda p: (-len(p.flags), p.name))[:FLAGGED_SHOWN]


def window(end: Quarter, count: int) -> list[Quarter]:
    return [Quarter.from_index(i) for i in range(end.index - count + 1, end.index + 1)]


def last_complete_quarter(today: datetime.date) -> Quarter:
    return Quarter.containing(today).previous()


def _in_window(quarters: list[Quarter]) -> Q:
    first, last = quarters[0], quarters[-1]
    return (Q(year__gt=first.year) | Q(year=first.year, quarter__gte=first.quarter)) & (
        Q(year__lt=last.year) | Q(year=last.year, quarter__lte=last.quarter)
    )


def _cells(quarters: list[Quarter], rows: dict[tuple[int, int], Any]) -> list[Cell]:
    cells = []
    for q in quarters:
        row = rows.get((q.year, q.quarter))
        cells.append(Cell(q, row["served"], row["worked"]) if row else Cell(q))
    return cells


def _owes(program: Any, q: Quarter) -> bool:
    return owes_report(phase=program["phase"], started=program["kickoff_date"] or program["phase_since"], quarter=q)


def _flags(trend: ProgramTrend, benchmarks: dict[str, Decimal]) -> list[str]:
    """A program's flags, one per run (a run of quarters below the minimal benchmark is one flag, however
    long), so a program's flags stay few over 40 quarters."""
    flags = []
    minimal = benchmarks.get("minimal")
    cells = trend.cells
    below: list[Cell] = []

    def close_run() -> None:
        if len(below) >= 2:
            flags.append(
                _("Below the minimal benchmark (%(minimal)s%%) for %(count)s quarters running: %(first)s to %(last)s")
                % {"minimal": minimal, "count": len(below), "first": below[0].quarter, "last": below[-1].quarter}
            )
        below.clear()

    for cell in cells:
        if minimal is not None and cell.rate is not None and cell.rate < minimal:
            below.append(cell)
        else:
            close_run()
    close_run()
    for prev, cur in itertools.pairwise(cells):
        if prev.rate is not None and cur.rate is not None and prev.rate - cur.rate > DROP_POINTS:
            flags.append(
                _("Dropped %(points)s points from %(first)s to %(last)s")
                % {"points": prev.rate - cur.rate, "first": prev.quarter, "last": cur.quarter}
            )
    missing = [str(c.quarter) for c in cells if c.missing]
    late = [str(c.quarter) for c in cells if c.late]
    if missing:
        flags.append(_("Missing report: %(quarters)s") % {"quarters": ", ".join(missing)})
    if late:
        flags.append(_("Late report: %(quarters)s") % {"quarters": ", ".join(late)})
    return flags


def state_dashboard(
    *,
    state: State,
    programs: QuerySet[Program],
    definition_code: str,
    quarters: list[Quarter],
    group_by: str = "region",
    today: datetime.date | None = None,
    with_charts: bool = True,
    exact: bool = False,
) -> Dashboard:
    """Every program's trend, groups and state totals for `quarters`: six queries, whatever the size."""
    today = today or timezone.localdate()
    program_rows = list(
        programs.filter(state=state)
        .order_by("name")
        .values("id", "name", "region", "funding_source", "phase", "phase_since", "kickoff_date")
    )
    reports = QuarterlyReport.objects.filter(
        _in_window(quarters), program__state=state, definition_code=definition_code, is_current=True
    )
    by_program: dict[int, dict[tuple[int, int], Any]] = {}
    for report_row in reports.values(
        "program_id", "year", "quarter", "served", "worked", "status", "submitted_at", "due_on"
    ):
        by_program.setdefault(report_row["program_id"], {})[(report_row["year"], report_row["quarter"])] = report_row
    accepted = reports.filter(status=Status.ACCEPTED)
    sums = {"served": Sum("served"), "worked": Sum("worked"), "programs": Count("id")}
    totals = {(r["year"], r["quarter"]): r for r in accepted.values("year", "quarter").annotate(**sums)}
    group_field = group_by if group_by in GROUPINGS else "region"
    group_rows: dict[str, dict[tuple[int, int], Any]] = {}
    for r in accepted.values("year", "quarter", f"program__{group_field}").annotate(**sums):
        group_rows.setdefault(r[f"program__{group_field}"] or "Not set", {})[(r["year"], r["quarter"])] = r
    benchmarks = benchmarks_for(state, definition_code)
    targets = {
        (g["program_id"], g["year"]): g["target"]
        for g in Goal.objects.filter(
            program__state=state, metric=GoalMetric.EMPLOYMENT_RATE, quarter=0, year=quarters[-1].year
        ).values("program_id", "year", "target")
    }
    awaiting = list(
        QuarterlyReport.objects.filter(program__state=state, status=Status.SUBMITTED, is_current=True)
        .select_related("program")
        .order_by("due_on", "program__name")[:50]
    )

    trends = []
    # (group or None for the state, quarter) -> [expected, reported, counted]
    tallies: dict[tuple[str | None, Quarter], list[int]] = {}
    for program in program_rows:
        rows = by_program.get(program["id"], {})
        cells = []
        group_name = (program["region"] if group_field == "region" else program["funding_source"]) or "Not set"
        for q in quarters:
            row = rows.get((q.year, q.quarter))
            status = row["status"] if row else ""
            owed = _owes(program, q)
            for key in ((None, q), (group_name, q)):
                tally = tallies.setdefault(key, [0, 0, 0])
                tally[0] += owed or status in REPORTED
                tally[1] += status in REPORTED
                tally[2] += status == Status.ACCEPTED
            cell = Cell(q)
            if row is not None:
                cell.status = row["status"]
                if row["status"] == Status.ACCEPTED:
                    cell.served, cell.worked = row["served"], row["worked"]
            cell.standing = quarter_status(
                quarter=q,
                owed=owed,
                today=today,
                review_status=row["status"] if row else None,
                submitted_at=row["submitted_at"] if row else None,
                due_on=row["due_on"] if row else None,
            )
            cells.append(cell)
        trend = ProgramTrend(
            program_id=program["id"],
            name=program["name"],
            region=program["region"] or "Not set",
            funding_source=program["funding_source"] or "Not set",
            phase=Phase(program["phase"]).label,
            cells=cells,
            target=targets.get((program["id"], quarters[-1].year)),
        )
        trend.flags = _flags(trend, benchmarks)
        trends.append(trend)
    total_cells = _with_completeness(_cells(quarters, totals), None, tallies)
    chart = charts.rate_chart(
        "chart-state",
        _("%(state)s: employment rate by quarter, all programs") % {"state": state.name},
        _points(total_cells, exact),
        benchmarks,
    )
    return Dashboard(
        state=state,
        definition_code=definition_code,
        quarters=quarters,
        benchmarks=benchmarks,
        totals=total_cells,
        group_by=group_field,
        groups=[
            GroupTrend(name, _with_completeness(_cells(quarters, rows), name, tallies))
            for name, rows in sorted(group_rows.items())
        ],
        programs=trends,
        awaiting_review=awaiting,
        total_chart=chart,
        exact=exact,
    )


def _with_completeness(
    cells: list[Cell], group: str | None, tallies: dict[tuple[str | None, Quarter], list[int]]
) -> list[Cell]:
    for cell in cells:
        expected, reported, counted = tallies.get((group, cell.quarter), [0, 0, 0])
        cell.completeness = Completeness(expected=expected, reported=reported, counted=counted)
    return cells


def _points(cells: list[Cell], exact: bool) -> list[charts.Point]:
    """Chart points; unless `exact`, a rate built on a count under 11 is left out (a gap), as in the table.
    A total's quarter that not every program is in is marked incomplete."""
    return [
        charts.Point(str(c.quarter), visible_rate(c.worked, c.served, c.rate, exact), incomplete=c.incomplete)
        for c in cells
    ]


def add_program_charts(trends: list[ProgramTrend], benchmarks: dict[str, Decimal], *, exact: bool = False) -> None:
    """Draw the charts of the programs on the current page only."""
    for trend in trends:
        trend.chart = charts.rate_chart(
            f"chart-program-{trend.program_id}",
            _("%(program)s: employment rate by quarter") % {"program": trend.name},
            _points(trend.cells, exact),
            benchmarks,
            trend.target,
        )


# --- One program ----------------------------------------------------------------------------------


@dataclass
class GoalCheck:
    goal: Goal
    actual: Decimal | None

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.goal.target


def program_reports(program: Program, definition_code: str) -> list[QuarterlyReport]:
    return list(
        QuarterlyReport.objects.filter(program=program, definition_code=definition_code, is_current=True).order_by(
            "-year", "-quarter"
        )
    )


def goal_actual(goal: Goal, reports: list[QuarterlyReport]) -> Decimal | None:
    """The actual figure for a goal: one quarter's, or for a year the sum of job starts / the pooled rate /
    the mean of the quarterly averages."""
    rows = [
        r
        for r in reports
        if r.year == goal.year and (goal.quarter in (0, r.quarter)) and r.status in (Status.ACCEPTED, Status.SUBMITTED)
    ]
    if not rows:
        return None
    if goal.metric == GoalMetric.JOB_STARTS:
        return Decimal(sum(r.job_starts for r in rows))
    if goal.metric == GoalMetric.EMPLOYMENT_RATE:
        return rate(sum(r.worked for r in rows), sum(r.served for r in rows))
    values = [getattr(r, goal.metric) for r in rows if getattr(r, goal.metric) is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def goal_checks(program: Program, reports: list[QuarterlyReport]) -> list[GoalCheck]:
    return [GoalCheck(goal, goal_actual(goal, reports)) for goal in program.outcome_goals.all()]


def report_standing(program: Program, report: QuarterlyReport, today: datetime.date) -> Standing | None:
    """One report's quarter status, as the dashboard and the quarter table give it."""
    started = program.kickoff_date or program.phase_since
    q = Quarter(report.year, report.quarter)
    return quarter_status(
        quarter=q,
        owed=owes_report(phase=program.phase, started=started, quarter=q),
        today=today,
        review_status=report.status,
        submitted_at=report.submitted_at,
        due_on=report.due_on,
    )


def program_quarters(
    program: Program, reports: list[QuarterlyReport], today: datetime.date, count: int = 8
) -> list[Cell]:
    """The program's last `count` complete quarters, newest first, each with its one status (from the reports
    already read: no query), so the page shows a quarter with no report at all as due or late."""
    by_quarter = {(r.year, r.quarter): r for r in reports}
    started = program.kickoff_date or program.phase_since
    cells = []
    for q in reversed(window(last_complete_quarter(today), count)):
        report = by_quarter.get((q.year, q.quarter))
        cell = Cell(q, status=report.status if report else "")
        if report is not None and report.status == Status.ACCEPTED:
            cell.served, cell.worked = report.served, report.worked
        if report is not None:
            cell.standing = report_standing(program, report, today)
        else:
            owed = owes_report(phase=program.phase, started=started, quarter=q)
            cell.standing = quarter_status(quarter=q, owed=owed, today=today)
        if cell.standing is not None:
            cells.append(cell)
    return cells


def program_chart(
    program: Program, reports: list[QuarterlyReport], benchmarks: dict[str, Decimal], *, exact: bool = False
) -> SafeString:
    accepted = sorted((r for r in reports if r.status == Status.ACCEPTED), key=lambda r: (r.year, r.quarter))
    points = [
        charts.Point(r.period, visible_rate(r.worked, r.served, rate(r.worked, r.served), exact))
        for r in accepted[-12:]
    ]
    return charts.rate_chart(
        "chart-program",
        _("%(program)s: employment rate by accepted quarter") % {"program": program.name},
        points,
        benchmarks,
    )


def not_started_message(year: int, quarter: int) -> str | None:
    """Why a quarter that has not begun can't have figures (None when it has begun)."""
    first_day = Quarter(year, quarter).first_day
    if first_day <= timezone.localdate():
        return None
    return (
        f"{year} Q{quarter} has not started yet (it starts on {long_date(first_day)}): "
        "enter figures once the quarter is under way."
    )


def in_progress_until(year: int, quarter: int) -> datetime.date | None:
    """The quarter's last day while it is still going on (figures may still change); None once it has ended."""
    last_day = Quarter(year, quarter).last_day
    return last_day if timezone.localdate() <= last_day else None


def due_on(year: int, quarter: int) -> datetime.date:
    return deadline_for(Quarter(year, quarter))


def current_report(program: Program, year: int, quarter: int, definition_code: str) -> QuarterlyReport | None:
    return QuarterlyReport.objects.filter(
        program=program, year=year, quarter=quarter, definition_code=definition_code, is_current=True
    ).first()


def benchmarks_for(state: State, definition_code: str) -> dict[str, Decimal]:
    values = dict(catalog().default_benchmarks.get(definition_code, {}))
    for level, value in Benchmark.objects.filter(state=state, definition_code=definition_code).values_list(
        "level", "rate"
    ):
        values[level] = value
    return values
