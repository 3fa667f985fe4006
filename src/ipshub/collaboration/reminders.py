"""What collaboration has coming due for a person: meetings coming up, follow-ups they own, cadences
at risk in programs they answer for, and their own required training."""

import datetime
from typing import Any

from django.db.models import CharField, IntegerField, QuerySet, TimeField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.catalog.translations import local
from ipshub.collaboration import cadence, selectors
from ipshub.collaboration.models import AttendanceStatus, Meeting, TrainingCompletion
from ipshub.lib.due import DueItem, url_for_each
from ipshub.tenancy.access import person_rows
from ipshub.tenancy.models import Person

# Which checks each kind of person answers for.
TRAINER_CHECKS = {"trainer_unit", "trainer_team", "steering"}
LOCAL_CHECKS = {"staff_team", "steering"}


def _due_rows(person: Person, today: datetime.date, horizon: datetime.date, asks_training: bool) -> QuerySet[Any, Any]:
    """Meetings coming up, the person's open follow-ups and the courses they completed, in one query of plain rows
    (a UNION: no model is built). A person attends a meeting once (attendance_once_per_meeting), so the join
    repeats no meeting."""
    text, time = CharField(), TimeField()
    owner = Coalesce("series__program__name", "series__organization__name", output_field=text)
    meetings = (
        Meeting.objects.filter(
            attendances__person=person,
            attendances__status__in=(AttendanceStatus.ATTENDED, AttendanceStatus.INVITED),
            date__range=(today, horizon),
        )
        .order_by()
        .annotate(what=Value("meeting", output_field=text), owner_name=owner, note=Value("", output_field=text))
        .values_list("what", "pk", "series__title", "owner_name", "date", "starts_at", "note", "pk")
    )
    follow_ups = (
        selectors.follow_ups_for(person)
        .exclude(due_on=None)
        .order_by()
        .annotate(
            what=Value("follow_up", output_field=text),
            owner_name=Coalesce(
                "meeting__series__program__name", "meeting__series__organization__name", output_field=text
            ),
            starts=Value(None, output_field=time),
        )
        .values_list("what", "pk", "meeting__series__title", "owner_name", "due_on", "starts", "text", "meeting_id")
    )
    parts: list[QuerySet[Any, Any]] = [follow_ups]
    if asks_training:
        # The courses the person completed, for their own training gaps below: in the same query.
        parts.append(
            TrainingCompletion.objects.filter(person=person)
            .order_by()
            .annotate(
                what=Value("completed", output_field=text),
                no_title=Value("", output_field=text),
                no_owner=Value("", output_field=text),
                no_time=Value(None, output_field=time),
                no_meeting=Value(None, output_field=IntegerField()),
            )
            .values_list("what", "pk", "no_title", "no_owner", "completed_on", "no_time", "course", "no_meeting")
        )
    return meetings.union(*parts, all=True)


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """What this area has coming due or overdue for `person` (owned by them or their organization)."""
    items: list[DueItem] = []
    horizon = today + datetime.timedelta(days=selectors.UPCOMING_DAYS)
    asks_training = selectors.has_required_courses(person)
    rows = person_rows(
        person,
        f"collaboration.due_items:{asks_training}",
        today,
        lambda: _due_rows(person, today, horizon, asks_training),
    )
    meeting_url = url_for_each("collaboration:meeting_detail")
    completed: set[str] = set()
    for what, pk, series_title, owner, due_on, starts_at, note, meeting_id in rows:
        if what == "completed":
            completed.add(note)
            continue
        if what == "meeting":
            kind, title = (
                "meeting",
                _("%(meeting)s at %(time)s") % {"meeting": series_title, "time": f"{starts_at:%-I:%M %p}"},
            )
        else:
            kind, title = (
                "follow_up",
                _("Follow-up from %(meeting)s: %(note)s") % {"meeting": series_title, "note": note[:80]},
            )
        items.append(
            DueItem(
                kind=kind,
                key=f"{kind}:{pk}",
                title=title,
                due_on=due_on,
                url=meeting_url(meeting_id),
                program_name=owner,
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
                            title=_("At risk: %(check)s — nothing recorded for %(period)s")
                            % {"check": check.title, "period": period.period.label},
                            due_on=period.period.end,
                            url=reverse("collaboration:program", args=[program.pk]),
                            program_name=program.name,
                        )
                    )
    for gap in selectors.personal_gaps(person, completed) if asks_training else []:
        if gap.due_by is not None:
            items.append(
                DueItem(
                    kind="training",
                    key=f"training:{gap.membership.pk}:{gap.course.key}",
                    title=_("Complete “%(course)s”") % {"course": local(gap.course, "title")},
                    due_on=gap.due_by,
                    url=reverse("collaboration:training"),
                    program_name=gap.membership.organization.name,
                )
            )
    return items
