from decimal import Decimal

from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.outcomes import services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import GoalMetric
from ipshub.tenancy.models import Phase

# (served, worked) for the eight quarters, oldest first, by program name; the rest follow from them.
FIGURES = {
    "Pine County IPS": [(38, 12), (41, 14), (44, 17), (46, 19), (47, 20), (49, 22), (50, 23), (52, 24)],
    "Red Cedar Nation IPS": [(9, 2), (12, 3), (14, 4), (15, 5), (17, 6), (18, 7), (20, 7), (21, 9)],
    "Lake County IPS": [(20, 8), (22, 9), (24, 10), (25, 8), (26, 7), (27, 9), (28, 11), (30, 12)],
}


def build(ctx: DemoContext) -> None:
    """Eight quarters of accepted reports for the programs in implementation or ongoing service, the last
    quarter of one returned with a comment, and yearly goals."""
    lead = ctx.people["statelead"]
    last = Quarter.containing(timezone.localdate()).previous()
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
        year = timezone.localdate().year
        services.goal_set(
            actor=lead, program=program, year=year, quarter=0, metric=GoalMetric.EMPLOYMENT_RATE, target=Decimal(41)
        )
        services.goal_set(
            actor=lead, program=program, year=year, quarter=0, metric=GoalMetric.JOB_STARTS, target=Decimal(20)
        )
        services.goal_set(
            actor=lead,
            program=program,
            year=last.year,
            quarter=0,
            metric=GoalMetric.AVG_WEEKLY_HOURS,
            target=Decimal(20),
        )
