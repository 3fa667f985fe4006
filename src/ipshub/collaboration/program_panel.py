"""The collaboration panels of a program's hub (`/programs/<id>/`, web/program_hub.py): the program's meetings
(the next one, the last one held, how many this quarter) and its technical assistance (the last visit or call,
hours and entries over the last twelve months), in four queries whatever the history."""

import datetime

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.panels import ProgramPanel
from ipshub.collaboration import access as collab_access
from ipshub.collaboration.cadence import quarter_of
from ipshub.tenancy.models import Person, Program

TA_WINDOW_DAYS = 365


def panels(person: Person, program: Program) -> list[ProgramPanel]:
    today = timezone.localdate()
    return [_meetings(person, program, today), _technical_assistance(person, program, today)]


def _meetings(person: Person, program: Program, today: datetime.date) -> ProgramPanel:
    meetings = collab_access.meetings_visible_to(person).filter(series__program=program)
    quarter = quarter_of(today)
    counts = meetings.aggregate(
        held_this_quarter=Count("id", filter=Q(date__range=(quarter.start, today))),
        last_held=Max("date", filter=Q(date__lte=today)),
    )
    upcoming = meetings.filter(date__gte=today).select_related("series").order_by("date", "starts_at").first()
    return ProgramPanel(
        key="meetings",
        title=_("Meetings"),
        url=reverse("collaboration:program", args=[program.pk]),
        template="collaboration/_program_panel_meetings.html",
        figures={
            "held_this_quarter": counts["held_this_quarter"] or 0,
            "last_held_on": counts["last_held"],
            "next_meeting": None
            if upcoming is None
            else {"id": upcoming.pk, "title": upcoming.series.title, "date": upcoming.date},
        },
        order=50,
    )


def _technical_assistance(person: Person, program: Program, today: datetime.date) -> ProgramPanel:
    entries = collab_access.ta_visible_to(person).filter(program=program)
    since = today - datetime.timedelta(days=TA_WINDOW_DAYS)
    totals = entries.filter(date__range=(since, today)).aggregate(entries=Count("id"), hours=Sum("hours"))
    last = entries.filter(date__lte=today).select_related("trainer").order_by("-date", "-id").first()
    return ProgramPanel(
        key="technical_assistance",
        title=_("Technical assistance"),
        url=reverse("collaboration:technical_assistance", args=[program.pk]),
        template="collaboration/_program_panel_ta.html",
        figures={
            "window_days": TA_WINDOW_DAYS,
            "entries": totals["entries"] or 0,
            "hours": float(totals["hours"] or 0),
            "last": None
            if last is None
            else {"date": last.date, "kind": last.kind, "trainer": str(last.trainer), "topics": last.topics},
        },
        context={"last": last},
        order=60,
    )
