"""Writes for DVR authorizations, reports, payments, billing and the service catalog.

Each: @transaction.atomic, validate (ValidationError keyed by field), write, audit_record.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.hooks import work_changed
from ipshub.audit.services import audit_record
from ipshub.clients.models import Enrollment, Job
from ipshub.dvr import rules
from ipshub.dvr.models import (
    Authorization,
    BillableUnit,
    CatalogVersion,
    DeliverableReport,
    Extension,
    FundingSource,
    Milestone,
    ReportReview,
)
from ipshub.dvr.selectors import catalog_text, job_facts, job_for_report, report_facts
from ipshub.lib.concurrency import EditConflict, lock_into
from ipshub.tenancy.models import Organization, Person, State


def _audit(actor: Person | None, action: str, obj: Any, state_id: int, **detail: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, state_id=state_id, detail=detail)


# --- The service catalog ---------------------------------------------------------------------------


def catalog_current(state: State) -> CatalogVersion:
    """The state's newest catalog version; the defaults become version 1 the first time it is needed."""
    found = CatalogVersion.objects.filter(state=state).order_by("-version").first()
    if found is not None:
        return found
    return _catalog_start(state)


@transaction.atomic
def _catalog_start(state: State) -> CatalogVersion:
    version = CatalogVersion.objects.create(
        state=state, version=1, data=rules.default_catalog(), note="The default DVR service catalog"
    )
    _audit(None, "dvr.catalog_start", version, state.pk, version=1)
    return version


@transaction.atomic
def catalog_update(
    *, actor: Person, state: State, text: str, note: str, expected_version: int | None = None
) -> CatalogVersion:
    """Save an edited catalog as the next version; earlier authorizations keep theirs. expected_version:
    the version the edit was based on; if someone saved a newer one meanwhile, EditConflict shows it."""
    State.objects.select_for_update().filter(pk=state.pk).values_list("pk", flat=True).first()
    newest = CatalogVersion.objects.filter(state=state).order_by("-version").first()
    if expected_version is not None and newest is not None and newest.version != expected_version:
        raise EditConflict(current_version=newest.version, saved={"text": catalog_text(newest), "note": newest.note})
    try:
        data = rules.parse_catalog(text)
    except rules.CatalogError as exc:
        raise ValidationError({"text": str(exc)}) from None
    if not note.strip():
        raise ValidationError({"note": _("Say briefly what changed, for the version history.")})
    current = catalog_current(state)
    if current.data == data:
        raise ValidationError({"text": _("Nothing changed: edit the catalog, or cancel.")})
    last = CatalogVersion.objects.filter(state=state).aggregate(n=Max("version"))["n"] or 0
    version = CatalogVersion.objects.create(state=state, version=last + 1, data=data, note=note, created_by=actor)
    _audit(actor, "dvr.catalog_update", version, state.pk, version=version.version, note=note)
    return version


# --- Authorizations --------------------------------------------------------------------------------


@transaction.atomic
def authorization_create(
    *,
    actor: Person,
    enrollment: Enrollment,
    dvr_office: Organization,
    service_code: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    units: Decimal,
    amount: Decimal,
    number: str = "",
) -> Authorization:
    program = enrollment.program
    catalog = catalog_current(program.state)
    service = catalog.service(service_code)
    errors: dict[str, str] = {}
    if service is None:
        errors["service_code"] = _("Choose a service from the state's catalog.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date is before the start date; give an end on or after the start.")
    if units <= 0:
        errors["units"] = _("Authorize at least some units (more than 0).")
    if amount < 0:
        errors["amount"] = _("The amount can't be negative.")
    if not enrollment.is_open:
        errors["service_code"] = _("This client's IPS service is closed; re-open it before authorizing services.")
    if errors:
        raise ValidationError(errors)
    assert service is not None
    provider_id = program.employment_provider_id or program.mh_agency_id
    authorization = Authorization.objects.create(
        program=program,
        enrollment=enrollment,
        dvr_office=dvr_office,
        provider_id=provider_id,
        counselor=actor,
        catalog=catalog,
        service_code=service["code"],
        service_name=service["name"],
        report_kind=service["report"],
        time_frame=service["time_frame"],
        payment_rule=service["payment"],
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        amount=amount,
    )
    _audit(
        actor,
        "dvr.authorize",
        authorization,
        program.state_id,
        service=service["code"],
        catalog_version=catalog.version,
        amount=str(amount),
        units=str(units),
    )
    return authorization


