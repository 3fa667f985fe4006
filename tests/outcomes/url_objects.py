from decimal import Decimal

from ipshub.outcomes import services
from ipshub.outcomes.models import GoalMetric
from tests.world import World

CSV = b"year,quarter,served,worked\n2025,1,40,16\n"


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
    return {"report_id": report.pk, "goal_id": goal.pk, "upload_id": upload.pk}
