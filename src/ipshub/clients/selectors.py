"""Reads that span relations: the client page (whole and DVR views), the caseload, the employer
contact log and the supervisor dashboard. List and dashboard reads run a fixed number of queries."""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet

from ipshub.clients import access
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
from ipshub.tenancy.models import Organization, Person, Program

CASELOAD_LIMIT = 20
WEEKLY_CONTACT_STANDARD = 6
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
        prompts.append("Offer benefits planning before the next job start: none is recorded in the past year.")
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
    rows = (
        enrollments.exclude(status=Status.CLOSED)
        .values("specialist_id", "specialist__first_name", "specialist__last_name", "specialist__username")
        .annotate(n=Count("id"))
        .order_by("specialist__last_name", "specialist__first_name")
    )
    return [
        {
            "specialist_id": r["specialist_id"],
            "name": (f"{r['specialist__first_name']} {r['specialist__last_name']}".strip() or r["specialist__username"])
            if r["specialist_id"]
            else "Not yet assigned",
            "open": r["n"],
            "over": r["specialist_id"] is not None and r["n"] > CASELOAD_LIMIT,
        }
        for r in rows
    ]


# --- Employer contacts ----------------------------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_counts(contacts: QuerySet[EmployerContact], today: datetime.date) -> list[dict[str, Any]]:
    """This week's contacts per specialist against the standard of 6 face-to-face (one query)."""
    monday = week_start(today)
    rows = (
        contacts.filter(contacted_on__gte=monday, contacted_on__lte=monday + datetime.timedelta(days=6))
        .values("specialist_id", "specialist__first_name", "specialist__last_name")
        .annotate(total=Count("id"), f2f=Count("id", filter=Q(face_to_face=True)))
        .order_by("specialist__last_name")
    )
    return [
        {
            "name": f"{r['specialist__first_name']} {r['specialist__last_name']}",
            "total": r["total"],
            "f2f": r["f2f"],
            "meets": r["f2f"] >= WEEKLY_CONTACT_STANDARD,
        }
        for r in rows
    ]


# --- The supervisor dashboard ---------------------------------------------------------------------


@dataclass
class SpecialistMetrics:
    name: str
    caseload: int = 0
    working: int = 0
    in_education: int = 0
    contacts: int = 0
    f2f_contacts: int = 0
    job_starts: int = 0
    job_endings: int = 0
    closures: int = 0
    retained_90: int = 0
    eligible_90: int = 0
    first_contact_days: list[int] = field(default_factory=list)
    weeks: float = 1.0

    @property
    def f2f_per_week(self) -> float:
        return round(self.f2f_contacts / self.weeks, 1)

    @property
    def meets_contact_standard(self) -> bool:
        return self.f2f_per_week >= WEEKLY_CONTACT_STANDARD

    @property
    def pct_working(self) -> int | None:
        return round(100 * self.working / self.caseload) if self.caseload else None

    @property
    def pct_education(self) -> int | None:
        return round(100 * self.in_education / self.caseload) if self.caseload else None

    @property
    def retention_pct(self) -> int | None:
        return round(100 * self.retained_90 / self.eligible_90) if self.eligible_90 else None

    @property
    def median_first_contact(self) -> float | None:
        return statistics.median(self.first_contact_days) if self.first_contact_days else None

    @property
    def over_caseload(self) -> bool:
        return self.caseload > CASELOAD_LIMIT


@dataclass
class Dashboard:
    program: Program
    start: datetime.date
    end: datetime.date
    rows: list[SpecialistMetrics]
    unit: SpecialistMetrics


