"""Every write to client records: keyword-only, atomic; each checks permission, validates (a
ValidationError keyed by field, saying what is wrong and how to fix it), writes, and leaves an audit
event. Audit summaries carry record ids, never a client's name."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ipshub.areakit.hooks import work_changed
from ipshub.audit.services import audit_record
from ipshub.clients import access
from ipshub.clients.models import (
    STATUS_ORDER,
    BenefitsPlanning,
    CareerProfile,
    Client,
    ClosureReason,
    Consent,
    DvrCase,
    Education,
    Employer,
    EmployerContact,
    Enrollment,
    EnrollmentEvent,
    Job,
    JobChange,
    JobSearchPlan,
    Status,
    SupportContact,
)
from ipshub.clients.selectors import likely_duplicates
from ipshub.lib.concurrency import check_version, lock_into
from ipshub.tenancy.models import Organization, Person, Phase, Program
from ipshub.tenancy.roles import OrgKind, Role
from ipshub.tenancy.services import program_note_event


def _today() -> datetime.date:
    return timezone.localdate()


def _audit(actor: Person, action: str, enrollment: Enrollment, obj: Model | None = None, **detail: Any) -> None:
    target = obj if obj is not None else enrollment
    audit_record(
        actor=actor,
        action=action,
        obj=target,
        state_id=enrollment.program.state_id,
        summary=f"{target} (enrollment {enrollment.pk}, program {enrollment.program_id})",
        detail={"enrollment": enrollment.pk, **detail},
    )


def _not_future(field: str, value: datetime.date | None, what: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: f"The {what} can't be in the future: enter today's date or an earlier one."})


def _caps(actor: Person, enrollment: Enrollment) -> access.ClientAccess:
    return access.ClientAccess(enrollment, access.client_access(actor, enrollment))


def _require(actor: Person, enrollment: Enrollment, cap: str) -> None:
    found = _caps(actor, enrollment)
    if not found.caps:
        raise PermissionDenied("This client is not on a caseload you can see.")
    found.require(cap)


def _not_negative(errors: dict[str, str], field: str, value: Decimal | None, what: str) -> None:
    if value is not None and value < 0:
        errors[field] = f"{what} can't be negative: enter 0 or more."


# --- Referral and enrollment ----------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: Person,
    program: Program,
    first_name: str,
    last_name: str,
    birth_date: datetime.date,
    referral_date: datetime.date,
    referral_source: str,
    referral_note: str = "",
    preferred_name: str = "",
    record_number: str = "",
    phone: str = "",
    email: str = "",
    not_duplicate: bool = False,
) -> Enrollment:
    """Refer a client to the program's IPS unit. Zero exclusion: nothing here screens anyone out."""
    if program.pk not in set(access.referring_program_ids(actor)):
        raise PermissionDenied("Only the program's mental health team or IPS unit can refer clients to it.")
    errors: dict[str, str] = {}
    if referral_date > _today():
        errors["referral_date"] = "The referral date can't be in the future: enter the day the referral was made."
    if birth_date > _today():
        errors["birth_date"] = "The birth date can't be in the future: check the year."
    if not first_name.strip():
        errors["first_name"] = "Enter the client's first name."
    if not last_name.strip():
        errors["last_name"] = "Enter the client's last name."
    if errors:
        raise ValidationError(errors)
    if not not_duplicate and likely_duplicates(program.mh_agency, first_name, last_name, birth_date):
        raise ValidationError(
            {
                "not_duplicate": f"{program.mh_agency} already has a client with this name and birth date. "
                "If it is the same person, find them on the caseload instead of referring again; if it is "
                "a different person, tick 'This is a different person' and save."
            }
        )
    client = Client(
        agency=program.mh_agency,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_name=preferred_name.strip(),
        birth_date=birth_date,
        record_number=record_number.strip(),
        phone=phone,
        email=email,
    )
    client.full_clean()
    client.save()
    first = not Enrollment.objects.filter(program=program).exists()
    enrollment = Enrollment.objects.create(
        client=client,
        program=program,
        referral_date=referral_date,
        referral_source=referral_source,
        referred_by=actor,
        referral_note=referral_note,
    )
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=EnrollmentEvent.Kind.STATUS,
        to_value=Status.RECEIVED,
        on=referral_date,
        by=actor,
    )
    _audit(actor, "client.refer", enrollment, source=referral_source)
    if first or program.phase == Phase.PRIOR:
        # Every referral while the program is still 'prior' is news to it: the earliest date counts.
        program_note_event(actor=actor, program=program, event="first_referral", on=referral_date)
    return enrollment


