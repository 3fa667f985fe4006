"""Who sees and changes which client records. Every client read goes through here.

- employment specialist → their own caseload (enrollments assigned to them, in a program their
  organization serves)
- IPS supervisor → the caseload of the programs their unit serves
- mental health agency staff (director, case manager) → their agency's clients
- DVR supervisor/counselor → only clients with a consent to their DVR office that is active *today*
  (looked up on every request, so a revocation takes effect on the next one), and only the
  employment and eligibility fields (selectors.DvrClientPage)
- fidelity reviewer → read-only, programs from `reviewer_program_ids(person)`, which fidelity contributes
  (areakit/hooks.py)
- state IPS team, trainers and administrators → no client-level records: in their own state they get
  a page saying so (RecordsWithheld), elsewhere 404 like everyone else.
- anyone else → 404.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ipshub.areakit.hooks import reviewer_program_ids
from ipshub.audit import grants as breakglass_grants
from ipshub.clients.models import Consent, Employer, EmployerContact, Enrollment, Job, Status
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import OrgKind, Role

IPS_ROLES = (Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST)
MH_STAFF_ROLES = (Role.MH_DIRECTOR, Role.CASE_MANAGER)
DVR_ROLES = (Role.DVR_SUPERVISOR, Role.DVR_COUNSELOR)

# What a person may do with one client record.
READ = "read"  # the whole record
DVR_VIEW = "dvr_view"  # employment and eligibility fields only
SERVICES = "services"  # record employment services (jobs, contacts, profile, plans...)
ASSIGN = "assign"  # assign or transfer the specialist, close, re-open
CONSENT = "consent"  # record and revoke consents
DVR_CASE = "dvr_case"  # the DVR case dates


class RecordsWithheld(Exception):
    """A state-team member asked for client-level records of their own state: not shared with them."""


V = TypeVar("V", bound=Callable[..., Any])


def client_view(view: V) -> V:
    """@scoped_view, and the state team's "not shared with you" page instead of client records."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        except RecordsWithheld:
            return render(request, "clients/withheld.html", status=403)

    return tenancy.scoped_view(wrapper)  # type: ignore[return-value]


def _seat_orgs(person: Person, roles: tuple[str, ...]) -> set[int]:
    return {s.organization_id for s in tenancy.seats(person) if s.role in roles}


def ips_unit_q(org_ids: set[int]) -> Q:
    """Programs whose IPS unit is in one of these organizations: the contracted provider, or the
    mental health agency's own staff when there is none."""
    return Q(employment_provider_id__in=org_ids) | Q(mh_agency_id__in=org_ids, employment_provider__isnull=True)


def ips_program_ids(person: Person, roles: tuple[str, ...] = IPS_ROLES) -> QuerySet[Program, int]:
    orgs = _seat_orgs(person, roles)
    if not orgs:
        return Program.objects.none().values_list("id", flat=True)
    return Program.objects.filter(ips_unit_q(orgs)).values_list("id", flat=True)


def supervised_program_ids(person: Person) -> QuerySet[Program, int]:
    return ips_program_ids(person, (Role.IPS_SUPERVISOR,))


def supervises(person: Person, program: Program) -> bool:
    """The person is an IPS supervisor of the program's IPS unit (from their seats: no query)."""
    unit = program.employment_provider_id or program.mh_agency_id
    return unit in _seat_orgs(person, (Role.IPS_SUPERVISOR,))


def referring_program_ids(person: Person) -> QuerySet[Program, int]:
    """Programs the person may refer clients to: the mental health team and the IPS unit."""
    orgs = _seat_orgs(person, MH_STAFF_ROLES)
    ips_orgs = _seat_orgs(person, IPS_ROLES)
    if not orgs and not ips_orgs:
        return Program.objects.none().values_list("id", flat=True)
    return Program.objects.filter(Q(mh_agency_id__in=orgs) | ips_unit_q(ips_orgs)).values_list("id", flat=True)


