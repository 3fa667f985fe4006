"""Every write to client records: keyword-only, atomic; each checks permission, validates (a
ValidationError keyed by field, saying what is wrong and how to fix it), writes, and leaves an audit
event. Audit summaries carry record ids, never a client's name."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipshub.areakit.hooks import work_changed
from ipshub.audit.services import audit_record
from ipshub.clients import access
from ipshub.clients.checks import (
    EARLIEST_BIRTH,
    MOST_DAYS_AHEAD,
    Problems,
    check_competitive_wage,
    check_date,
    check_not_negative,
    check_plausible,
)
from ipshub.clients.models import (
    STATUS_ORDER,
    BenefitsPlanning,
    CareerProfile,
    Client,
    ClientLanguage,
    ClosureReason,
    Consent,
    ContactPurpose,
    DvrCase,
    Education,
    Employer,
    EmployerContact,
    EndReason,
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
from ipshub.lib.uploads import check_upload
from ipshub.tenancy.models import Organization, Person, Phase, Program
from ipshub.tenancy.roles import OrgKind, Role
from ipshub.tenancy.services import program_note_event
from ipshub.tenancy.wages import long_date


def _today() -> datetime.date:
    return timezone.localdate()


def _english(label: object) -> str:
    """A choice's label as stored in the record's history: in English, whatever language the person works in."""
    with translation.override("en"):
        return str(label)


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


def _caps(actor: Person, enrollment: Enrollment) -> access.ClientAccess:
    return access.ClientAccess(enrollment, access.client_access(actor, enrollment))


def _require(actor: Person, enrollment: Enrollment, cap: str) -> None:
    found = _caps(actor, enrollment)
    if not found.caps:
        raise PermissionDenied("This client is not on a caseload you can see.")
    found.require(cap)


# --- Referral and enrollment ----------------------------------------------------------------------


def referral_problems(
    *,
    first_name: str | None,
    last_name: str | None,
    birth_date: datetime.date | None,
    referral_date: datetime.date | None,
) -> Problems:
    """Every problem with a referral's own values (the form's clean() shows them with its own)."""
    problems = Problems()
    check_date(
        problems,
        "referral_date",
        referral_date,
        "referral date",
        future="The referral date can't be in the future: enter the day the referral was made.",
    )
    check_date(
        problems,
        "birth_date",
        birth_date,
        "birth date",
        earliest=EARLIEST_BIRTH,
        future="The birth date can't be in the future: check the year.",
    )
    if birth_date and referral_date and "birth_date" not in problems and birth_date >= referral_date:
        problems.add("birth_date", "The birth date must be before the referral date: check the year.")
    if first_name is not None and not first_name.strip():
        problems.add("first_name", "Enter the client's first name.")
    if last_name is not None and not last_name.strip():
        problems.add("last_name", "Enter the client's last name.")
    return problems


def duplicate_message(
    actor: Person, program: Program, first_name: str, last_name: str, birth_date: datetime.date
) -> str:
    """What the person is told of a likely duplicate: where they may see the existing client, that it is on
    a caseload they see (the referral form links it); where they may not, only that one exists in the
    agency (saying more would disclose a client they are not entitled to)."""
    existing = visible_duplicates(actor, program, first_name, last_name, birth_date)
    if existing:
        return (
            "A client with this name and birth date is already on a caseload you can see (linked below). "
            "If it is the same person, open their record instead of referring again; if it is a different "
            "person, tick 'This is a different person' and save."
        )
    return (
        "A possible duplicate exists in your agency: a client with this name and birth date. If it is the same "
        "person, ask their team instead of referring again; if it is a different person, tick 'This is a "
        "different person' and save."
    )


def visible_duplicates(
    actor: Person, program: Program, first_name: str, last_name: str, birth_date: datetime.date
) -> list[Enrollment]:
    """The enrollments of likely duplicates that the person may open (at most five)."""
    return list(
        access.enrollments_visible_to(actor)
        .filter(
            client__agency_id=program.mh_agency_id,
            client__first_name__iexact=first_name.strip(),
            client__last_name__iexact=last_name.strip(),
            client__birth_date=birth_date,
        )
        .select_related("client", "program")
        .order_by("-referral_date", "-pk")[:5]
    )


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
    preferred_language: str = "",
    interpreter_needed: bool = False,
    not_duplicate: bool = False,
) -> Enrollment:
    """Refer a client to the program's IPS unit. Zero exclusion: nothing here screens anyone out."""
    if program.pk not in set(access.referring_program_ids(actor)):
        raise PermissionDenied("Only the program's mental health team or IPS unit can refer clients to it.")
    referral_problems(
        first_name=first_name, last_name=last_name, birth_date=birth_date, referral_date=referral_date
    ).raise_if_any()
    if not not_duplicate and likely_duplicates(program.mh_agency, first_name, last_name, birth_date):
        raise ValidationError({"not_duplicate": duplicate_message(actor, program, first_name, last_name, birth_date)})
    client = Client(
        agency=program.mh_agency,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_name=preferred_name.strip(),
        birth_date=birth_date,
        record_number=record_number.strip(),
        phone=phone,
        email=email,
        preferred_language=preferred_language,
        interpreter_needed=interpreter_needed,
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


TRANSFER_REASON_MAX = 200  # EnrollmentEvent.reason


def transfer_reason_error(reason: str) -> str:
    """What is wrong with a transfer's reason ("" when nothing): it is required, and shown in the history."""
    if not reason.strip():
        return "Say why the client is moving to another specialist: the reason is shown in the client's history."
    if len(reason.strip()) > TRANSFER_REASON_MAX:
        return f"Keep the reason to {TRANSFER_REASON_MAX} characters (it has {len(reason.strip())})."
    return ""


@transaction.atomic
def enrollment_assign(
    *,
    actor: Person,
    enrollment: Enrollment,
    specialist: Person,
    on: datetime.date | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Enrollment:
    """Assign (or transfer to) an employment specialist. A transfer (the client already has a specialist)
    needs a reason, kept in the client's history and the audit event. expected_version: the enrollment's
    version when the form was loaded; someone else's assignment in between raises EditConflict.
    Several clients at once: clients/transfers.py, which calls this for each."""
    _require(actor, enrollment, access.ASSIGN)
    lock_into(enrollment, expected_version, ["specialist"])
    on = on or _today()
    previous = enrollment.specialist
    errors: dict[str, str] = {}
    if not access.assignable_specialists(enrollment.program).filter(pk=specialist.pk).exists():
        errors["specialist"] = f"{specialist} is not an employment specialist in this program's IPS unit."
    elif enrollment.specialist_id == specialist.pk:
        errors["specialist"] = f"{specialist} is already the assigned specialist."
    if previous is not None and transfer_reason_error(reason):
        errors["reason"] = transfer_reason_error(reason)
    if errors:
        raise ValidationError(errors)
    enrollment.specialist = specialist
    enrollment.version += 1
    enrollment.save(update_fields=["specialist", "version"])
    reason = reason.strip()
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=EnrollmentEvent.Kind.ASSIGN,
        from_value=str(previous.pk) if previous else "",
        to_value=str(specialist.pk),
        on=on,
        by=actor,
        reason=reason or "First assignment",
    )
    _audit(
        actor,
        "client.transfer" if previous else "client.assign",
        enrollment,
        specialist=specialist.pk,
        previous=previous.pk if previous else None,
        reason=reason,
    )
    return enrollment


_DATE_FIELD = {
    Status.ACCEPTED: "accepted_on",
    Status.FIRST_MEETING: "first_meeting_on",
    Status.ENGAGED: "engaged_on",
}


def advance_problems(*, enrollment: Enrollment, to_status: str | None, on: datetime.date | None) -> Problems:
    problems = Problems()
    if to_status is not None:
        if to_status not in _DATE_FIELD:
            problems.add("to_status", "Choose accepted, first meeting held or engaged.")
        elif enrollment.status == Status.CLOSED:
            problems.add("to_status", "The enrollment is closed: re-open it first.")
        elif STATUS_ORDER.index(Status(to_status)) <= STATUS_ORDER.index(Status(enrollment.status)):
            problems.add(
                "to_status", f"The referral is already '{Status(enrollment.status).label}': choose a later step."
            )
    check_date(problems, "on", on, "date")
    earliest = enrollment.reopened_on or enrollment.referral_date
    if on is not None and "on" not in problems and on < earliest:
        problems.add("on", f"The date can't be before {long_date(earliest)}, when the referral was opened.")
    return problems


@transaction.atomic
def enrollment_advance(*, actor: Person, enrollment: Enrollment, to_status: str, on: datetime.date) -> Enrollment:
    """Move the referral on: received → accepted → first meeting → engaged."""
    _require(actor, enrollment, access.SERVICES)
    lock_into(enrollment, None)
    advance_problems(enrollment=enrollment, to_status=to_status, on=on).raise_if_any()
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


def close_problems(*, enrollment: Enrollment, on: datetime.date | None, reason: str | None) -> Problems:
    problems = Problems()
    if enrollment.status == Status.CLOSED:
        problems.add("on", "The enrollment is already closed.")
    if reason is not None and reason not in ClosureReason.values:
        problems.add("reason", "Choose why the enrollment is closing.")
    check_date(problems, "on", on, "closing date")
    if on is not None and on < enrollment.referral_date:
        problems.add(
            "on", f"The closing date can't be before the referral date ({long_date(enrollment.referral_date)})."
        )
    return problems


@transaction.atomic
def enrollment_close(*, actor: Person, enrollment: Enrollment, on: datetime.date, reason: str) -> Enrollment:
    _require(actor, enrollment, access.ASSIGN)
    lock_into(enrollment, None)
    close_problems(enrollment=enrollment, on=on, reason=reason).raise_if_any()
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
        reason=_english(ClosureReason(reason).label),
    )
    _audit(actor, "client.close", enrollment, reason=reason)
    return enrollment