@transaction.atomic
def enrollment_assign(
    *,
    actor: Person,
    enrollment: Enrollment,
    specialist: Person,
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Enrollment:
    """Assign (or transfer to) an employment specialist. expected_version: the enrollment's version when
    the form was loaded; someone else's assignment in between raises EditConflict."""
    _require(actor, enrollment, access.ASSIGN)
    lock_into(enrollment, expected_version, ["specialist"])
    on = on or _today()
    if not access.assignable_specialists(enrollment.program).filter(pk=specialist.pk).exists():
        raise ValidationError(
            {"specialist": f"{specialist} is not an employment specialist in this program's IPS unit."}
        )
    if enrollment.specialist_id == specialist.pk:
        raise ValidationError({"specialist": f"{specialist} is already the assigned specialist."})
    previous = enrollment.specialist
    enrollment.specialist = specialist
    enrollment.version += 1
    enrollment.save(update_fields=["specialist", "version"])
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=EnrollmentEvent.Kind.ASSIGN,
        from_value=str(previous.pk) if previous else "",
        to_value=str(specialist.pk),
        on=on,
        by=actor,
        reason="Transfer" if previous else "First assignment",
    )
    _audit(
        actor,
        "client.assign",
        enrollment,
        specialist=specialist.pk,
        previous=previous.pk if previous else None,
    )
    return enrollment


_DATE_FIELD = {
    Status.ACCEPTED: "accepted_on",
    Status.FIRST_MEETING: "first_meeting_on",
    Status.ENGAGED: "engaged_on",
}


@transaction.atomic
def enrollment_advance(*, actor: Person, enrollment: Enrollment, to_status: str, on: datetime.date) -> Enrollment:
    """Move the referral on: received → accepted → first meeting → engaged."""
    _require(actor, enrollment, access.SERVICES)
    lock_into(enrollment, None)
    if to_status not in _DATE_FIELD:
        raise ValidationError({"to_status": "Choose accepted, first meeting held or engaged."})
    if enrollment.status == Status.CLOSED:
        raise ValidationError({"to_status": "The enrollment is closed: re-open it first."})
    if STATUS_ORDER.index(Status(to_status)) <= STATUS_ORDER.index(Status(enrollment.status)):
        raise ValidationError(
            {"to_status": f"The referral is already '{Status(enrollment.status).label}': choose a later step."}
        )
    _not_future("on", on, "date")
    earliest = enrollment.reopened_on or enrollment.referral_date
    if on < earliest:
        raise ValidationError({"on": f"The date can't be before {earliest:%B %-d, %Y}, when the referral was opened."})
    previous = enrollment.status
    enrollment.status = to_status
    setattr(enrollment, _DATE_FIELD[Status(to_status)], on)
    enrollment.version += 1
    enrollment.save()
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=EnrollmentEvent.Kind.STATUS,
        from_value=previous,
        to_value=to_status,
        on=on,
        by=actor,
    )
    _audit(actor, "client.status", enrollment, status=to_status)
    return enrollment


