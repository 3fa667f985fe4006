"""Reads that span relations: the client page (whole and DVR views), the caseload, the employer
contact log and where each person's week stands against the employer-contact standard. List reads run a
fixed number of queries. The supervisor dashboard is in supervision.py."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ipshub.clients import access, weeks
from ipshub.clients.models import (
    BenefitsPlanning,
    Client,
    Consent,
    DvrCase,
    EmployerContact,
    Enrollment,
    EnrollmentEvent,
    Job,
    JobChange,
    Status,
)
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Membership, Organization, Person
from ipshub.tenancy.roles import Role

CASELOAD_LIMIT = 20
WEEKLY_CONTACT_STANDARD = weeks.FACE_TO_FACE_STANDARD
FIRST_CONTACT_STANDARD_DAYS = 30
NO_CONTACT_DAYS = 30


# --- Prompts --------------------------------------------------------------------------------------


def benefits_prompts(
    enrollment: Enrollment,
    jobs: list[Job],
    changes: list[JobChange],
    plans: list[BenefitsPlanning],
    today: datetime.date,
) -> list[str]:
    """Benefits planning is offered before a job start and when hours or pay change (fidelity item 12)."""
    prompts = []
    last_offer = max((p.offered_on for p in plans), default=None)
    current = [j for j in jobs if j.ended_on is None]
    if enrollment.is_open and not current and (last_offer is None or (today - last_offer).days > 365):
        prompts.append(_("Offer benefits planning before the next job start: none is recorded in the past year."))
    for change in changes:
        if last_offer is None or change.changed_on > last_offer:
            prompts.append(f"Hours or pay changed on {change.changed_on:%B %-d, %Y}: offer benefits planning again.")
            break
    return prompts


def next_job_prompts(jobs: list[Job]) -> list[Job]:
    """Jobs that ended without a record of help toward the next job."""
    return [j for j in jobs if j.ended_on is not None and j.next_job_help_offered_on is None]


# --- The client page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    on: datetime.date
    text: str
    by: str


def _history(events: list[EnrollmentEvent], names: dict[str, str]) -> list[HistoryRow]:
    rows = []
    for event in events:
        if event.kind == EnrollmentEvent.Kind.ASSIGN and event.from_value:
            moved = (
                f"Transferred from {names.get(event.from_value, 'a specialist')} "
                f"to {names.get(event.to_value, 'a specialist')}"
            )
            text = moved + (f": {event.reason}" if event.reason and event.reason != "Transfer" else "")
        elif event.kind == EnrollmentEvent.Kind.ASSIGN:
            text = f"{event.reason or 'Assigned'}: {names.get(event.to_value, 'a specialist')}"
        else:
            label = Status(event.to_value).label if event.to_value in Status.values else event.to_value
            text = label + (f" — {event.reason}" if event.reason else "")
        rows.append(HistoryRow(on=event.on, text=text, by=str(event.by) if event.by else ""))
    return rows


@dataclass(frozen=True)
class DvrJob:
    employer: str
    title: str
    job_type: str
    hours_per_week: Decimal
    hourly_wage: Decimal
    is_competitive: bool
    started_on: datetime.date
    ended_on: datetime.date | None
    end_reason: str


@dataclass(frozen=True)
class DvrCaseView:
    dvr_office: str
    counselor: str
    referred_on: datetime.date | None
    applied_on: datetime.date | None
    eligibility: str
    eligibility_on: datetime.date | None
    plan_started_on: datetime.date | None
    plan_ends_on: datetime.date | None


@dataclass(frozen=True)
class DvrClientPage:
    """What a DVR office sees under an active consent: employment and eligibility fields only.

    Built from plain values (never the model instances), so a template cannot reach anything else.
    """

    enrollment_id: int
    first_name: str
    last_name: str
    birth_date: datetime.date
    program_name: str
    specialist_name: str
    specialist_email: str
    status: str
    referral_date: datetime.date
    consent_expires_on: datetime.date | None
    dvr_case: DvrCaseView | None
    jobs: tuple[DvrJob, ...] = field(default_factory=tuple)


def dvr_client_page(enrollment: Enrollment, person: Person, today: datetime.date) -> DvrClientPage:
    client, specialist = enrollment.client, enrollment.specialist
    offices = {s.organization_id for s in tenancy.seats(person) if s.role in access.DVR_ROLES}
    consent = (
        Consent.objects.filter(access.active_consent_q(offices, today), client_id=client.pk)
        .order_by(F("expires_on").desc(nulls_first=True))
        .first()
    )
    case = DvrCase.objects.filter(enrollment=enrollment).select_related("dvr_office", "counselor").first()
    return DvrClientPage(
        enrollment_id=enrollment.pk,
        first_name=client.first_name,
        last_name=client.last_name,
        birth_date=client.birth_date,
        program_name=enrollment.program.name,
        specialist_name=str(specialist) if specialist else "",
        specialist_email=specialist.email if specialist else "",
        status=enrollment.get_status_display(),
        referral_date=enrollment.referral_date,
        consent_expires_on=consent.expires_on if consent else None,
        dvr_case=DvrCaseView(
            dvr_office=str(case.dvr_office or ""),
            counselor=str(case.counselor or ""),
            referred_on=case.referred_on,
            applied_on=case.applied_on,
            eligibility=case.get_eligibility_display(),
            eligibility_on=case.eligibility_on,
            plan_started_on=case.plan_started_on,
            plan_ends_on=case.plan_ends_on,
        )
        if case
        else None,
        jobs=tuple(
            DvrJob(
                employer=job.employer.name,
                title=job.title,
                job_type=job.get_job_type_display(),
                hours_per_week=job.hours_per_week,
                hourly_wage=job.hourly_wage,
                is_competitive=job.is_competitive,
                started_on=job.started_on,
                ended_on=job.ended_on,
                end_reason=job.get_end_reason_display(),
            )
            for job in enrollment.jobs.select_related("employer").order_by("-started_on")
        ),
    )


# --- The caseload ---------------------------------------------------------------------------------


def search(enrollments: QuerySet[Enrollment], query: str) -> QuerySet[Enrollment]:
    for word in query.split():
        enrollments = enrollments.filter(
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__preferred_name__icontains=word)
            | Q(client__record_number__iexact=word)
        )
    return enrollments


def main_program_id(person: Person) -> int | None:
    """The program where the person carries most of their caseload (the default on quick forms)."""
    row = (
        Enrollment.objects.filter(specialist=person)
        .exclude(status=Status.CLOSED)
        .values("program_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["program_id"] if row else None


def caseload_sizes(enrollments: QuerySet[Enrollment]) -> list[dict[str, Any]]:
    """Open enrollments per specialist (one query), with the warning above 20."""
    return caseload_sizes_of(caseload_size_query(enrollments))


def caseload_size_query(enrollments: QuerySet[Enrollment]) -> QuerySet[Any, Any]:
    """The rows `caseload_sizes_of` reads: open enrollments counted per specialist."""
    return (
        enrollments.exclude(status=Status.CLOSED)
        .values("specialist_id", "specialist__first_name", "specialist__last_name", "specialist__username")
        .annotate(n=Count("id"))
        .order_by("specialist__last_name", "specialist__first_name")
        .values_list("specialist_id", "specialist__first_name", "specialist__last_name", "specialist__username", "n")
    )


def caseload_sizes_of(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "specialist_id": specialist_id,
            "name": (f"{first} {last}".strip() or username) if specialist_id else _("Not yet assigned"),
            "open": n,
            "over": specialist_id is not None and n > CASELOAD_LIMIT,
        }
        for specialist_id, first, last, username, n in rows
    ]


# --- Employer contacts, week by week (the one definition of a week is weeks.week_of) ---------------


def weekly_counts(contacts: QuerySet[EmployerContact], today: datetime.date) -> list[dict[str, Any]]:
    """This week's contacts per specialist against the standard of 6 face-to-face (one query)."""
    return weekly_counts_of(weekly_count_query(contacts, today))