def reopen_problems(*, enrollment: Enrollment, on: datetime.date | None) -> Problems:
    problems = Problems()
    if enrollment.status != Status.CLOSED:
        problems.add("on", "The enrollment is open already.")
    check_date(problems, "on", on, "re-opening date")
    if on is not None and enrollment.closed_on is not None and on < enrollment.closed_on:
        problems.add("on", f"The re-opening date can't be before it closed ({long_date(enrollment.closed_on)}).")
    return problems


@transaction.atomic
def enrollment_reopen(*, actor: Person, enrollment: Enrollment, on: datetime.date) -> Enrollment:
    _require(actor, enrollment, access.ASSIGN)
    lock_into(enrollment, None)
    reopen_problems(enrollment=enrollment, on=on).raise_if_any()
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


# A release of information runs a year or so; one signed for longer is recorded with its real expiry.
CONSENT_MOST_DAYS_AHEAD = 5 * 366


def consent_problems(*, starts_on: datetime.date | None, expires_on: datetime.date | None) -> Problems:
    problems = Problems()
    check_date(problems, "starts_on", starts_on, "signing date")
    check_date(problems, "expires_on", expires_on, "expiry date", days_ahead=CONSENT_MOST_DAYS_AHEAD)
    if starts_on is not None and expires_on is not None and expires_on < starts_on:
        problems.add("expires_on", "The consent can't expire before it starts: check the dates.")
    return problems


