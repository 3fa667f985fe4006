"""Home panels: caseload alerts for specialists, the unit at a glance for supervisors, shared clients
for DVR staff. Each panel runs a fixed number of queries."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.clients import access, my_caseload, selectors, services, weeks
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

ALERT_ROWS = 10
ENDED_SHOWN_DAYS = 60  # jobs ended longer ago are in the reminders only


def panels(person: Person) -> list[Panel]:
    return []


def first_panels(person: Person) -> list[Panel]:
    """The person's caseload, right after what needs them now on their home page."""
    roles = tenancy.roles_of(person)
    today = timezone.localdate()
    result = []
    if Role.EMPLOYMENT_SPECIALIST in roles:
        result.append(Panel("clients/panel_specialist.html", specialist_panel(person, today), order=10))
    if Role.IPS_SUPERVISOR in roles:
        result.append(Panel("clients/panel_supervisor.html", supervisor_panel(person, today), order=11))
    if roles & set(access.DVR_ROLES):
        shared = access.dvr_enrollments_visible_to(person, today).count()
        result.append(Panel("clients/panel_dvr.html", {"shared": shared}, order=12))
    return result


def specialist_panel(person: Person, today: datetime.date) -> dict[str, object]:
    """The specialist's open clients, the jobs that ended in the last 60 days without help toward the next, and
    the clients with no employer contact in 30 days and no job (my_caseload: the reminders read the same rows)."""
    clients = my_caseload.open_clients(person)
    since = today - datetime.timedelta(days=selectors.NO_CONTACT_DAYS)
    quiet = [c for c in clients if not c.working and (c.last_contact_on is None or c.last_contact_on < since)][
        :ALERT_ROWS
    ]
    shown_since = today - datetime.timedelta(days=ENDED_SHOWN_DAYS)
    ended = [j for j in my_caseload.ended_jobs(person, clients, today) if j.ended_on >= shown_since][:ALERT_ROWS]
    shown = sorted({c.enrollment_id for c in quiet} | {j.enrollment_id for j in ended})
    if shown:
        services.record_list(actor=person, action="client.list_home", enrollment_ids=shown)
    return {
        "open": len(clients),
        "over": len(clients) > selectors.CASELOAD_LIMIT,
        "limit": selectors.CASELOAD_LIMIT,
        "quiet": quiet,
        "ended": ended,
        "days": selectors.NO_CONTACT_DAYS,
    }


def supervisor_panel(person: Person, today: datetime.date) -> dict[str, object]:
    # Both reads over the programs the person supervises (a subquery of each, not a query of its own), their SQL
    # built once a day (`tenancy.access.person_rows`).
    def sizes() -> QuerySet[Any, Any]:
        program_ids = access.supervised_program_ids(person)
        return selectors.caseload_size_query(access.enrollments_visible_to(person).filter(program_id__in=program_ids))

    def weekly() -> QuerySet[Any, Any]:
        program_ids = access.supervised_program_ids(person)
        contacts = access.employer_contacts_visible_to(person).filter(program_id__in=program_ids)
        return selectors.weekly_count_query(contacts, today)

    return {
        "sizes": selectors.caseload_sizes_of(tenancy.person_rows(person, "clients.caseload_sizes", today, sizes)),
        "weekly": selectors.weekly_counts_of(tenancy.person_rows(person, "clients.weekly_counts", today, weekly)),
        "week": weeks.week_of(today),
        "standard": selectors.WEEKLY_CONTACT_STANDARD,
        "limit": selectors.CASELOAD_LIMIT,
    }
