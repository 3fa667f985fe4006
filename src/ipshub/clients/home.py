"""Home panels: caseload alerts for specialists, the unit at a glance for supervisors, shared clients
for DVR staff. Each panel runs a fixed number of queries."""

import datetime

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.clients import access, selectors, services, weeks
from ipshub.clients.models import Job, Status
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

ALERT_ROWS = 10


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
    mine = access.enrollments_visible_to(person).filter(specialist=person).exclude(status=Status.CLOSED)
    since = today - datetime.timedelta(days=selectors.NO_CONTACT_DAYS)
    working = Job.objects.filter(enrollment=OuterRef("pk"), ended_on__isnull=True)
    quiet = list(
        mine.annotate(last=Max("employer_contacts__contacted_on"), working=Exists(working))
        .filter(working=False)
        .exclude(last__gte=since)
        .select_related("client")
        .order_by("client__last_name", "client__first_name")[:ALERT_ROWS]
    )
    ended = list(
        Job.objects.filter(
            enrollment__in=mine,
            ended_on__isnull=False,
            next_job_help_offered_on__isnull=True,
            ended_on__gte=today - datetime.timedelta(days=60),
        )
        .select_related("enrollment__client", "employer")
        .order_by("-ended_on")[:ALERT_ROWS]
    )
    open_count = mine.count()
    shown = sorted({e.pk for e in quiet} | {j.enrollment_id for j in ended})
    if shown:
        services.record_list(actor=person, action="client.list_home", enrollment_ids=shown)
    return {
        "open": open_count,
        "over": open_count > selectors.CASELOAD_LIMIT,
        "limit": selectors.CASELOAD_LIMIT,
        "quiet": quiet,
        "ended": ended,
        "days": selectors.NO_CONTACT_DAYS,
    }


def supervisor_panel(person: Person, today: datetime.date) -> dict[str, object]:
    program_ids = list(access.supervised_program_ids(person))
    enrollments = access.enrollments_visible_to(person).filter(program_id__in=program_ids)
    contacts = access.employer_contacts_visible_to(person).filter(program_id__in=program_ids)
    return {
        "sizes": selectors.caseload_sizes(enrollments),
        "weekly": selectors.weekly_counts(contacts, today),
        "week": weeks.week_of(today),
        "standard": selectors.WEEKLY_CONTACT_STANDARD,
        "limit": selectors.CASELOAD_LIMIT,
        "program_ids": program_ids,
    }
