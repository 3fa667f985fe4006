"""Generated collaboration records: two weekly series per program with twelve weeks of meetings,
plus training completions for specialists. Bulk-written in batches (no audit: generated data)."""

import datetime

from django.utils import timezone

from ipshub.areakit.scale import ScaleContext
from ipshub.collaboration.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    TrainingCompletion,
)
from ipshub.tenancy.models import Membership
from ipshub.tenancy.roles import Role

BATCH = 2000
WEEKS = 12


def generate(ctx: ScaleContext) -> dict[str, int]:
    """Add this area's generated records at ctx.scale; returns counts by kind."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    trainer_org = dict(
        Membership.objects.filter(person_id__in={t for t in ctx.trainers if t}, role=Role.STATE_TRAINER).values_list(
            "person_id", "organization_id"
        )
    )
    series = MeetingSeries.objects.bulk_create(
        (
            MeetingSeries(program=program, kind=kind, title=f"{program.name} {label}", cadence="weekly")
            for program in ctx.programs
            for kind, label in (
                (MeetingKind.IPS_UNIT, "unit meeting"),
                (MeetingKind.TREATMENT_TEAM, "treatment team"),
            )
        ),
        batch_size=BATCH,
    )
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                series=s,
                date=monday - datetime.timedelta(weeks=week) + datetime.timedelta(days=1 + i % 2),
                starts_at=datetime.time(9 + i % 2 * 4, 0),
                ends_at=datetime.time(10 + i % 2 * 4, 0),
            )
            for i, s in enumerate(series)
            for week in range(WEEKS)
        ),
        batch_size=BATCH,
    )
    attendances: list[Attendance] = []
    for n, meeting in enumerate(meetings):
        p = n // (2 * WEEKS)
        program = ctx.programs[p]
        unit_org = program.employment_provider_id or program.mh_agency_id
        attendances.append(
            Attendance(
                meeting=meeting,
                person_id=ctx.supervisors[p],
                organization_id=unit_org,
                role=Role.IPS_SUPERVISOR,
            )
        )
        trainer = ctx.trainers[p]
        if trainer and trainer in trainer_org and ctx.rng.random() < 0.3:
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person_id=trainer,
                    organization_id=trainer_org[trainer],
                    role=Role.STATE_TRAINER,
                    status=AttendanceStatus.ATTENDED,
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    completions = TrainingCompletion.objects.bulk_create(
        (
            TrainingCompletion(
                person_id=specialist,
                organization_id=program.employment_provider_id or program.mh_agency_id,
                course="ips_initial",
                completed_on=today - datetime.timedelta(days=ctx.rng.randint(30, 700)),
            )
            for program, group in zip(ctx.programs, ctx.specialists, strict=True)
            for specialist in group
            if ctx.rng.random() < 0.7
        ),
        batch_size=BATCH,
    )
    return {
        "meeting series": len(series),
        "meetings": len(meetings),
        "attendances": len(attendances),
        "training completions": len(completions),
    }
