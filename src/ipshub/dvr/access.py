"""Who sees and changes DVR authorizations, reports, money and billing.

- DVR counselor/supervisor → authorizations of their own office, and only while the client has an
  active consent to that office today (the clients area's consent check); they authorize, extend,
  accept or return reports and mark payments.
- the provider (IPS supervisor of the provider organization) → all its authorizations; an employment
  specialist of the provider → those of their own caseload. They submit and correct reports.
- money views (aggregates, no client names) → the state team of the state; per program also the
  program's IPS supervisor, mental health director and its DVR offices.
- billable units (client-level) → whoever records services on the client (clients access SERVICES);
  the monthly export and funding mix → the program's IPS supervisor and mental health director.
- anyone else → 404.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ipshub.clients import access as clients_access
from ipshub.clients.models import Consent
from ipshub.dvr.models import Authorization, Milestone
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person, Program, State
from ipshub.tenancy.roles import Role


def _orgs(person: Person, roles: tuple[str, ...]) -> set[int]:
    return {s.organization_id for s in tenancy.seats(person) if s.role in roles}


def dvr_office_ids(person: Person) -> set[int]:
    return _orgs(person, clients_access.DVR_ROLES)


def authorizations_visible_to(person: Person, today: datetime.date | None = None) -> QuerySet[Authorization]:
    today = today or timezone.localdate()
    q = Q(pk__in=[])
    offices = dvr_office_ids(person)
    if offices:
        consented = Consent.objects.filter(
            clients_access.active_consent_q(offices, today),
            client_id=OuterRef("enrollment__client_id"),
            organization_id=OuterRef("dvr_office_id"),
        )
        q |= Q(dvr_office_id__in=offices) & Q(Exists(consented))
    supervised = _orgs(person, (Role.IPS_SUPERVISOR,))
    if supervised:
        q |= Q(provider_id__in=supervised)
    specialist_of = _orgs(person, (Role.EMPLOYMENT_SPECIALIST,))
    if specialist_of:
        q |= Q(provider_id__in=specialist_of, enrollment__specialist_id=person.pk)
    return Authorization.objects.filter(q)


def milestones_visible_to(person: Person) -> QuerySet[Milestone]:
    return Milestone.objects.filter(authorization__in=authorizations_visible_to(person))


def get_authorization_for(person: Person, authorization_id: int) -> Authorization:
    try:
        return (
            authorizations_visible_to(person)
            .select_related(
                "enrollment__client", "enrollment__specialist", "program", "dvr_office", "provider", "counselor"
            )
            .get(pk=authorization_id)
        )
    except Authorization.DoesNotExist:
        raise Http404("No such authorization.") from None


def is_dvr_for(person: Person, authorization: Authorization) -> bool:
    return authorization.dvr_office_id in dvr_office_ids(person)


def require_dvr_staff(person: Person, authorization: Authorization) -> None:
    if not is_dvr_for(person, authorization):
        raise PermissionDenied("Only the DVR office that made this authorization can do this.")


def is_provider_for(person: Person, authorization: Authorization) -> bool:
    if authorization.provider_id in _orgs(person, (Role.IPS_SUPERVISOR,)):
        return True
    return (
        authorization.provider_id in _orgs(person, (Role.EMPLOYMENT_SPECIALIST,))
        and authorization.enrollment.specialist_id == person.pk
    )


def require_provider_staff(person: Person, authorization: Authorization) -> None:
    if not is_provider_for(person, authorization):
        raise PermissionDenied("Only the client's employment specialist or the IPS supervisor can write the report.")


def get_authorizable_for(person: Person, enrollment_id: int) -> clients_access.ClientAccess:
    """A client a DVR person may authorize services for: the DVR view (an active consent to their office)."""
    found = clients_access.get_client_access(person, enrollment_id)
    if not found.can(clients_access.DVR_VIEW):
        if found.caps:
            raise PermissionDenied("Only a DVR counselor of an office the client shares with can authorize services.")
        raise Http404("No such client.")
    return found


def consented_offices(person: Person, enrollment_client_id: int, today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(
        Consent.objects.filter(
            clients_access.active_consent_q(dvr_office_ids(person), today), client_id=enrollment_client_id
        ).values_list("organization_id", flat=True)
    )


# --- Money views (aggregates) ---------------------------------------------------------------------


def money_programs(person: Person) -> QuerySet[Program]:
    states = tenancy.statewide_state_ids(person)
    supervised = _orgs(person, (Role.IPS_SUPERVISOR,))
    directed = _orgs(person, (Role.MH_DIRECTOR,))
    offices = dvr_office_ids(person)
    dvr_programs = Program.dvr_offices.through.objects.filter(organization_id__in=offices).values("program_id")
    q = Q(state_id__in=states) | Q(mh_agency_id__in=directed) | Q(id__in=dvr_programs)
    if supervised:
        q |= clients_access.ips_unit_q(supervised)
    if tenancy.is_platform_admin(person):
        q = Q()
    return Program.objects.filter(q)


def get_money_program_for(person: Person, program_id: int) -> Program:
    try:
        return money_programs(person).select_related("state").get(pk=program_id)
    except Program.DoesNotExist:
        raise Http404("No such program.") from None


def money_states(person: Person) -> QuerySet[State]:
    if tenancy.is_platform_admin(person):
        return State.objects.all()
    return State.objects.filter(pk__in=tenancy.statewide_state_ids(person))


def get_money_state_for(person: Person, state_id: int) -> State:
    try:
        return money_states(person).get(pk=state_id)
    except State.DoesNotExist:
        raise Http404("No such state.") from None


# --- The state's service catalog -----------------------------------------------------------------


def catalog_state_ids(person: Person) -> set[int]:
    """The state team and the state's DVR offices read the catalog."""
    dvr_states = {s.state_id for s in tenancy.seats(person) if s.role in clients_access.DVR_ROLES}
    return tenancy.statewide_state_ids(person) | dvr_states


def get_catalog_state_for(person: Person, state_id: int) -> State:
    if not tenancy.is_platform_admin(person) and state_id not in catalog_state_ids(person):
        raise Http404("No such state.")
    try:
        return State.objects.get(pk=state_id)
    except State.DoesNotExist:
        raise Http404("No such state.") from None


def require_catalog_editor(person: Person, state: State) -> None:
    if not tenancy.can_manage_programs(person, state.pk):
        raise PermissionDenied("Only the state IPS team or an administrator can change the service catalog.")


# --- Billing (Medicaid and other funding) ----------------------------------------------------------


def billing_programs(person: Person) -> QuerySet[Program]:
    supervised = _orgs(person, (Role.IPS_SUPERVISOR,))
    directed = _orgs(person, (Role.MH_DIRECTOR,))
    q = Q(mh_agency_id__in=directed)
    if supervised:
        q |= clients_access.ips_unit_q(supervised)
    return Program.objects.filter(q)


def get_billing_program_for(person: Person, program_id: int) -> Program:
    try:
        return billing_programs(person).get(pk=program_id)
    except Program.DoesNotExist:
        raise Http404("No such program.") from None
