"""Small builders for collaboration tests (through the services, so the rules apply)."""

import datetime

from ipshub.collaboration import services
from ipshub.collaboration.models import Meeting, MeetingKind, MeetingSeries
from ipshub.tenancy.models import Phase, PhaseChange, Program
from tests.world import World


def start_implementation(program: Program, on: datetime.date) -> None:
    PhaseChange.objects.create(program=program, from_phase=Phase.PRIOR, to_phase=Phase.IMPLEMENTATION, effective_on=on)
    program.phase, program.phase_since = Phase.IMPLEMENTATION, on
    program.save(update_fields=["phase", "phase_since"])


def series(world: World, kind: str = MeetingKind.IPS_UNIT, program: str = "p1") -> MeetingSeries:
    return services.series_create(
        actor=world.people["admin"],
        program=world.programs[program],
        kind=kind,
        title=f"{MeetingKind(kind).label} ({program})",
    )


def meeting(
    world: World,
    s: MeetingSeries,
    on: datetime.date,
    attendees: tuple[str, ...] = (),
    invited: tuple[str, ...] = (),
    start: tuple[int, int] = (10, 0),
) -> Meeting:
    return services.meeting_record(
        actor=world.people["admin"],
        series=s,
        date=on,
        starts_at=datetime.time(*start),
        ends_at=datetime.time(start[0] + 1, start[1]),
        attendees=[world.people[n] for n in attendees],
        invited=[world.people[n] for n in invited],
    )