# A paper consent's scan (clients/signing.py makes the PDF of one signed in IPS Hub).
CONSENT_SCAN_TYPES = ("pdf", "png", "jpg", "jpeg")
CONSENT_SCAN_TEXT = "PDF, PNG or JPEG"


@transaction.atomic
def consent_create(
    *,
    actor: Person,
    enrollment: Enrollment,
    organization: Organization,
    scope: str,
    starts_on: datetime.date,
    expires_on: datetime.date | None = None,
    scan: "UploadedFile[bytes] | None" = None,
) -> Consent:
    """A consent signed on paper, recorded (with its scan, when there is one)."""
    _require(actor, enrollment, access.CONSENT)
    problems = consent_problems(starts_on=starts_on, expires_on=expires_on)
    if organization.kind not in (OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER) or (
        organization.state_id != enrollment.program.state_id
    ):
        problems.add("organization", "Choose a DVR office or employment service provider in the program's state.")
    if scope not in Consent.Scope.values:
        problems.add("scope", "Choose what may be shared.")
    checked = None
    if scan is not None:
        try:
            checked = check_upload(scan, field="scan", allowed=CONSENT_SCAN_TYPES, allowed_text=CONSENT_SCAN_TEXT)
        except ValidationError as exc:
            for message in exc.message_dict.get("scan", []):
                problems.add("scan", message)
    problems.raise_if_any()
    consent = Consent(
        client=enrollment.client,
        organization=organization,
        scope=scope,
        starts_on=starts_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    if scan is not None and checked is not None:
        consent.document.save(checked.stored_name, scan, save=False)
        consent.document_name, consent.document_type = checked.original_name, checked.content_type
    consent.save()
    _audit(actor, "client.consent_add", enrollment, consent, organization=organization.pk, scan=bool(checked))
    return consent


@transaction.atomic
def consent_revoke(*, actor: Person, enrollment: Enrollment, consent: Consent, how: str) -> Consent:
    """Revoke a consent: it stops sharing at once (the access layer checks consents on every request).
    Records who took the client's word, when, and how the client revoked."""
    _require(actor, enrollment, access.CONSENT)
    if consent.client_id != enrollment.client_id:
        raise PermissionDenied("That consent belongs to another client.")
    if consent.revoked_on is not None:
        raise ValidationError("This consent was already revoked.")
    if how not in Consent.RevokedHow.values:
        raise ValidationError(
            {"how": "Choose how the client revoked the consent: in writing, verbally or electronically."}
        )
    consent.revoked_on, consent.revoked_by, consent.revoked_how = _today(), actor, how
    consent.save(update_fields=["revoked_on", "revoked_by", "revoked_how"])
    _audit(actor, "client.consent_revoke", enrollment, consent, organization=consent.organization_id, how=how)
    return consent


# An employment plan may run a few years.
PLAN_MOST_DAYS_AHEAD = 5 * 366


def dvr_case_problems(
    *,
    referred_on: datetime.date | None,
    applied_on: datetime.date | None,
    eligibility_on: datetime.date | None,
    plan_started_on: datetime.date | None,
    plan_ends_on: datetime.date | None,
) -> Problems:
    problems = Problems()
    check_date(problems, "referred_on", referred_on, "date of the referral to DVR")
    check_date(problems, "applied_on", applied_on, "application date")
    check_date(problems, "eligibility_on", eligibility_on, "eligibility date")
    check_date(problems, "plan_started_on", plan_started_on, "date the plan was signed")
    check_date(problems, "plan_ends_on", plan_ends_on, "plan's end date", days_ahead=PLAN_MOST_DAYS_AHEAD)
    if referred_on and applied_on and applied_on < referred_on:
        problems.add("applied_on", "The application can't be before the referral to DVR.")
    if plan_started_on and plan_ends_on and plan_ends_on < plan_started_on:
        problems.add("plan_ends_on", "The plan can't end before it is signed.")
    return problems


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
    problems = dvr_case_problems(
        referred_on=referred_on,
        applied_on=applied_on,
        eligibility_on=eligibility_on,
        plan_started_on=plan_started_on,
        plan_ends_on=plan_ends_on,
    )
    if dvr_office is not None and dvr_office.kind != OrgKind.DVR_OFFICE:
        problems.add("dvr_office", "Choose a DVR office.")
    if counselor is not None and (
        dvr_office is None
        or not counselor.memberships.filter(
            organization=dvr_office, role__in=(Role.DVR_COUNSELOR, Role.DVR_SUPERVISOR), is_active=True
        ).exists()
    ):
        problems.add("counselor", "Choose a counselor who works at the chosen DVR office.")
    problems.raise_if_any()
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


def benefits_problems(*, offered_on: datetime.date | None, completed_on: datetime.date | None) -> Problems:
    problems = Problems()
    check_date(problems, "offered_on", offered_on, "date offered")
    check_date(problems, "completed_on", completed_on, "date completed")
    if offered_on is not None and completed_on is not None and completed_on < offered_on:
        problems.add("completed_on", "Benefits planning can't be completed before it was offered.")
    return problems


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
    benefits_problems(offered_on=offered_on, completed_on=completed_on).raise_if_any()
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


EMPLOYER_FIELDS = (
    "name",
    "industry",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "hiring_needs",
    "relationship_notes",
)


def _employer_name(program: Program, name: str, *, other_than: int | None = None) -> str:
    """The name, stripped; one the program's registry already has (in any case) is refused."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the employer's name."})
    same_name = Employer.objects.filter(program=program, name__iexact=name)
    if other_than is not None:
        same_name = same_name.exclude(pk=other_than)
    if same_name.exists():
        raise ValidationError({"name": f"{program} already has an employer named '{name}'. Use that one."})
    return name


@transaction.atomic
def employer_create(*, actor: Person, program: Program, name: str, **fields: str) -> Employer:
    access.require_job_developer(actor, program)
    employer = Employer(program=program, name=_employer_name(program, name), **fields)
    employer.full_clean()
    employer.save()
    audit_record(actor=actor, action="employer.create", obj=employer, state_id=program.state_id)
    return employer


@transaction.atomic
def employer_update(*, actor: Person, employer: Employer, **fields: str) -> Employer:
    """Change some of an employer's details (the program's IPS unit); the program it belongs to stays."""
    access.require_job_developer(actor, employer.program)
    unknown = set(fields) - set(EMPLOYER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown employer fields {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = _employer_name(employer.program, fields["name"], other_than=employer.pk)
    for name, value in fields.items():
        setattr(employer, name, value)
    employer.full_clean()
    employer.save()
    audit_record(
        actor=actor,
        action="employer.update",
        obj=employer,
        state_id=employer.program.state_id,
        detail={"fields": sorted(fields)},
    )
    return employer


def employer_choice_problems(
    problems: Problems, program: Program, employer: Employer | None, new_employer_name: str | None
) -> None:
    """An employer from the program's list, or a new one's name: one of the two."""
    name = (new_employer_name or "").strip()
    if employer is not None and name:
        problems.add("employer", _("Choose an employer from the list or type a new one's name, not both."))
    elif employer is None and not name:
        problems.add("employer", _("Choose the employer, or type a new employer's name."))
    elif employer is not None and employer.program_id != program.pk:
        problems.add("employer", _("Choose one of this program's employers."))


def _employer_for(actor: Person, program: Program, employer: Employer | None, new_employer_name: str) -> Employer:
    """The employer chosen (checked by employer_choice_problems), or the new one typed, added to the registry."""
    if employer is not None:
        return employer
    existing = Employer.objects.filter(program=program, name__iexact=new_employer_name.strip()).first()
    return existing or employer_create(actor=actor, program=program, name=new_employer_name)


def contact_problems(
    *,
    program: Program,
    contacted_on: datetime.date | None,
    employer: Employer | None,
    new_employer_name: str | None,
    enrollment: Enrollment | None = None,
) -> Problems:
    problems = Problems()
    check_date(problems, "contacted_on", contacted_on, "contact date")
    employer_choice_problems(problems, program, employer, new_employer_name)
    if enrollment is not None and enrollment.program_id != program.pk:
        problems.add("enrollment", _("Choose a job seeker of this program."))
    return problems


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
    follows_preferences: bool | None = None,
) -> EmployerContact:
    access.require_job_developer(actor, program)
    if enrollment is not None and enrollment.program_id == program.pk:
        _require(actor, enrollment, access.SERVICES)
    problems = contact_problems(
        program=program,
        contacted_on=contacted_on,
        employer=employer,
        new_employer_name=new_employer_name,
        enrollment=enrollment,
    )
    if purpose not in ContactPurpose.values:
        problems.add("purpose", "Choose why the contact was made.")
    problems.raise_if_any()
    employer = _employer_for(actor, program, employer, new_employer_name)
    contact = EmployerContact.objects.create(
        program=program,
        employer=employer,
        specialist=actor,
        enrollment=enrollment,
        contacted_on=contacted_on,
        face_to_face=face_to_face,
        follows_preferences=follows_preferences,
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


def job_start_problems(
    *,
    enrollment: Enrollment,
    title: str | None,
    started_on: datetime.date | None,
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None,
    is_competitive: bool | None,
    confirm_implausible: bool,
    employer: Employer | None,
    new_employer_name: str | None,
) -> Problems:
    """Every problem with a job start, for the service and the form's clean() alike."""
    problems = Problems()
    if enrollment.status == Status.CLOSED:
        problems.add("started_on", "The enrollment is closed: re-open it before recording a job.")
    check_date(
        problems,
        "started_on",
        started_on,
        "start date",
        future="Record the job once it has started: the start date can't be in the future.",
    )
    if started_on is not None and started_on < enrollment.referral_date:
        problems.add(
            "started_on",
            f"A job in this enrollment can't start before the referral date ({long_date(enrollment.referral_date)}).",
        )
    if title is not None and not title.strip():
        problems.add("title", "Enter the job title.")
    employer_choice_problems(problems, enrollment.program, employer, new_employer_name)
    _pay_problems(
        problems,
        enrollment=enrollment,
        on=started_on if "started_on" not in problems else None,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_competitive=is_competitive,
        confirm_implausible=confirm_implausible,
    )
    return problems


