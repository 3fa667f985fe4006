"""An employment specialist's own open caseload, read once per request as plain rows.

The home page's caseload panel (home.py) and the caseload reminders (reminders.py) ask the same questions of the
same clients: who has no current job, when each was last contacted, when benefits planning was last offered, which
jobs ended without help toward the next one, whose hours or pay changed since. Asked apart, that was six queries
and a model object per client; read here once while the home page is built (lib/kept.py's one_page), it is three,
the second and third by the first's ids."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from ipshub.clients import access
from ipshub.clients.models import BenefitsPlanning, EmployerContact, Job, JobChange, Status
from ipshub.lib import compiled
from ipshub.lib.kept import read_once
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person

# The furthest back an ended job is still followed up (the reminders' window; the panel shows fewer days).
ENDED_JOB_DAYS = 90


@dataclass(frozen=True)
class OpenClient:
    """One open enrollment of the specialist's, with what the panel and the reminders need of it."""

    enrollment_id: int
    client_name: str
    program_name: str
    started_on: datetime.date  # the first meeting, else the acceptance, else the referral
    last_contact_on: datetime.date | None  # the latest employer contact for this client
    working: bool  # holds a job that has not ended
    last_plan_on: datetime.date | None  # benefits planning last offered


@dataclass(frozen=True)
class EndedJob:
    """A job of an open client that ended within ENDED_JOB_DAYS with no help toward the next one offered yet."""

    job_id: int
    enrollment_id: int
    client_name: str
    program_name: str
    title: str
    employer_name: str
    ended_on: datetime.date


def open_clients(person: Person) -> list[OpenClient]:
    """The specialist's open enrollments, by client name (one query, once per page)."""
    return read_once(f"my_open_clients:{person.pk}", lambda: _open_clients(person))


def ended_jobs(person: Person, clients: list[OpenClient], today: datetime.date) -> list[EndedJob]:
    """Jobs of the specialist's open `clients` (open_clients) that ended in the last ENDED_JOB_DAYS days with no
    help toward the next job offered, latest first (one query, once per page)."""
    return read_once(f"my_ended_jobs:{person.pk}:{today.isoformat()}", lambda: _ended_jobs(clients, today))


def pay_changes(person: Person, clients: list[OpenClient]) -> dict[int, tuple[int, datetime.date]]:
    """For each of the specialist's open `clients` (open_clients) with a current job, the latest change of its
    hours or pay: enrollment id to (change id, changed on); the first of a day's changes by id (one query, once
    per page)."""
    return read_once(f"my_pay_changes:{person.pk}", lambda: _pay_changes(clients))


def _open_clients(person: Person) -> list[OpenClient]:
    rows = tenancy.person_rows(person, "clients.open_clients", None, lambda: _open_client_query(person))
    return [
        OpenClient(
            enrollment_id=pk,
            client_name=f"{first} {last}",
            program_name=program_name,
            started_on=first_meeting_on or accepted_on or referral_date,
            last_contact_on=last_contact_on,
            working=working,
            last_plan_on=last_plan_on,
        )
        for (
            pk,
            first,
            last,
            program_name,
            first_meeting_on,
            accepted_on,
            referral_date,
            last_contact_on,
            working,
            last_plan_on,
        ) in rows
    ]


def _open_client_query(person: Person) -> QuerySet[Any, Any]:
    last_contact = EmployerContact.objects.filter(enrollment=OuterRef("pk")).order_by("-contacted_on")
    last_plan = BenefitsPlanning.objects.filter(enrollment=OuterRef("pk")).order_by("-offered_on")
    working = Job.objects.filter(enrollment=OuterRef("pk"), ended_on__isnull=True)
    return (
        access.enrollments_visible_to(person)
        .filter(specialist=person)
        .exclude(status=Status.CLOSED)
        .annotate(
            last_contact_on=Subquery(last_contact.values("contacted_on")[:1]),
            last_plan_on=Subquery(last_plan.values("offered_on")[:1]),
            working=Exists(working),
        )
        .order_by("client__last_name", "client__first_name", "pk")
        .values_list(
            "pk",
            "client__first_name",
            "client__last_name",
            "program__name",
            "first_meeting_on",
            "accepted_on",
            "referral_date",
            "last_contact_on",
            "working",
            "last_plan_on",
        )
    )


def _ids(clients: list[OpenClient]) -> list[int]:
    # The open clients' ids, read already: a plain list is cheaper to send than the access layer's subquery again.
    return [c.enrollment_id for c in clients]


def _pay_changes(clients: list[OpenClient]) -> dict[int, tuple[int, datetime.date]]:
    ids = _ids(clients)
    latest: dict[int, tuple[int, datetime.date]] = {}
    # Built once for these clients (`lib.compiled`): the build reads nothing else.
    for change_id, enrollment_id, changed_on in compiled.rows(
        ("clients.pay_changes", tuple(ids)),
        lambda: (
            JobChange.objects.filter(job__enrollment_id__in=ids, job__ended_on__isnull=True)
            .order_by("changed_on", "pk")
            .values_list("pk", "job__enrollment_id", "changed_on")
        ),
    ):
        seen = latest.get(enrollment_id)
        if seen is None or changed_on > seen[1]:
            latest[enrollment_id] = (change_id, changed_on)
    return latest


def _ended_jobs(clients: list[OpenClient], today: datetime.date) -> list[EndedJob]:
    ids = _ids(clients)
    # Built once for these clients and this day (`lib.compiled`): the build reads nothing else.
    rows = compiled.rows(("clients.ended_jobs", tuple(ids), today), lambda: _ended_job_query(ids, today))
    return [
        EndedJob(
            job_id=pk,
            enrollment_id=enrollment_id,
            client_name=f"{first} {last}",
            program_name=program_name,
            title=title,
            employer_name=employer_name,
            ended_on=ended_on,
        )
        for pk, enrollment_id, first, last, program_name, title, employer_name, ended_on in rows
        if ended_on is not None  # filtered in the query; said again for the type checker
    ]


def _ended_job_query(ids: list[int], today: datetime.date) -> QuerySet[Any, Any]:
    return (
        Job.objects.filter(
            enrollment_id__in=ids,
            ended_on__isnull=False,
            next_job_help_offered_on__isnull=True,
            ended_on__gte=today - datetime.timedelta(days=ENDED_JOB_DAYS),
        )
        .order_by("-ended_on", "-pk")
        .values_list(
            "pk",
            "enrollment_id",
            "enrollment__client__first_name",
            "enrollment__client__last_name",
            "enrollment__program__name",
            "title",
            "employer__name",
            "ended_on",
        )
    )