@transaction.atomic
def enrollment_close(*, actor: Person, enrollment: Enrollment, on: datetime.date, reason: str) -> Enrollment:
    _require(actor, enrollment, access.ASSIGN)
    lock_into(enrollment, None)
    if enrollment.status == Status.CLOSED:
        raise ValidationError({"on": "The enrollment is already closed."})
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": "Choose why the enrollment is closing."})
    _not_future("on", on, "closing date")
    if on < enrollment.referral_date:
        raise ValidationError({"on": "The closing date can't be before the referral date."})
    previous = enrollment.status
    enrollment.status, enrollment.closed_on, enrollment.closure_reason = Status.CLOSED, on, reason
    enrollment.version += 1
    enrollment.save()
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=EnrollmentEvent.Kind.STATUS,
        from_value=previous,
        to_value=Status.CLOSED,
        on=on,
        by=actor,
        reason=ClosureReason(reason).label,
    )
    _audit(actor, "client.close", enrollment, reason=reason)
    return enrollment


@transaction.atomic
def enrollment_reopen(*, actor: Person, enrollment: Enrollment, on: datetime.date) -> Enrollment:
    _require(actor, enrollment, access.ASSIGN)
    lock_into(enrollment, None)
    if enrollment.status != Status.CLOSED:
        raise ValidationError({"on": "The enrollment is open already."})
    _not_future("on", on, "re-opening date")
    assert enrollment.closed_on is not None
    if on < enrollment.closed_on:
        raise ValidationError(
            {"on": f"The re-opening date can't be before it closed ({enrollment.closed_on:%B %-d, %Y})."}
        )
    enrollment.status, enrollment.accepted_on, enrollment.reopened_on = Status.ACCEPTED, on, on
    enrollment.closed_on, enrollment.closure_reason = None, ""
    enrollment.first_meeting_on = enrollment.engaged_on = None
    enrollment.version += 1
    enrollment.save()
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=EnrollmentEvent.Kind.STATUS,
        from_value=Status.CLOSED,
        to_value=Status.ACCEPTED,
        on=on,
        by=actor,
        reason="Re-opened",
    )
    _audit(actor, "client.reopen", enrollment)
    return enrollment


# --- Consent and DVR ------------------------------------------------------------------------------

DVR_CASE_FIELDS = (
    "dvr_office",
    "counselor",
    "referred_on",
    "applied_on",
    "eligibility",
    "eligibility_on",
    "plan_started_on",
    "plan_ends_on",
)


def _lock_enrollment(enrollment: Enrollment) -> None:
    """Serialize writers of the enrollment's one-of-a-kind records (the first save of a plan or case, the
    next career profile version), so two first saves can't both pass the version check."""
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).values_list("pk", flat=True).first()


@transaction.atomic
def consent_create(
    *,
    actor: Person,
    enrollment: Enrollment,
    organization: Organization,
    scope: str,
    starts_on: datetime.date,
    expires_on: datetime.date | None = None,
) -> Consent:
    _require(actor, enrollment, access.CONSENT)
    errors: dict[str, str] = {}
    if organization.kind not in (OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER) or (
        organization.state_id != enrollment.program.state_id
    ):
        errors["organization"] = "Choose a DVR office or employment service provider in the program's state."
    if scope not in Consent.Scope.values:
        errors["scope"] = "Choose what may be shared."
    if expires_on is not None and expires_on < starts_on:
        errors["expires_on"] = "The consent can't expire before it starts: check the dates."
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        client=enrollment.client,
        organization=organization,
        scope=scope,
        starts_on=starts_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    _audit(actor, "client.consent_add", enrollment, consent, organization=organization.pk)
    return consent


@transaction.atomic
def consent_revoke(*, actor: Person, enrollment: Enrollment, consent: Consent) -> Consent:
    """Revoke a consent: it stops sharing at once (the access layer checks consents on every request)."""
    _require(actor, enrollment, access.CONSENT)
    if consent.client_id != enrollment.client_id:
        raise PermissionDenied("That consent belongs to another client.")
    if consent.revoked_on is not None:
        raise ValidationError("This consent was already revoked.")
    consent.revoked_on, consent.revoked_by = _today(), actor
    consent.save(update_fields=["revoked_on", "revoked_by"])
    _audit(actor, "client.consent_revoke", enrollment, consent, organization=consent.organization_id)
    return consent