def _pay_problems(
    problems: Problems,
    *,
    enrollment: Enrollment,
    on: datetime.date | None,
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None,
    is_competitive: bool | None,
    confirm_implausible: bool,
) -> None:
    """Hours and pay: not negative; a competitive job at least at the minimum wage in force on `on`; unusual
    figures confirmed."""
    check_not_negative(problems, "hours_per_week", hours_per_week, "Hours a week")
    check_not_negative(problems, "hourly_wage", hourly_wage, "The hourly wage")
    check_competitive_wage(
        problems, state=enrollment.program.state, is_competitive=is_competitive, hourly_wage=hourly_wage, on=on
    )
    check_plausible(problems, hours_per_week=hours_per_week, hourly_wage=hourly_wage, confirmed=confirm_implausible)


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
    confirm_implausible: bool = False,
) -> Job:
    """Record a job the client started. A competitive job pays at least the minimum wage in force on its
    start date; unusual hours or wages are saved only with confirm_implausible."""
    _require(actor, enrollment, access.SERVICES)
    job_start_problems(
        enrollment=enrollment,
        title=title,
        started_on=started_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_competitive=is_competitive,
        confirm_implausible=confirm_implausible,
        employer=employer,
        new_employer_name=new_employer_name,
    ).raise_if_any()
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


