"""An object of program P1 (state A) for every URL keyword of the DVR area."""

from ipshub.dvr import services
from tests.dvr.factories import authorize, hired, report_data, shared_client
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment)
    services.report_submit(
        actor=world.people["specialist"], authorization=authorization, data=report_data(authorization)
    )
    return {"authorization_id": authorization.pk, "state_id": world.state_a.pk}
