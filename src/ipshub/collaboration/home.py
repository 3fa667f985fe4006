import datetime

from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.collaboration import selectors
from ipshub.tenancy.models import Person
from ipshub.tenancy.wages import month_label

CADENCE_PROGRAMS_ON_HOME = 10


def panels(person: Person) -> list[Panel]:
    today = timezone.localdate()
    out = []
    meetings = selectors.upcoming_meetings(person, today, limit=5)
    if meetings:
        out.append(Panel("collaboration/panel_upcoming.html", {"meetings": meetings}, order=30))
    programs = list(selectors.cadence_watch_programs(person)[:CADENCE_PROGRAMS_ON_HOME])
    if programs:
        out.append(
            Panel(
                "collaboration/panel_cadence.html",
                {
                    "cadences": selectors.cadence_for(programs, today),
                    "month_label": month_label(datetime.date(today.year, today.month, 1)),
                },
                order=35,
            )
        )
    return out