def withheld_state_ids(person: Person) -> set[int]:
    return tenancy.statewide_state_ids(person) | tenancy.state_ids_with_roles(person, (Role.FIDELITY_REVIEWER,))


def active_consent_q(org_ids: set[int], today: datetime.date) -> Q:
    return Q(organization_id__in=org_ids, revoked_on__isnull=True, starts_on__lte=today) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def enrollments_visible_to(person: Person) -> QuerySet[Enrollment]:
    """Enrollments whose whole record the person may read (not the DVR view)."""
    specialist_orgs = _seat_orgs(person, (Role.EMPLOYMENT_SPECIALIST,))
    supervisor_orgs = _seat_orgs(person, (Role.IPS_SUPERVISOR,))
    mh_orgs = _seat_orgs(person, MH_STAFF_ROLES)
    reviewed = reviewer_program_ids(person)
    q = Q(pk__in=[])
    if specialist_orgs:
        q |= Q(specialist_id=person.pk) & Q(
            program__in=Program.objects.filter(ips_unit_q(specialist_orgs)).values("id")
        )
    if supervisor_orgs:
        q |= Q(program__in=Program.objects.filter(ips_unit_q(supervisor_orgs)).values("id"))
    if mh_orgs:
        q |= Q(client__agency_id__in=mh_orgs)
    if reviewed:
        q |= Q(program_id__in=reviewed)
    return Enrollment.objects.filter(q)


def service_enrollments(person: Person, *, open_only: bool = True) -> QuerySet[Enrollment]:
    """Enrollments (open ones unless told) the person may record services for (SERVICES in client_access): a
    specialist's own caseload, an IPS supervisor's programs' caseload. What the offline field pack carries, and
    what its sync checks an entry's client record against (api/offline.py)."""
    specialist_orgs = _seat_orgs(person, (Role.EMPLOYMENT_SPECIALIST,))
    supervisor_orgs = _seat_orgs(person, (Role.IPS_SUPERVISOR,))
    q = Q(pk__in=[])
    if specialist_orgs:
        q |= Q(specialist_id=person.pk) & Q(
            program__in=Program.objects.filter(ips_unit_q(specialist_orgs)).values("id")
        )
    if supervisor_orgs:
        q |= Q(program__in=Program.objects.filter(ips_unit_q(supervisor_orgs)).values("id"))
    found = Enrollment.objects.filter(q)
    return found.exclude(status=Status.CLOSED) if open_only else found


def dvr_enrollments_visible_to(person: Person, today: datetime.date | None = None) -> QuerySet[Enrollment]:
    """Enrollments a DVR person may see in the DVR view: an active consent to their office today."""
    orgs = _seat_orgs(person, DVR_ROLES)
    if not orgs:
        return Enrollment.objects.none()
    today = today or timezone.localdate()
    consented = Consent.objects.filter(active_consent_q(orgs, today), client_id=OuterRef("client_id"))
    return Enrollment.objects.filter(Exists(consented))


def has_client_roles(person: Person) -> bool:
    return bool(_seat_orgs(person, IPS_ROLES + MH_STAFF_ROLES + DVR_ROLES) or reviewer_program_ids(person))


def require_client_roles(person: Person) -> None:
    """For pages that list client records: the state team gets the "not shared" page."""
    if not has_client_roles(person):
        if withheld_state_ids(person) or tenancy.is_platform_admin(person):
            raise RecordsWithheld
        raise Http404("No client records.")


@dataclass(frozen=True)
class ClientAccess:
    enrollment: Enrollment
    caps: frozenset[str]

    @property
    def full(self) -> bool:
        return READ in self.caps

    def can(self, cap: str) -> bool:
        return cap in self.caps

    def require(self, cap: str) -> None:
        if cap not in self.caps:
            raise PermissionDenied(_REFUSALS[cap])