def job_change_problems(
    *,
    job: Job,
    changed_on: datetime.date | None,
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None,
    is_competitive: bool | None,
    confirm_implausible: bool,
) -> Problems:
    problems = Problems()
    if job.ended_on is not None:
        problems.add("changed_on", "This job has ended.")
    check_date(problems, "changed_on", changed_on, "date of the change")
    if changed_on is not None and changed_on < job.started_on:
        problems.add("changed_on", f"The change can't be before the job started ({long_date(job.started_on)}).")
    _pay_problems(
        problems,
        enrollment=job.enrollment,
        on=changed_on if "changed_on" not in problems else None,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_competitive=is_competitive,
        confirm_implausible=confirm_implausible,
    )
    return problems


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
    is_competitive: bool | None = None,
    confirm_implausible: bool = False,
    expected_version: int | None = None,
) -> JobChange:
    """A change of hours, pay or title; the job's current values follow it. is_competitive: whether the job
    still counts as competitive (None: unchanged); a competitive job pays at least the minimum wage in force
    on the day of the change. expected_version: the job's version when the form was loaded; someone else's
    change in between raises EditConflict."""
    enrollment = job.enrollment
    _require(actor, enrollment, access.SERVICES)
    lock_into(job, expected_version, ["title", "hours_per_week", "hourly_wage", "is_competitive"])
    competitive = job.is_competitive if is_competitive is None else is_competitive
    job_change_problems(
        job=job,
        changed_on=changed_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_competitive=competitive,
        confirm_implausible=confirm_implausible,
    ).raise_if_any()
    change = JobChange.objects.create(
        job=job,
        changed_on=changed_on,
        title=title.strip() or job.title,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_competitive=competitive,
        note=note,
    )
    job.title, job.hours_per_week, job.hourly_wage = change.title, hours_per_week, hourly_wage
    job.is_competitive = competitive
    job.version += 1
    job.save(update_fields=["title", "hours_per_week", "hourly_wage", "is_competitive", "version"])
    _audit(actor, "client.job_change", enrollment, job, competitive=competitive)
    return change