def weekly_count_query(contacts: QuerySet[EmployerContact], today: datetime.date) -> QuerySet[Any, Any]:
    """The rows `weekly_counts_of` reads: this week's contacts counted per specialist."""
    week = weeks.week_of(today)
    return (
        contacts.filter(contacted_on__gte=week.monday, contacted_on__lte=week.sunday)
        .values("specialist_id", "specialist__first_name", "specialist__last_name")
        .annotate(total=Count("id"), f2f=Count("id", filter=Q(face_to_face=True)))
        .order_by("specialist__last_name")
        .values_list("specialist_id", "specialist__first_name", "specialist__last_name", "total", "f2f")
    )


def weekly_counts_of(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "specialist_id": specialist_id,
            "name": f"{first} {last}",
            "total": total,
            "f2f": f2f,
            "meets": f2f >= WEEKLY_CONTACT_STANDARD,
        }
        for specialist_id, first, last, total, f2f in rows
    ]


@dataclass(frozen=True)
class UnitWeekRow:
    specialist_id: int
    name: str
    face_to_face: int

    @property
    def meets(self) -> bool:
        return self.face_to_face >= WEEKLY_CONTACT_STANDARD


@dataclass(frozen=True)
class WeekSummary:
    """The employer-contact standard as a person sees it at the top of home and the caseload: their own
    weeks (an employment specialist), or their unit's specialists this week (an IPS supervisor)."""

    week: weeks.Week
    own: weeks.WeekHistory | None = None
    unit: tuple[UnitWeekRow, ...] = ()
    program_ids: tuple[int, ...] = ()
    standard: int = WEEKLY_CONTACT_STANDARD