@transaction.atomic
def dvr_case_save(
    *,
    actor: Person,
    enrollment: Enrollment,
    dvr_office: Organization | None,
    counselor: Person | None,
    referred_on: datetime.date | None,
    applied_on: datetime.date | None,
    eligibility: str,
    eligibility_on: datetime.date | None,
    plan_started_on: datetime.date | None,
    plan_ends_on: datetime.date | None,
    expected_version: int | None = None,
) -> DvrCase:
    """Write the DVR case (created on first save). expected_version: the case's version when the form was
    loaded (0: there was none); someone else's save in between raises EditConflict."""
    _require(actor, enrollment, access.DVR_CASE)
    _lock_enrollment(enrollment)
    existing = DvrCase.objects.select_for_update().filter(enrollment=enrollment).first()
    check_version(existing, expected_version, DVR_CASE_FIELDS)
    errors: dict[str, str] = {}
    for field, value in (
        ("referred_on", referred_on),
        ("applied_on", applied_on),
        ("eligibility_on", eligibility_on),
    ):
        if value is not None and value > _today():
            errors[field] = "This date can't be in the future."
    if referred_on and applied_on and applied_on < referred_on:
        errors["applied_on"] = "The application can't be before the referral to DVR."
    if plan_started_on and plan_ends_on and plan_ends_on < plan_started_on:
        errors["plan_ends_on"] = "The plan can't end before it is signed."
    if dvr_office is not None and dvr_office.kind != OrgKind.DVR_OFFICE:
        errors["dvr_office"] = "Choose a DVR office."
    if counselor is not None and (
        dvr_office is None
        or not counselor.memberships.filter(
            organization=dvr_office, role__in=(Role.DVR_COUNSELOR, Role.DVR_SUPERVISOR), is_active=True
        ).exists()
    ):
        errors["counselor"] = "Choose a counselor who works at the chosen DVR office."
    if errors:
        raise ValidationError(errors)
    case = existing or DvrCase(enrollment=enrollment, version=0)
    case.dvr_office, case.counselor = dvr_office, counselor
    case.referred_on, case.applied_on = referred_on, applied_on
    case.eligibility, case.eligibility_on = eligibility, eligibility_on
    case.plan_started_on, case.plan_ends_on = plan_started_on, plan_ends_on
    case.version += 1
    case.save()
    _audit(actor, "client.dvr_case", enrollment, case)
    work_changed(enrollment.program_id)  # an application or eligibility decision fulfils the DVR's duty
    return case


# --- Career profile, benefits, job search ---------------------------------------------------------

PROFILE_FIELDS = (
    "preferences",
    "work_history",
    "education_history",
    "strengths",
    "barriers",
    "supports",
    "legal_history",
    "benefits",
)


@transaction.atomic
def career_profile_write(
    *, actor: Person, enrollment: Enrollment, reason: str = "", expected_version: int | None = None, **fields: str
) -> CareerProfile:
    """Write a new version of the career profile (earlier versions are kept). expected_version: the version
    the form was based on (0: none yet); if someone wrote a newer version meanwhile, EditConflict shows it."""
    _require(actor, enrollment, access.SERVICES)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown career profile fields {sorted(unknown)}")
    if not any(str(v).strip() for v in fields.values()):
        raise ValidationError("Write at least one part of the career profile, such as the person's preferences.")
    _lock_enrollment(enrollment)
    newest = enrollment.profiles.order_by("-version").first()
    check_version(newest, expected_version, PROFILE_FIELDS)
    profile = CareerProfile.objects.create(
        enrollment=enrollment,
        version=(newest.version if newest else 0) + 1,
        reason=reason,
        written_on=_today(),
        written_by=actor,
        **fields,
    )
    _audit(actor, "client.profile", enrollment, profile, version=profile.version)
    work_changed(enrollment.program_id)  # the provider's quarterly career-profile duty
    return profile


