"""Audit reports for administrators and the state team: "who saw this client" and "what did this
person see". Scoped to the states the reader oversees; client names only for readers who may see that
client (otherwise the record number). Each report page runs a fixed number of queries."""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ipshub.audit.context import client_loaded, enrollment_loaded
from ipshub.audit.models import AuditEvent, BreakGlassGrant
from ipshub.clients import access as clients_access
from ipshub.clients.models import Enrollment
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person

# Reads of a client record; the client report adds every client.* write and break-glass event.
VIEW_ACTIONS = ("client.view", "breakglass.view", "client.disclose", "client.document_download")


def report_state_ids(person: Person) -> set[int] | None:
    """States whose reports the person may read (state leads, trainers, administrators); None = all."""
    if tenancy.is_platform_admin(person):
        return None
    return tenancy.statewide_state_ids(person)


def can_read_reports(person: Person) -> bool:
    states = report_state_ids(person)
    return states is None or bool(states)


def _in_states(states: set[int] | None, field: str = "state_id") -> Q:
    return Q() if states is None else Q(**{f"{field}__in": states})


def get_enrollment_for_report(person: Person, enrollment_id: int) -> Enrollment:
    states = report_state_ids(person)
    if states is not None and not states:
        raise Http404("No such client.")
    found = Enrollment.objects.filter(_in_states(states, "program__state_id"), pk=enrollment_id).first()
    if found is None:
        raise Http404("No such client.")
    return found


def get_person_for_report(person: Person, person_id: int) -> Person:
    states = report_state_ids(person)
    if states is not None and not states:
        raise Http404("No such person.")
    people = Person.objects.all()
    if states is not None:
        people = people.filter(memberships__organization__state_id__in=states).distinct()
    found = people.filter(pk=person_id).first()
    if found is None:
        raise Http404("No such person.")
    return found


def client_events(person: Person, enrollment_id: int) -> QuerySet[AuditEvent]:
    """Every read and write of one enrollment's record, newest first."""
    return AuditEvent.objects.filter(
        _in_states(report_state_ids(person)),
        Q(action__startswith="client.") | Q(action__startswith="breakglass."),
        detail__enrollment=enrollment_id,
    ).order_by("-at", "-id")


def person_views(person: Person, target: Person, since: datetime.date, until: datetime.date) -> QuerySet[AuditEvent]:
    """Every client record `target` opened in the period, newest first."""
    return AuditEvent.objects.filter(
        _in_states(report_state_ids(person)),
        actor_id=target.pk,
        action__in=VIEW_ACTIONS,
        at__date__gte=since,
        at__date__lte=until,
    ).order_by("-at", "-id")


def client_names_for(reader: Person, enrollment_ids: Iterable[int]) -> dict[int, str]:
    """Names of the clients among these the reader may see themselves; others stay record numbers."""
    ids = {i for i in enrollment_ids if isinstance(i, int)}
    if not ids:
        return {}
    now = timezone.now()
    granted = BreakGlassGrant.objects.filter(person_id=reader.pk, starts_at__lte=now, ends_at__gt=now).values(
        "enrollment_id"
    )
    rows = Enrollment.objects.filter(pk__in=ids).filter(
        Q(pk__in=clients_access.enrollments_visible_to(reader).values("pk"))
        | Q(pk__in=clients_access.dvr_enrollments_visible_to(reader).values("pk"))
        | Q(pk__in=granted)
    )
    names = {}
    for pk, client_id, agency_id, first, last in rows.values_list(
        "pk", "client_id", "client__agency_id", "client__first_name", "client__last_name"
    ):
        # Names read without model rows: noted for the disclosure record by hand (audit/disclosure.py).
        client_loaded(client_id, agency_id)
        enrollment_loaded(pk, client_id)
        names[pk] = f"{first} {last}"
    return names


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=30), today


def breakglass_grants_for(person: Person) -> QuerySet[BreakGlassGrant]:
    """Every break-glass grant in the states the person oversees, newest first."""
    states = report_state_ids(person)
    if states is not None and not states:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(_in_states(states)).select_related("person").order_by("-starts_at", "-id")