def job_end_problems(*, job: Job, ended_on: datetime.date | None, end_reason: str | None) -> Problems:
    problems = Problems()
    if job.ended_on is not None:
        problems.add("ended_on", "This job has already ended.")
    if ended_on is not None and ended_on < job.started_on:
        problems.add("ended_on", f"A job can't end before it starts: this one started on {long_date(job.started_on)}.")
    check_date(
        problems,
        "ended_on",
        ended_on,
        "end date",
        future="The end date can't be in the future: record the ending once it happens.",
    )
    if end_reason is not None and end_reason not in EndReason.values:
        problems.add("end_reason", "Choose why the job ended.")
    return problems


@transaction.atomic
def job_end(*, actor: Person, job: Job, ended_on: datetime.date, end_reason: str, end_note: str = "") -> Job:
    enrollment = job.enrollment
    _require(actor, enrollment, access.SERVICES)
    lock_into(job, None)
    job_end_problems(job=job, ended_on=ended_on, end_reason=end_reason).raise_if_any()
    job.ended_on, job.end_reason, job.end_note = ended_on, end_reason, end_note
    job.full_clean()
    job.version += 1
    job.save(update_fields=["ended_on", "end_reason", "end_note", "version"])
    _audit(actor, "client.job_end", enrollment, job, reason=end_reason)
    return job


