"""An object of program P1 / state A for every URL keyword of the collaboration area."""

import datetime

from ipshub.collaboration import services
from ipshub.collaboration.models import MeetingKind
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    admin = world.people["admin"]
    series = services.series_create(
        actor=admin, program=world.programs["p1"], kind=MeetingKind.IPS_UNIT, title="P1 IPS unit meeting"
    )
    meeting = services.meeting_record(
        actor=admin,
        series=series,
        date=datetime.date(2025, 3, 3),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(10, 0),
        attendees=[world.people["supervisor"], world.people["trainer"]],
    )
    follow_up = services.follow_up_add(actor=admin, meeting=meeting, text="Share the job leads list")
    specialist = world.people["specialist"]
    completion = services.training_record(
        actor=admin,
        membership=specialist.memberships.get(),
        course="online_specialist",
        completed_on=datetime.date(2025, 3, 1),
    )
    return {
        "series_id": series.pk,
        "meeting_id": meeting.pk,
        "follow_up_id": follow_up.pk,
        "completion_id": completion.pk,
    }
