import contextlib
import datetime
from decimal import Decimal

from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.outcomes import early_warning, services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import Goal, GoalMetric, ImportedAggregate, QuarterlyReport, ReportEvent
from ipshub.tenancy.models import Person, Phase, Program

# (served, worked) for the eight quarters, oldest first, by program name; the rest follow from them.
FIGURES = {
    "Pine County IPS": [(38, 12), (41, 14), (44, 17), (46, 19), (47, 20), (49, 22), (50, 23), (52, 24)],
    "Red Cedar Nation IPS": [(9, 2), (12, 3), (14, 4), (15, 5), (17, 6), (18, 7), (20, 7), (21, 9)],
    "Lake County IPS": [(20, 8), (22, 9), (24, 10), (25, 8), (26, 7), (27, 9), (28, 11), (30, 12)],
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- Trustworthy figures: one report really late (submitted 44 days after its quarter, the deadline being 30),
# so the state dashboard's flag list has one true "Late report" and nothing else about deadlines. Every other
# report went in 15 days after its quarter: on time, and never flagged. (Program, quarters before the last.)
LATE_REPORT = ("Red Cedar Nation IPS", 1)
LATE_DAYS = 44
ON_TIME_DAYS = 15
# --- end of trustworthy figures


def _dated(report: QuarterlyReport, q: Quarter, today: datetime.date, *, days_after: int = ON_TIME_DAYS) -> None:
    """Date the report's trail as it happened: drafted and submitted `days_after` its quarter (about two weeks,
    well before the deadline, unless it is the late one), reviewed ten days later; never after today."""
    submitted = min(q.last_day + datetime.timedelta(days=days_after), today)
    drafted = min(q.last_day + datetime.timedelta(days=10), submitted)
    reviewed = min(submitted + datetime.timedelta(days=10), today)
    QuarterlyReport.objects.filter(pk=report.pk).update(submitted_at=_at(submitted, 10), reviewed_at=_at(reviewed, 15))
    for action, day, hour in (("create", drafted, 9), ("submit", submitted, 10)):
        ReportEvent.objects.filter(report=report, action=action).update(at=_at(day, hour))
    ReportEvent.objects.filter(report=report, action__in=("accept", "return")).update(at=_at(reviewed, 15))


def _goals(lead: Person, program: Program, last: Quarter, today: datetime.date) -> None:
    """Goals set soon after the program started, then set again each January for the new year."""
    started = program.kickoff_date or program.phase_since
    first = min(started + datetime.timedelta(days=45), today)
    for year in range(first.year, today.year + 1):
        set_on = first if year == first.year else min(datetime.date(year, 1, 15), today)
        behind = today.year - year
        targets = [(GoalMetric.EMPLOYMENT_RATE, 41 - 3 * behind), (GoalMetric.JOB_STARTS, 20 - 2 * behind)]
        if year == last.year:
            targets.append((GoalMetric.AVG_WEEKLY_HOURS, 20))
        for metric, target in targets:
            goal = services.goal_set(
                actor=lead, program=program, year=year, quarter=0, metric=metric, target=Decimal(target)
            )
            Goal.objects.filter(pk=goal.pk).update(created_at=_at(set_on, 11), updated_at=_at(set_on, 11))


def build(ctx: DemoContext) -> None:
    """Eight quarters of accepted reports for the programs in implementation or ongoing service, the last
    quarter of one returned with a comment (submitted on time: "returned", not late), one report submitted
    after its deadline (LATE_REPORT), and yearly goals."""
    lead = ctx.people["statelead"]
    today = timezone.localdate()
    last = Quarter.containing(today).previous()
    quarters = [Quarter.from_index(last.index - 7 + i) for i in range(8)]
    for name, series in FIGURES.items():
        program = ctx.programs.get(name)
        if program is None or program.phase == Phase.PRIOR:
            continue
        for q, (served, worked) in zip(quarters, series, strict=True):
            report = services.report_save(
                actor=lead,
                program=program,
                year=q.year,
                quarter=q.quarter,
                definition_code=DEFAULT_CODE,
                figures={
                    "served": served,
                    "worked": worked,
                    "in_education": served // 8,
                    "job_starts": max(1, worked // 4),
                    "job_endings": worked // 8,
                    "new_clients": max(1, served // 6),
                    "new_with_contact_30d": max(1, served // 6) // 2,
                    "avg_weekly_hours": Decimal("18.5"),
                    "avg_hourly_wage": Decimal("16.75"),
                },
            )
            services.report_submit(actor=lead, report=report)
            if name == "Lake County IPS" and q == last:
                services.report_return(
                    actor=lead,
                    report=report,
                    comment="Worked is higher than the job starts and existing jobs suggest. Please check.",
                )
            else:
                services.report_accept(actor=lead, report=report)
            late = (name, last.index - q.index) == LATE_REPORT
            _dated(report, q, today, days_after=LATE_DAYS if late else ON_TIME_DAYS)
        _goals(lead, program, last, today)
    _imported_aggregates(quarters[-4:])
    # --- Early warning (issue #23, peers): fitted on the demo's own quarters, as the cron's refit would be ---
    # (A history with one outcome only is not fitted: the page then says the model has not been fitted yet.)
    with contextlib.suppress(ValueError):
        early_warning.early_warning_refit(actor=lead, today=today)


# --- Exchange (issue #23): a neighbouring state that runs its own install published its aggregate file, and
# Westmark's state team imported it, so the national pooled roll-up has more than one state. Its small
# program is under the small-count rule ("<11", stored as None) and stays out of the pooled rate.
NEIGHBOUR: dict[str, list[tuple[int, int | None]]] = {
    "Granite Falls IPS": [(52, 23), (55, 24), (57, 26), (60, 28)],
    "Silver Lake IPS": [(88, 37), (90, 40), (86, 39), (91, 43)],
    "Frontier Valley IPS": [(9, None), (10, None), (12, None), (14, 6)],
}


def _imported_aggregates(quarters: list[Quarter]) -> None:
    ImportedAggregate.objects.bulk_create(
        ImportedAggregate(
            source_install="northridge-ips-hub",
            state_code="NR",
            state_name="North Ridge",
            program_label=label,
            year=q.year,
            quarter=q.quarter,
            definition_code=DEFAULT_CODE,
            served=served if served >= 11 else None,
            worked=worked if worked is not None and worked >= 11 else None,
            in_education=served // 8 if served // 8 >= 11 else None,
            job_starts=None,
            job_endings=None,
        )
        for label, series in NEIGHBOUR.items()
        for q, (served, worked) in zip(quarters, series, strict=True)
    )