@transaction.atomic
def benefits_planning_record(
    *,
    actor: Person,
    enrollment: Enrollment,
    reason: str,
    offered_on: datetime.date,
    completed_on: datetime.date | None = None,
    planner: str = "",
    notes: str = "",
) -> BenefitsPlanning:
    _require(actor, enrollment, access.SERVICES)
    _not_future("offered_on", offered_on, "date offered")
    _not_future("completed_on", completed_on, "date completed")
    if completed_on is not None and completed_on < offered_on:
        raise ValidationError({"completed_on": "Benefits planning can't be completed before it was offered."})
    plan = BenefitsPlanning.objects.create(
        enrollment=enrollment,
        reason=reason,
        offered_on=offered_on,
        completed_on=completed_on,
        planner=planner,
        notes=notes,
        recorded_by=actor,
    )
    _audit(actor, "client.benefits", enrollment, plan)
    return plan


@transaction.atomic
def job_search_plan_save(
    *,
    actor: Person,
    enrollment: Enrollment,
    goal: str,
    target_employers: str = "",
    steps: str = "",
    expected_version: int | None = None,
) -> JobSearchPlan:
    """Write the job search plan (created on first save); expected_version as for dvr_case_save."""
    _require(actor, enrollment, access.SERVICES)
    _lock_enrollment(enrollment)
    existing = JobSearchPlan.objects.select_for_update().filter(enrollment=enrollment).first()
    check_version(existing, expected_version, ("goal", "target_employers", "steps"))
    if not goal.strip():
        raise ValidationError({"goal": "Write the job the person wants, in their words."})
    plan = existing or JobSearchPlan(enrollment=enrollment, version=0)
    plan.goal, plan.target_employers, plan.steps, plan.updated_on = goal, target_employers, steps, _today()
    plan.version += 1
    plan.save()
    _audit(actor, "client.job_search_plan", enrollment, plan)
    return plan


# --- Employers and employer contacts --------------------------------------------------------------


@transaction.atomic
def employer_create(*, actor: Person, program: Program, name: str, **fields: str) -> Employer:
    access.require_job_developer(actor, program)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the employer's name."})
    if Employer.objects.filter(program=program, name__iexact=name).exists():
        raise ValidationError({"name": f"{program} already has an employer named '{name}'. Use that one."})
    employer = Employer(program=program, name=name, **fields)
    employer.full_clean()
    employer.save()
    audit_record(actor=actor, action="employer.create", obj=employer, state_id=program.state_id)
    return employer


def _employer_for(
    actor: Person,
    program: Program,
    employer: Employer | None,
    new_employer_name: str,
    field: str = "employer",
) -> Employer:
    if employer is not None and new_employer_name.strip():
        raise ValidationError({field: "Choose an employer from the list or type a new one's name, not both."})
    if employer is None:
        if not new_employer_name.strip():
            raise ValidationError({field: "Choose the employer, or type a new employer's name."})
        existing = Employer.objects.filter(program=program, name__iexact=new_employer_name.strip()).first()
        return existing or employer_create(actor=actor, program=program, name=new_employer_name)
    if employer.program_id != program.pk:
        raise ValidationError({field: "Choose one of this program's employers."})
    return employer