def next_help_problems(*, job: Job, on: datetime.date | None) -> Problems:
    problems = Problems()
    if job.ended_on is None:
        problems.add("on", "The job has not ended.")
    check_date(problems, "on", on, "date")
    if on is not None and job.ended_on is not None and on < job.ended_on:
        problems.add("on", "Help toward the next job is offered after the job ends.")
    return problems


@transaction.atomic
def job_next_help_record(*, actor: Person, job: Job, on: datetime.date) -> Job:
    """Help toward the next job was offered after this one ended."""
    enrollment = job.enrollment
    _require(actor, enrollment, access.SERVICES)
    lock_into(job, None)
    next_help_problems(job=job, on=on).raise_if_any()
    job.next_job_help_offered_on = on
    job.version += 1
    job.save(update_fields=["next_job_help_offered_on", "version"])
    _audit(actor, "client.next_job_help", enrollment, job)
    return job


# --- Education and follow-along -------------------------------------------------------------------


def education_problems(
    *, started_on: datetime.date | None, ended_on: datetime.date | None, completed: bool | None
) -> Problems:
    problems = Problems()
    check_date(problems, "started_on", started_on, "start date")
    # A course may be planned to end within the year (a completed one has ended: not in the future).
    check_date(problems, "ended_on", ended_on, "end date", days_ahead=0 if completed else MOST_DAYS_AHEAD)
    if started_on is not None and ended_on is not None and ended_on < started_on:
        problems.add("ended_on", "The course can't end before it starts.")
    if completed and ended_on is None:
        problems.add("ended_on", "Enter the end date of a completed course.")
    return problems


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
    education_problems(started_on=started_on, ended_on=ended_on, completed=completed).raise_if_any()
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


def support_problems(*, enrollment: Enrollment, contacted_on: datetime.date | None) -> Problems:
    problems = Problems()
    check_date(problems, "contacted_on", contacted_on, "contact date")
    if contacted_on is not None and contacted_on < enrollment.referral_date:
        problems.add(
            "contacted_on",
            _("The contact can't be before the referral date (%(date)s).")
            % {"date": long_date(enrollment.referral_date)},
        )
    return problems


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
    support_problems(enrollment=enrollment, contacted_on=contacted_on).raise_if_any()
    contact = SupportContact.objects.create(
        enrollment=enrollment, contacted_on=contacted_on, kind=kind, setting=setting, by=actor, note=note
    )
    _audit(actor, "client.support_contact", enrollment, contact)
    return contact


@transaction.atomic
def client_language_set(
    *, actor: Person, enrollment: Enrollment, preferred_language: str, interpreter_needed: bool
) -> Client:
    """The client's preferred language and whether an interpreter is needed, learnt in the first meetings
    (roadmap stage 5: the client's cultural and language preferences)."""
    _require(actor, enrollment, access.SERVICES)
    client = enrollment.client
    if preferred_language not in ("", *ClientLanguage.values):
        raise ValidationError({"preferred_language": _("Choose a language from the list, or Other.")})
    client.preferred_language = preferred_language
    client.interpreter_needed = interpreter_needed
    client.save(update_fields=["preferred_language", "interpreter_needed"])
    _audit(
        actor,
        "client.language",
        enrollment,
        preferred_language=preferred_language,
        interpreter_needed=interpreter_needed,
    )
    return client


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