_REFUSALS = {
    SERVICES: "Only the client's employment specialist or the IPS supervisor can record employment services.",
    ASSIGN: "Only the program's IPS supervisor can assign, transfer, close or re-open.",
    CONSENT: "Only the mental health team or the IPS unit can record consents.",
    DVR_CASE: "Only the IPS unit or the DVR office can record the DVR case.",
    READ: "This part of the record is not shared with you.",
    DVR_VIEW: "This record is not shared with you.",
}


def client_access(person: Person, enrollment: Enrollment, today: datetime.date | None = None) -> frozenset[str]:
    program = enrollment.program
    caps: set[str] = set()
    unit_orgs = {program.employment_provider_id} if program.employment_provider_id else {program.mh_agency_id}
    for seat in tenancy.seats(person):
        if seat.role == Role.EMPLOYMENT_SPECIALIST and seat.organization_id in unit_orgs:
            if enrollment.specialist_id == person.pk:
                caps |= {READ, SERVICES, CONSENT, DVR_CASE}
        elif seat.role == Role.IPS_SUPERVISOR and seat.organization_id in unit_orgs:
            caps |= {READ, SERVICES, ASSIGN, CONSENT, DVR_CASE}
        elif seat.role in MH_STAFF_ROLES and seat.organization_id == enrollment.client.agency_id:
            caps |= {READ, CONSENT}
    dvr_orgs = _seat_orgs(person, DVR_ROLES)
    if dvr_orgs and READ not in caps:
        today = today or timezone.localdate()
        if Consent.objects.filter(active_consent_q(dvr_orgs, today), client_id=enrollment.client_id).exists():
            caps |= {DVR_VIEW, DVR_CASE}
    if not caps and program.pk in reviewer_program_ids(person):
        caps.add(READ)
    return frozenset(caps)


def get_client_access(person: Person, enrollment_id: int) -> ClientAccess:
    """The enrollment and what the person may do with it; 404 for outsiders."""
    try:
        enrollment = Enrollment.objects.select_related(
            "client", "program", "program__mh_agency", "program__employment_provider", "specialist"
        ).get(pk=enrollment_id)
    except Enrollment.DoesNotExist:
        raise Http404("No such client.") from None
    caps = client_access(person, enrollment)
    # --- Break-glass (issue 9) -- the ONE place an emergency grant gives capability. ------------------
    # An active grant (ipshub.audit.grants) gives READ on this one record, never a write capability,
    # and every read under it is audited as break-glass before anything is shown.
    if not caps:
        grant = breakglass_grants.active_grant(person, enrollment.pk)
        if grant is not None:
            breakglass_grants.record_view(actor=person, grant=grant)
            caps = frozenset({READ})
    # --- end of break-glass -------------------------------------------------------------------------
    if not caps:
        if enrollment.program.state_id in withheld_state_ids(person):
            raise RecordsWithheld
        raise Http404("No such client.")
    return ClientAccess(enrollment, caps)


def get_job_in(found: ClientAccess, job_id: int) -> Job:
    try:
        return Job.objects.select_related("employer").get(pk=job_id, enrollment_id=found.enrollment.pk)
    except Job.DoesNotExist:
        raise Http404("No such job.") from None


def get_job_for(person: Person, job_id: int) -> tuple[ClientAccess, Job]:
    """A job found by its own id (the API's /jobs/<id>/) and what the person may do with its client's record.

    404 unless the person may read the whole record; RecordsWithheld for the state team, as get_client_access.
    """
    enrollment_id = Job.objects.filter(pk=job_id).values_list("enrollment_id", flat=True).first()
    if enrollment_id is None:
        raise Http404("No such job.")
    found = get_client_access(person, enrollment_id)
    if not found.full:
        raise Http404("No such job.")
    return found, get_job_in(found, job_id)


def get_consent_in(found: ClientAccess, consent_id: int) -> Consent:
    try:
        return Consent.objects.select_related("organization").get(pk=consent_id, client_id=found.enrollment.client_id)
    except Consent.DoesNotExist:
        raise Http404("No such consent.") from None