@transaction.atomic
def authorization_extend(
    *, actor: Person, authorization: Authorization, ends_on: datetime.date, added_units: Decimal, reason: str
) -> Extension:
    lock_into(authorization, None)  # two extensions at once: the second checks and adds on the first's result
    errors: dict[str, str] = {}
    if authorization.status != Authorization.Status.OPEN:
        errors["ends_on"] = _("Only an open authorization can be extended.")
    elif ends_on < authorization.ends_on:
        errors["ends_on"] = _("The new end date must be on or after the current end, %(ends_on)s.") % {
            "ends_on": format(authorization.ends_on, "%b %d, %Y")
        }
    if added_units < 0:
        errors["added_units"] = _("Added units can't be negative.")
    if ends_on == authorization.ends_on and added_units == 0 and "ends_on" not in errors:
        errors["ends_on"] = _("Give a later end date or add units; nothing would change.")
    if not reason.strip():
        errors["reason"] = _("Say why the authorization is extended.")
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        authorization=authorization,
        from_ends_on=authorization.ends_on,
        to_ends_on=ends_on,
        added_units=added_units,
        reason=reason.strip(),
        by=actor,
    )
    authorization.ends_on = ends_on
    authorization.units = authorization.units + added_units  # on the locked row: no extension is lost
    authorization.save(update_fields=["ends_on", "units"])
    _audit(actor, "dvr.extend", authorization, authorization.program.state_id, to=str(ends_on), reason=reason)
    return extension


# --- Deliverable reports ---------------------------------------------------------------------------


def report_initial(authorization: Authorization, today: datetime.date) -> dict[str, Any]:
    """What the report form starts with: the saved report, or for a hire or retention report the
    client's job that started during the authorization (employer, start date, hours, wage)."""
    report = getattr(authorization, "report", None)
    if report is not None:
        return {
            "completed_on": report.completed_on,
            "units_used": report.units_used,
            "summary": report.summary,
            "job": report.job_id,
            "employer_name": report.employer_name,
            "job_title": report.job_title,
            "hire_on": report.hire_on,
            "hours_per_week": report.hours_per_week,
            "hourly_wage": report.hourly_wage,
            "still_employed": report.still_employed,
        }
    initial: dict[str, Any] = {"completed_on": min(today, authorization.ends_on), "units_used": authorization.units}
    if authorization.report_kind in ("hire", "retention"):
        job = job_for_report(authorization)
        if job is not None:
            initial.update(job_facts(job))
    return initial


