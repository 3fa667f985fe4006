from decimal import Decimal

from ipshub.outcomes import aggregates, services
from ipshub.outcomes.models import GoalMetric
from tests.world import World

CSV = b"year,quarter,served,worked\n2025,1,40,16\n"
AGGREGATE_CSV = (
    b"format,source_install,state_code,state_name,program,year,quarter,definition,served,worked,in_education,"
    b"job_starts,job_endings\nipshub-aggregate-1,elsewhere,CC,C,One,2025,1,worked_over_served,40,12,11,11,11\n"
)


def object_ids(world: World) -> dict[str, int]:
    """A report, goal and upload of program P1 in state A (a draft report, so every page opens for the admin)."""
    p1, admin = world.programs["p1"], world.people["admin"]
    report = services.report_save(
        actor=admin,
        program=p1,
        year=2025,
        quarter=2,
        definition_code="worked_over_served",
        figures={"served": 30, "worked": 12},
    )
    goal = services.goal_set(
        actor=admin, program=p1, year=2025, quarter=0, metric=GoalMetric.JOB_STARTS, target=Decimal(10)
    )
    upload = services.upload_check(actor=admin, program=p1, filename="figures.csv", content=CSV)
    # Exchange: a checked aggregate file of state A (outcomes/aggregates.py).
    aggregate = aggregates.aggregate_upload_check(
        actor=admin, state=world.state_a, filename="aggregates.csv", content=AGGREGATE_CSV
    )
    return {"report_id": report.pk, "goal_id": goal.pk, "upload_id": upload.pk, "aggregate_upload_id": aggregate.pk}