def week_summary(person: Person, today: datetime.date) -> WeekSummary | None:
    """Two queries at most; None for people who neither make nor supervise employer contacts."""
    roles = tenancy.roles_of(person)
    week = weeks.week_of(today)
    if Role.EMPLOYMENT_SPECIALIST in roles:
        own = tenancy.person_rows(
            person,
            "clients.week_summary",
            today,
            lambda: weeks.history_query(access.employer_contacts_visible_to(person).filter(specialist=person), today),
        )
        return WeekSummary(week=week, own=weeks.history_from(own, today))
    if Role.IPS_SUPERVISOR not in roles:
        return None
    program_ids = tuple(access.supervised_program_ids(person))
    if not program_ids:
        return None
    counted = {
        r["specialist_id"]: r["f2f"]
        for r in access.employer_contacts_visible_to(person)
        .filter(program_id__in=program_ids, contacted_on__gte=week.monday, contacted_on__lte=week.sunday)
        .order_by()
        .values("specialist_id")
        .annotate(f2f=Count("id", filter=Q(face_to_face=True)))
    }
    unit_orgs = {s.organization_id for s in tenancy.seats(person) if s.role == Role.IPS_SUPERVISOR}
    members = Membership.objects.filter(
        person=OuterRef("pk"), organization_id__in=unit_orgs, role=Role.EMPLOYMENT_SPECIALIST, is_active=True
    )
    people = Person.objects.filter(Q(pk__in=list(counted)) | Q(Exists(members), is_active=True)).order_by(
        "last_name", "first_name"
    )
    return WeekSummary(
        week=week,
        unit=tuple(UnitWeekRow(p.pk, str(p), counted.get(p.pk, 0)) for p in people),
        program_ids=program_ids,
    )


def contact_confirmation(person: Person, contacted_on: datetime.date, today: datetime.date) -> SafeString:
    """What the person reads after logging an employer contact: where their week stands (one query)."""
    history = weeks.history_of(access.employer_contacts_visible_to(person).filter(specialist=person), today)
    current = history.current
    said = [
        _("Logged. This week: %(done)s of %(standard)s face-to-face employer contacts.")
        % {"done": current.face_to_face, "standard": history.standard}
    ]
    earlier = next((w for w in history.weeks if contacted_on in w.week), None)
    if earlier is not None and earlier is not current:
        said.insert(
            1,
            _("It counts in the week of %(week)s (%(count)s face to face).")
            % {"week": earlier.week.label, "count": earlier.face_to_face},
        )
    elif earlier is None:
        said.insert(1, _("It counts in the week of %(week)s.") % {"week": weeks.week_of(contacted_on).label})
    return format_html(
        '{} <a href="{}#your-weeks">{}</a>',
        " ".join(said),
        reverse("clients:contact_log"),
        _("Your last %(count)s weeks") % {"count": len(history.weeks)},
    )


def last_contact_before(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.annotate(last_contact=Max("employer_contacts__contacted_on"))


def likely_duplicates(agency: Organization, first_name: str, last_name: str, birth_date: datetime.date) -> bool:
    return Client.objects.filter(
        agency=agency,
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        birth_date=birth_date,
    ).exists()


def dvr_case_choices(enrollment: Enrollment) -> tuple[QuerySet[Organization], QuerySet[Person]]:
    """Whom a client's DVR case may name (the web form's and the API's choices): the program's DVR offices
    and the counselors and supervisors working at them."""
    offices = enrollment.program.dvr_offices.order_by("name")
    counselors = Person.objects.filter(
        memberships__organization__in=offices,
        memberships__role__in=(Role.DVR_COUNSELOR, Role.DVR_SUPERVISOR),
        memberships__is_active=True,
    ).distinct()
    return offices, counselors


# --- What happened to a record since an entry was logged offline (api/offline.py) ----------------------------


def events_after(enrollment_id: int, after: datetime.datetime) -> list[EnrollmentEvent]:
    """The enrollment's status moves and assignments recorded after `after` (by when they were recorded)."""
    events = EnrollmentEvent.objects.filter(enrollment_id=enrollment_id, created_at__gt=after)
    return list(events.order_by("created_at", "pk"))


def specialist_at(enrollment_id: int, at: datetime.datetime) -> int | None:
    """Who was the enrollment's assigned specialist at `at` (from its history of assignments)."""
    last = (
        EnrollmentEvent.objects.filter(
            enrollment_id=enrollment_id, kind=EnrollmentEvent.Kind.ASSIGN, created_at__lte=at
        )
        .order_by("-created_at", "-pk")
        .values_list("to_value", flat=True)
        .first()
    )
    return int(last) if last and last.isdigit() else None