@transaction.atomic
def employer_contact_log(
    *,
    actor: Person,
    program: Program,
    contacted_on: datetime.date,
    purpose: str,
    face_to_face: bool = True,
    employer: Employer | None = None,
    new_employer_name: str = "",
    enrollment: Enrollment | None = None,
    outcome: str = "",
) -> EmployerContact:
    access.require_job_developer(actor, program)
    _not_future("contacted_on", contacted_on, "contact date")
    if enrollment is not None:
        if enrollment.program_id != program.pk:
            raise ValidationError({"enrollment": "Choose a job seeker of this program."})
        _require(actor, enrollment, access.SERVICES)
    employer = _employer_for(actor, program, employer, new_employer_name)
    contact = EmployerContact.objects.create(
        program=program,
        employer=employer,
        specialist=actor,
        enrollment=enrollment,
        contacted_on=contacted_on,
        face_to_face=face_to_face,
        purpose=purpose,
        outcome=outcome,
    )
    if enrollment is not None:
        _audit(actor, "client.employer_contact", enrollment, contact)
    else:
        audit_record(actor=actor, action="employer.contact", obj=contact, state_id=program.state_id)
    work_changed(program.pk, "client.employer_contact")  # the provider's monthly employer-contact duty
    return contact


# --- Jobs -----------------------------------------------------------------------------------------


@transaction.atomic
def job_start(
    *,
    actor: Person,
    enrollment: Enrollment,
    title: str,
    job_type: str,
    hours_per_week: Decimal,
    hourly_wage: Decimal,
    started_on: datetime.date,
    is_competitive: bool = True,
    disclosure: str = "none",
    employer: Employer | None = None,
    new_employer_name: str = "",
) -> Job:
    _require(actor, enrollment, access.SERVICES)
    errors: dict[str, str] = {}
    _not_negative(errors, "hours_per_week", hours_per_week, "Hours a week")
    _not_negative(errors, "hourly_wage", hourly_wage, "The hourly wage")
    if started_on > _today():
        errors["started_on"] = "Record the job once it has started: the start date can't be in the future."
    elif started_on < enrollment.referral_date:
        errors["started_on"] = "A job in this enrollment can't start before the referral date."
    if not title.strip():
        errors["title"] = "Enter the job title."
    if enrollment.status == Status.CLOSED:
        errors["started_on"] = "The enrollment is closed: re-open it before recording a job."
    if errors:
        raise ValidationError(errors)
    employer = _employer_for(actor, enrollment.program, employer, new_employer_name)
    job = Job(
        enrollment=enrollment,
        employer=employer,
        title=title.strip(),
        job_type=job_type,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_competitive=is_competitive,
        disclosure=disclosure,
        started_on=started_on,
    )
    job.full_clean()
    job.save()
    _audit(actor, "client.job_start", enrollment, job)
    return job


@transaction.atomic
def job_change(
    *,
    actor: Person,
    job: Job,
    changed_on: datetime.date,
    title: str,
    hours_per_week: Decimal,
    hourly_wage: Decimal,
    note: str = "",
    expected_version: int | None = None,
) -> JobChange:
    """A change of hours, pay or title; the job's current values follow it. expected_version: the job's
    version when the form was loaded; someone else's change in between raises EditConflict."""
    enrollment = job.enrollment
    _require(actor, enrollment, access.SERVICES)
    lock_into(job, expected_version, ["title", "hours_per_week", "hourly_wage"])
    errors: dict[str, str] = {}
    _not_negative(errors, "hours_per_week", hours_per_week, "Hours a week")
    _not_negative(errors, "hourly_wage", hourly_wage, "The hourly wage")
    if changed_on > _today():
        errors["changed_on"] = "The change can't be in the future."
    elif changed_on < job.started_on:
        errors["changed_on"] = f"The change can't be before the job started ({job.started_on:%B %-d, %Y})."
    if job.ended_on is not None:
        errors["changed_on"] = "This job has ended."
    if errors:
        raise ValidationError(errors)
    change = JobChange.objects.create(
        job=job,
        changed_on=changed_on,
        title=title.strip() or job.title,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        note=note,
    )
    job.title, job.hours_per_week, job.hourly_wage = change.title, hours_per_week, hourly_wage
    job.version += 1
    job.save(update_fields=["title", "hours_per_week", "hourly_wage", "version"])
    _audit(actor, "client.job_change", enrollment, job)
    return change