def dashboard(program: Program, start: datetime.date, end: datetime.date) -> Dashboard:
    """Metrics per specialist and for the unit over [start, end], in a fixed number of queries.

    Work is attributed to the enrollment's current specialist (contacts to the specialist who made them).
    """
    enrollments = Enrollment.objects.filter(program=program)
    by: dict[int | None, SpecialistMetrics] = {}

    def row(specialist_id: int | None) -> SpecialistMetrics:
        if specialist_id not in by:
            by[specialist_id] = SpecialistMetrics(name="")
        return by[specialist_id]

    open_at_end = enrollments.filter(referral_date__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    working_q = Q(jobs__started_on__lte=end) & (Q(jobs__ended_on__isnull=True) | Q(jobs__ended_on__gte=end))
    for r1 in open_at_end.values("specialist_id").annotate(
        n=Count("id", distinct=True), working=Count("id", filter=working_q, distinct=True)
    ):
        m = row(r1["specialist_id"])
        m.caseload, m.working = r1["n"], r1["working"]
    education_q = Q(education__started_on__lte=end) & (
        Q(education__ended_on__isnull=True) | Q(education__ended_on__gte=end)
    )
    for r2 in open_at_end.values("specialist_id").annotate(n=Count("id", filter=education_q, distinct=True)):
        row(r2["specialist_id"]).in_education = r2["n"]
    for r3 in (
        EmployerContact.objects.filter(program=program, contacted_on__gte=start, contacted_on__lte=end)
        .values("specialist_id")
        .annotate(n=Count("id"), f2f=Count("id", filter=Q(face_to_face=True)))
    ):
        m = row(r3["specialist_id"])
        m.contacts, m.f2f_contacts = r3["n"], r3["f2f"]
    for r4 in (
        Job.objects.filter(enrollment__program=program, started_on__gte=start, started_on__lte=end)
        .values("enrollment__specialist_id")
        .annotate(n=Count("id"))
    ):
        row(r4["enrollment__specialist_id"]).job_starts = r4["n"]
    for r5 in (
        Job.objects.filter(enrollment__program=program, ended_on__gte=start, ended_on__lte=end)
        .values("enrollment__specialist_id")
        .annotate(n=Count("id"))
    ):
        row(r5["enrollment__specialist_id"]).job_endings = r5["n"]
    for r6 in (
        EnrollmentEvent.objects.filter(
            enrollment__program=program,
            kind=EnrollmentEvent.Kind.STATUS,
            to_value=Status.CLOSED,
            on__gte=start,
            on__lte=end,
        )
        .values("enrollment__specialist_id")
        .annotate(n=Count("id"))
    ):
        row(r6["enrollment__specialist_id"]).closures = r6["n"]
    # 90-day retention: jobs that started in the period at least 90 days before its end.
    for specialist_id, started, ended in Job.objects.filter(
        enrollment__program=program, started_on__gte=start, started_on__lte=end - datetime.timedelta(days=90)
    ).values_list("enrollment__specialist_id", "started_on", "ended_on"):
        m = row(specialist_id)
        m.eligible_90 += 1
        if ended is None or (ended - started).days >= 90:
            m.retained_90 += 1
    # Rapid job search: days from referral to the first face-to-face employer contact for the client.
    for specialist_id, referred, first in (
        enrollments.filter(referral_date__gte=start, referral_date__lte=end)
        .annotate(first=Min("employer_contacts__contacted_on", filter=Q(employer_contacts__face_to_face=True)))
        .filter(first__isnull=False)
        .values_list("specialist_id", "referral_date", "first")
    ):
        row(specialist_id).first_contact_days.append(max(0, (first - referred).days))
    names = {p.pk: str(p) for p in Person.objects.filter(pk__in=[k for k in by if k is not None])}
    weeks = max(1.0, ((end - start).days + 1) / 7)
    unit = SpecialistMetrics(name="Whole unit", weeks=weeks)
    for key, m in by.items():
        m.name = names.get(key, "Not yet assigned") if key is not None else "Not yet assigned"
        m.weeks = weeks
        for attr in (
            "caseload", "working", "in_education", "contacts", "f2f_contacts", "job_starts",
            "job_endings", "closures", "retained_90", "eligible_90",
        ):  # fmt: skip
            setattr(unit, attr, getattr(unit, attr) + getattr(m, attr))
        unit.first_contact_days.extend(m.first_contact_days)
    rows = sorted(by.values(), key=lambda m: (m.name == "Not yet assigned", m.name))
    return Dashboard(program=program, start=start, end=end, rows=rows, unit=unit)


def last_contact_before(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.annotate(last_contact=Max("employer_contacts__contacted_on"))


def likely_duplicates(agency: Organization, first_name: str, last_name: str, birth_date: datetime.date) -> bool:
    return Client.objects.filter(
        agency=agency,
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        birth_date=birth_date,
    ).exists()
