"""Home panel: DVR reports and reviews coming due or overdue. A fixed number of queries."""

import datetime

from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.clients import access as clients_access
from ipshub.dvr import access, selectors
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

HORIZON_DAYS = 14
ROWS = 10
ROLES = {*clients_access.DVR_ROLES, Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST}


def due_soon_rows(person: Person, today: datetime.date) -> list[selectors.DueRow]:
    is_dvr = bool(access.dvr_office_ids(person))
    rows = selectors.due_rows(access.authorizations_visible_to(person, today), for_dvr=is_dvr)
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    return [r for r in rows if r.due_on <= horizon]


def panels(person: Person) -> list[Panel]:
    if not tenancy.roles_of(person) & ROLES:
        return []
    today = timezone.localdate()
    # Shown to these roles even when nothing is due (it says so): the same queries whatever the data.
    rows = due_soon_rows(person, today)
    return [Panel("dvr/panel.html", {"rows": rows[:ROWS], "today": today, "days": HORIZON_DAYS}, order=30)]