# --- Employers ------------------------------------------------------------------------------------


def employer_program_ids(person: Person) -> QuerySet[Program, int]:
    """Programs whose employer registry and contact log the person sees: the program's IPS unit and
    mental health agency, its trainer and the state team (employers are businesses, not clients)."""
    mh_orgs = _seat_orgs(person, MH_STAFF_ROLES)
    ips_orgs = _seat_orgs(person, IPS_ROLES)
    states = tenancy.statewide_state_ids(person)
    if tenancy.is_platform_admin(person):
        return Program.objects.values_list("id", flat=True)
    return Program.objects.filter(
        ips_unit_q(ips_orgs) | Q(mh_agency_id__in=mh_orgs) | Q(state_id__in=states) | Q(trainer_id=person.pk)
    ).values_list("id", flat=True)


def employers_visible_to(person: Person) -> QuerySet[Employer]:
    return Employer.objects.filter(program_id__in=employer_program_ids(person))


def get_employer_for(person: Person, employer_id: int) -> Employer:
    try:
        return employers_visible_to(person).select_related("program").get(pk=employer_id)
    except Employer.DoesNotExist:
        raise Http404("No such employer.") from None


def employer_contacts_visible_to(person: Person) -> QuerySet[EmployerContact]:
    return EmployerContact.objects.filter(program_id__in=employer_program_ids(person))


def can_develop_jobs(person: Person, program: Program) -> bool:
    """The program's IPS unit adds employers and logs employer contacts."""
    return program.pk in set(ips_program_ids(person))


def require_job_developer(person: Person, program: Program) -> None:
    if not can_develop_jobs(person, program):
        raise PermissionDenied("Only the program's IPS supervisor and employment specialists can do this.")


def job_developer_programs(person: Person) -> QuerySet[Program]:
    return Program.objects.filter(id__in=ips_program_ids(person)).order_by("name")


def assignable_specialists(program: Program) -> QuerySet[Person]:
    unit = program.employment_provider_id or program.mh_agency_id
    member_ids = Membership.objects.filter(
        organization_id=unit,
        role=Role.EMPLOYMENT_SPECIALIST,
        is_active=True,
        organization__kind__in=(OrgKind.EMPLOYMENT_PROVIDER, OrgKind.MH_AGENCY),
    ).values("person_id")
    return Person.objects.filter(id__in=member_ids, is_active=True).order_by("last_name", "first_name")


def dashboard_programs(person: Person) -> QuerySet[Program]:
    """Programs whose supervisor dashboard (aggregate counts, no client names) the person may see."""
    return tenancy.programs_visible_to(person).filter(id__in=employer_program_ids(person))


def get_dashboard_program_for(person: Person, program_id: int) -> Program:
    program = tenancy.get_program_for(person, program_id)
    if not dashboard_programs(person).filter(pk=program.pk).exists():
        raise Http404("No such program.")
    return program


def get_dashboard_specialist_for(person: Person, program_id: int, specialist_id: int) -> tuple[Program, Person]:
    """A specialist's drill-down: the program's dashboard rule, and the specialist must be or have been one of
    the program's IPS unit (a member of it, assigned its clients, or the maker of its employer contacts).
    404 for anyone else, as for the dashboard."""
    program = get_dashboard_program_for(person, program_id)
    unit = program.employment_provider_id or program.mh_agency_id
    specialist = (
        Person.objects.filter(pk=specialist_id)
        .filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), organization_id=unit, role__in=IPS_ROLES))
            | Exists(Enrollment.objects.filter(specialist=OuterRef("pk"), program=program))
            | Exists(EmployerContact.objects.filter(specialist=OuterRef("pk"), program=program))
        )
        .first()
    )
    if specialist is None:
        raise Http404("No such specialist.")
    return program, specialist