def _check_report(authorization: Authorization, data: dict[str, Any], today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if authorization.status != Authorization.Status.OPEN:
        raise ValidationError({"summary": _("This authorization's report was already accepted; nothing to change.")})
    if today > authorization.ends_on:
        errors["completed_on"] = _(
            "This authorization ended on %(ends_on)s. Ask the DVR counselor to extend it before submitting the report."
        ) % {"ends_on": format(authorization.ends_on, "%b %d, %Y")}
    completed = data["completed_on"]
    if completed < authorization.starts_on or completed > authorization.ends_on:
        errors.setdefault(
            "completed_on",
            f"The service date must be within the authorization, {authorization.starts_on:%b %d, %Y} to "
            f"{authorization.ends_on:%b %d, %Y}.",
        )
    elif completed > today:
        errors["completed_on"] = _("The service date can't be in the future.")
    units = data["units_used"]
    if units is None or units < 0:
        errors["units_used"] = _("Give the units used (0 or more).")
    elif units > authorization.units:
        errors["units_used"] = _(
            "%(units)s units is more than the %(units2)s authorized. "
            "Report at most %(units2)s, or ask the counselor to extend the authorization."
        ) % {"units": units, "units2": authorization.units}
    if not (data.get("summary") or "").strip():
        errors["summary"] = _("Write the report summary.")
    if authorization.report_kind in ("hire", "retention"):
        for field, label in (
            ("employer_name", _("the employer")),
            ("hire_on", _("the job start date")),
            ("hours_per_week", _("the hours a week")),
            ("hourly_wage", _("the hourly wage")),
        ):
            if data.get(field) in (None, ""):
                errors[field] = _("Give %(label)s; record the job on the client's page first if it is missing.") % {
                    "label": label
                }
        hire_on = data.get("hire_on")
        if authorization.report_kind == "hire" and hire_on and hire_on < authorization.starts_on:
            errors["hire_on"] = _(
                "The hire date %(hire_on)s is before the authorization started (%(starts_on)s); "
                "a job found before the authorization can't be billed as a placement under it."
            ) % {"hire_on": format(hire_on, "%b %d, %Y"), "starts_on": format(authorization.starts_on, "%b %d, %Y")}
        elif hire_on and hire_on > today:
            errors["hire_on"] = _("The job start date can't be in the future.")
    if errors:
        raise ValidationError(errors)


REPORT_FIELDS = (
    "completed_on",
    "units_used",
    "summary",
    "employer_name",
    "job_title",
    "hire_on",
    "hours_per_week",
    "hourly_wage",
    "still_employed",
)


@transaction.atomic
def report_submit(
    *, actor: Person, authorization: Authorization, data: dict[str, Any], today: datetime.date | None = None
) -> DeliverableReport:
    """Submit the report (or re-submit a returned one with corrections)."""
    today = today or timezone.localdate()
    authorization = Authorization.objects.select_for_update().get(pk=authorization.pk)
    _check_report(authorization, data, today)
    values = {f: data.get(f) for f in REPORT_FIELDS}
    values["summary"] = (values["summary"] or "").strip()
    for f in ("employer_name", "job_title"):
        values[f] = values[f] or ""
    if authorization.report_kind not in ("hire", "retention"):
        values.update(employer_name="", job_title="", hire_on=None, hours_per_week=None, hourly_wage=None)
        values["still_employed"] = None
    job = data.get("job")
    if isinstance(job, int):
        job = Job.objects.filter(pk=job, enrollment_id=authorization.enrollment_id).first()
    existing = DeliverableReport.objects.filter(authorization=authorization).first()
    if existing is not None and existing.status != DeliverableReport.Status.RETURNED:
        raise ValidationError(
            {"summary": _("The report is waiting for the counselor; it can be changed once returned.")}
        )
    now = timezone.now()
    if existing is None:
        report = DeliverableReport.objects.create(
            authorization=authorization, job=job, submitted_by=actor, submitted_at=now, **values
        )
    else:
        report = existing
        for key, value in values.items():
            setattr(report, key, value)
        report.job = job
        report.status = DeliverableReport.Status.SUBMITTED
        report.submitted_by = actor
        report.submitted_at = now
        report.save()
    _audit(actor, "dvr.report_submit", report, authorization.program.state_id, resubmitted=existing is not None)
    work_changed(authorization.program_id)  # a report waiting asks the counselor for a review
    return report


@transaction.atomic
def report_review(
    *,
    actor: Person,
    authorization: Authorization,
    accept: bool,
    comments: str,
    today: datetime.date | None = None,
) -> ReportReview:
    """The counselor accepts the report (the payment milestone is earned) or returns it with comments."""
    today = today or timezone.localdate()
    report = DeliverableReport.objects.select_for_update().filter(authorization=authorization).first()
    if report is None or report.status != DeliverableReport.Status.SUBMITTED:
        raise ValidationError({"comments": _("There is no submitted report waiting for review.")})
    if not accept and not comments.strip():
        raise ValidationError({"comments": _("Say what needs correcting, so the specialist can fix it.")})
    review = ReportReview.objects.create(
        report=report,
        decision=ReportReview.Decision.ACCEPT if accept else ReportReview.Decision.RETURN,
        comments=comments.strip(),
        by=actor,
        submitted_at=report.submitted_at,
    )
    report.status = DeliverableReport.Status.ACCEPTED if accept else DeliverableReport.Status.RETURNED
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_at"])
    if accept:
        payment = rules.evaluate_payment(authorization.payment_rule, report_facts(authorization, report))
        amount, explanation = payment.amount, payment.explanation
        if amount > authorization.amount:
            explanation = f"{explanation}, capped at the authorized ${authorization.amount:,.2f}"
            amount = authorization.amount
        Milestone.objects.create(
            authorization=authorization, amount=amount, explanation=explanation[:300], earned_on=today
        )
        authorization.status = Authorization.Status.EARNED
        authorization.save(update_fields=["status"])
        _audit(actor, "dvr.report_accept", report, authorization.program.state_id, amount=str(amount))
    else:
        _audit(actor, "dvr.report_return", report, authorization.program.state_id)
    work_changed(authorization.program_id)  # the decision answers the counselor's review duty
    return review


@transaction.atomic
def milestone_mark_paid(*, actor: Person, authorization: Authorization, paid_on: datetime.date) -> Milestone:
    milestone = Milestone.objects.select_for_update().filter(authorization=authorization).first()
    if milestone is None:
        raise ValidationError({"paid_on": _("Nothing is earned yet: accept the report first.")})
    if milestone.paid_on is not None:
        raise ValidationError(
            {"paid_on": _("Already marked paid on %(paid_on)s.") % {"paid_on": format(milestone.paid_on, "%b %d, %Y")}}
        )
    if paid_on < milestone.earned_on:
        raise ValidationError({"paid_on": _("The payment date can't be before the milestone was earned.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date can't be in the future.")})
    milestone.paid_on = paid_on
    milestone.save(update_fields=["paid_on"])
    _audit(actor, "dvr.paid", milestone, authorization.program.state_id, paid_on=str(paid_on))
    return milestone


# --- Billable units (Medicaid and other funding) ------------------------------------------------------


@transaction.atomic
def billable_unit_create(
    *,
    actor: Person,
    enrollment: Enrollment,
    service_on: datetime.date,
    minutes: int,
    service_code: str,
    funding_source: str,
) -> BillableUnit:
    errors: dict[str, str] = {}
    if service_on > timezone.localdate():
        errors["service_on"] = _("The date of service can't be in the future.")
    if service_on < enrollment.referral_date:
        errors["service_on"] = _("The date of service is before the client was referred.")
    if minutes is None or minutes <= 0:
        errors["minutes"] = _("Give the minutes of service (more than 0).")
    elif minutes > 24 * 60:
        errors["minutes"] = _("One contact can't be longer than a day; log each day separately.")
    if not service_code.strip():
        errors["service_code"] = _("Give the billing service code, e.g. H2023.")
    if funding_source not in FundingSource.values:
        errors["funding_source"] = _("Choose a funding source.")
    if errors:
        raise ValidationError(errors)
    unit = BillableUnit.objects.create(
        program=enrollment.program,
        enrollment=enrollment,
        service_on=service_on,
        minutes=minutes,
        units=rules.units_for_minutes(minutes),
        service_code=service_code.strip().upper(),
        funding_source=funding_source,
        by=actor,
    )
    _audit(actor, "dvr.billable_unit", unit, enrollment.program.state_id, minutes=minutes, enrollment=enrollment.pk)
    return unit