@transaction.atomic
def job_end(*, actor: Person, job: Job, ended_on: datetime.date, end_reason: str, end_note: str = "") -> Job:
    enrollment = job.enrollment
    _require(actor, enrollment, access.SERVICES)
    lock_into(job, None)
    if job.ended_on is not None:
        raise ValidationError({"ended_on": "This job has already ended."})
    if ended_on < job.started_on:
        raise ValidationError(
            {"ended_on": f"A job can't end before it starts: this one started on {job.started_on:%B %-d, %Y}."}
        )
    if ended_on > _today():
        raise ValidationError({"ended_on": "The end date can't be in the future: record the ending once it happens."})
    if not end_reason:
        raise ValidationError({"end_reason": "Choose why the job ended."})
    job.ended_on, job.end_reason, job.end_note = ended_on, end_reason, end_note
    job.full_clean()
    job.version += 1
    job.save(update_fields=["ended_on", "end_reason", "end_note", "version"])
    _audit(actor, "client.job_end", enrollment, job, reason=end_reason)
    return job


@transaction.atomic
def job_next_help_record(*, actor: Person, job: Job, on: datetime.date) -> Job:
    """Help toward the next job was offered after this one ended."""
    enrollment = job.enrollment
    _require(actor, enrollment, access.SERVICES)
    lock_into(job, None)
    if job.ended_on is None:
        raise ValidationError({"on": "The job has not ended."})
    _not_future("on", on, "date")
    if on < job.ended_on:
        raise ValidationError({"on": "Help toward the next job is offered after the job ends."})
    job.next_job_help_offered_on = on
    job.version += 1
    job.save(update_fields=["next_job_help_offered_on", "version"])
    _audit(actor, "client.next_job_help", enrollment, job)
    return job


# --- Education and follow-along -------------------------------------------------------------------


@transaction.atomic
def education_add(
    *,
    actor: Person,
    enrollment: Enrollment,
    course: str,
    institution: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    completed: bool = False,
) -> Education:
    _require(actor, enrollment, access.SERVICES)
    _not_future("started_on", started_on, "start date")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "The course can't end before it starts."})
    if completed and ended_on is None:
        raise ValidationError({"ended_on": "Enter the end date of a completed course."})
    education = Education.objects.create(
        enrollment=enrollment,
        course=course,
        institution=institution,
        started_on=started_on,
        ended_on=ended_on,
        completed=completed,
    )
    _audit(actor, "client.education", enrollment, education)
    return education


@transaction.atomic
def support_contact_log(
    *,
    actor: Person,
    enrollment: Enrollment,
    contacted_on: datetime.date,
    kind: str,
    setting: str,
    note: str = "",
) -> SupportContact:
    _require(actor, enrollment, access.SERVICES)
    _not_future("contacted_on", contacted_on, "contact date")
    if contacted_on < enrollment.referral_date:
        raise ValidationError({"contacted_on": "The contact can't be before the referral date."})
    contact = SupportContact.objects.create(
        enrollment=enrollment, contacted_on=contacted_on, kind=kind, setting=setting, by=actor, note=note
    )
    _audit(actor, "client.support_contact", enrollment, contact)
    return contact


# --- Reads ----------------------------------------------------------------------------------------


def record_view(*, actor: Person, enrollment: Enrollment, view: str, section: str = "") -> None:
    """Every read of a client record leaves an audit event (who, which record, which view and section)."""
    if section:
        _audit(actor, "client.view", enrollment, view=view, section=section)
    else:
        _audit(actor, "client.view", enrollment, view=view)


def record_list(*, actor: Person, action: str, enrollment_ids: list[int], state_id: int | None = None) -> None:
    """A list that shows client names: one audit event naming the records shown."""
    audit_record(
        actor=actor,
        action=action,
        summary=f"{len(enrollment_ids)} client record(s) listed",
        state_id=state_id,
        detail={"enrollments": enrollment_ids},
    )
