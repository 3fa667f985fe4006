"""What collaboration has coming due for a person: meetings coming up, follow-ups they own, cadences
at risk in programs they answer for, and their own required training."""

import datetime

from django.urls import reverse

from ipshub.collaboration import cadence, selectors
from ipshub.collaboration.models import AttendanceStatus, Meeting
from ipshub.lib.due import DueItem
from ipshub.tenancy.models import Person

# Which checks each kind of person answers for.
TRAINER_CHECKS = {"trainer_unit", "trainer_team", "steering"}
LOCAL_CHECKS = {"staff_team", "steering"}


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """What this area has coming due or overdue for `person` (owned by them or their organization)."""
    items: list[DueItem] = []
    horizon = today + datetime.timedelta(days=selectors.UPCOMING_DAYS)
    meetings = (
        Meeting.objects.filter(
            attendances__person=person,
            attendances__status__in=(AttendanceStatus.ATTENDED, AttendanceStatus.INVITED),
            date__range=(today, horizon),
        )
        .select_related("series", "series__program", "series__organization")
        .distinct()
    )
    for meeting in meetings:
        items.append(
            DueItem(
                kind="meeting",
                key=f"meeting:{meeting.pk}",
                title=f"{meeting.series.title} at {meeting.starts_at:%-I:%M %p}",
                due_on=meeting.date,
                url=reverse("collaboration:meeting_detail", args=[meeting.pk]),
                program_name=meeting.series.owner_name,
            )
        )
    for follow_up in selectors.follow_ups_for(person).exclude(due_on=None):
        assert follow_up.due_on is not None
        items.append(
            DueItem(
                kind="follow_up",
                key=f"follow_up:{follow_up.pk}",
                title=f"Follow-up from {follow_up.meeting.series.title}: {follow_up.text[:80]}",
                due_on=follow_up.due_on,
                url=reverse("collaboration:meeting_detail", args=[follow_up.meeting_id]),
                program_name=follow_up.meeting.series.owner_name,
            )
        )
    programs = list(selectors.cadence_watch_programs(person))
    for result in selectors.cadence_for(programs, today) if programs else []:
        program = result.program
        wanted = TRAINER_CHECKS if program.trainer_id == person.pk else LOCAL_CHECKS
        for check in result.checks:
            if check.key not in wanted:
                continue
            for period in check.periods:
                if period.status == cadence.AT_RISK:
                    items.append(
                        DueItem(
                            kind="cadence",
                            key=f"cadence:{program.pk}:{check.key}:{period.period.start.isoformat()}",
                            title=f"At risk: {check.title} — nothing recorded for {period.period.label}",
                            due_on=period.period.end,
                            url=reverse("collaboration:program", args=[program.pk]),
                            program_name=program.name,
                        )
                    )
    for gap in selectors.personal_gaps(person):
        if gap.due_by is not None:
            items.append(
                DueItem(
                    kind="training",
                    key=f"training:{gap.membership.pk}:{gap.course.key}",
                    title=f"Complete “{gap.course.title}”",
                    due_on=gap.due_by,
                    url=reverse("collaboration:training"),
                    program_name=gap.membership.organization.name,
                )
            )
    return items
