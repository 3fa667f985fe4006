"""Reads for DVR pages: due dates, the money view and the billing export. Fixed query counts."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.clients.models import Job
from ipshub.dvr import rules
from ipshub.dvr.models import (
    Authorization,
    BillableUnit,
    CatalogVersion,
    DeliverableReport,
    FundingSource,
    Milestone,
)

ZERO = Decimal("0.00")


def due_on(authorization: Authorization) -> datetime.date | None:
    """When the next thing is due on this authorization: the report, or the next plan review."""
    report = getattr(authorization, "report", None)
    if authorization.status == Authorization.Status.OPEN:
        return rules.report_due_on(authorization.time_frame, authorization.starts_on)
    if authorization.status == Authorization.Status.EARNED and report is not None and report.reviewed_at:
        return rules.next_review_on(authorization.time_frame, timezone.localdate(report.reviewed_at))
    return None


@dataclass(frozen=True)
class DueRow:
    authorization: Authorization
    due_on: datetime.date
    what: str


def _what_is_due(
    *,
    for_dvr: bool,
    status: str,
    report_status: str | None,
    submitted_at: datetime.datetime | None,
    reviewed_at: datetime.datetime | None,
    time_frame: dict[str, Any],
    starts_on: datetime.date,
    ends_on: datetime.date,
    report_kind: str,
) -> tuple[datetime.date, str] | None:
    """What is due next on one authorization and when, for the DVR office (`for_dvr`) or the provider: the one
    rule of `due_rows` and `due_reminders`, on plain values so the reminders need no model row."""
    if for_dvr:
        if report_status == DeliverableReport.Status.SUBMITTED and submitted_at is not None:
            return rules.review_due_on(timezone.localdate(submitted_at)), _("Review the report")  # the local day
        if status == Authorization.Status.OPEN:
            return ends_on, _("Authorization ends")
        return None
    if status == Authorization.Status.OPEN:
        if report_status == DeliverableReport.Status.SUBMITTED:
            return None
        label = REPORT_KIND_LABELS.get(report_kind, report_kind)
        due = _("%(report)s due") % {"report": label}
        what = _("Correct the returned report") if report_status is not None else due
        return rules.report_due_on(time_frame, starts_on), what
    if status == Authorization.Status.EARNED and report_status is not None and reviewed_at is not None:
        when = rules.next_review_on(time_frame, timezone.localdate(reviewed_at))
        return (when, _("Plan review due")) if when is not None else None
    return None


REPORT_KIND_LABELS = dict(Authorization._meta.get_field("report_kind").flatchoices)


def due_rows(authorizations: QuerySet[Authorization], *, for_dvr: bool) -> list[DueRow]:
    """Reports due (provider) or waiting for review (DVR), and plan reviews, with the client, one query."""
    rows = []
    items = authorizations.exclude(status=Authorization.Status.CANCELLED).select_related(
        "report", "program", "enrollment__client"
    )
    for a in items:
        report = getattr(a, "report", None)
        found = _what_is_due(
            for_dvr=for_dvr,
            status=a.status,
            report_status=report.status if report is not None else None,
            submitted_at=report.submitted_at if report is not None else None,
            reviewed_at=report.reviewed_at if report is not None else None,
            time_frame=a.time_frame,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            report_kind=a.report_kind,
        )
        if found is not None:
            rows.append(DueRow(a, *found))
    return sorted(rows, key=lambda r: (r.due_on, r.authorization.pk))


@dataclass(frozen=True)
class DueReminder:
    """What `due_rows` finds, without the client or any model row: reminders' titles carry no client name."""

    authorization_id: int
    enrollment_id: int
    service_name: str
    program_name: str
    due_on: datetime.date
    what: str


def due_reminder_query(authorizations: QuerySet[Authorization]) -> QuerySet[Any, Any]:
    """The plain values `due_reminders` reads (no model row is built: the home page reads a provider's every
    authorization)."""
    return authorizations.exclude(status=Authorization.Status.CANCELLED).values_list(
        "pk",
        "enrollment_id",
        "service_name",
        "program__name",
        "status",
        "report__status",
        "report__submitted_at",
        "report__reviewed_at",
        "time_frame",
        "starts_on",
        "ends_on",
        "report_kind",
    )


def due_reminders(rows: Iterable[tuple[Any, ...]], *, for_dvr: bool) -> list[DueReminder]:
    """`due_rows` for reminders: the same rule on the rows of `due_reminder_query`."""
    found = []
    for pk, enrollment_id, service, program, status, report_status, submitted, reviewed, *dates in rows:
        frame, starts, ends, kind = dates
        due = _what_is_due(
            for_dvr=for_dvr,
            status=status,
            report_status=report_status,
            submitted_at=submitted,
            reviewed_at=reviewed,
            time_frame=frame,
            starts_on=starts,
            ends_on=ends,
            report_kind=kind,
        )
        if due is not None:
            found.append(DueReminder(pk, enrollment_id, service, program, *due))
    return sorted(found, key=lambda r: (r.due_on, r.authorization_id))


# --- Money ---------------------------------------------------------------------------------------------


def quarter_of(year: int, month: int) -> str:
    return f"{year} Q{(month - 1) // 3 + 1}"


@dataclass
class MoneyRow:
    service: str
    quarter: str
    authorized: Decimal = ZERO
    earned: Decimal = ZERO
    paid: Decimal = ZERO


def money(authorizations: QuerySet[Authorization]) -> tuple[list[MoneyRow], MoneyRow]:
    """Authorized (by start quarter), earned (by earned quarter) and paid (by paid quarter), by service.
    Three grouped queries whatever the data size."""
    rows: dict[tuple[str, str], MoneyRow] = {}

    def row(service: str, year: int, month: int) -> MoneyRow:
        key = (service, quarter_of(year, month))
        if key not in rows:
            rows[key] = MoneyRow(service, key[1])
        return rows[key]

    money_field = DecimalField(max_digits=14, decimal_places=2)
    authorized = (
        authorizations.exclude(status=Authorization.Status.CANCELLED)
        .annotate(y=ExtractYear("starts_on"), m=ExtractMonth("starts_on"))
        .values("service_name", "y", "m")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=money_field))
    )
    for a in authorized:
        row(a["service_name"], a["y"], a["m"]).authorized += a["total"]
    milestones = Milestone.objects.filter(authorization__in=authorizations.values("pk"))
    earned = (
        milestones.annotate(y=ExtractYear("earned_on"), m=ExtractMonth("earned_on"))
        .values("authorization__service_name", "y", "m")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=money_field))
    )
    for e in earned:
        row(e["authorization__service_name"], e["y"], e["m"]).earned += e["total"]
    paid = (
        milestones.filter(paid_on__isnull=False)
        .annotate(y=ExtractYear("paid_on"), m=ExtractMonth("paid_on"))
        .values("authorization__service_name", "y", "m")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=money_field))
    )
    for p in paid:
        row(p["authorization__service_name"], p["y"], p["m"]).paid += p["total"]
    ordered = sorted(rows.values(), key=lambda r: (r.quarter, r.service))
    total = MoneyRow(_("All services"), _("All quarters"))
    for line in ordered:
        total.authorized += line.authorized
        total.earned += line.earned
        total.paid += line.paid
    return ordered, total


def money_header() -> list[str]:
    return [_("Service"), _("Quarter"), _("Authorized"), _("Earned"), _("Paid")]


def money_table(rows: list[MoneyRow], total: MoneyRow) -> list[list[Any]]:
    return [[r.service, r.quarter, r.authorized, r.earned, r.paid] for r in [*rows, total]]


# --- Billing ---------------------------------------------------------------------------------------------


def month_bounds(month: str) -> tuple[datetime.date, datetime.date] | None:
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        return None
    try:
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    except OverflowError:  # 9999-12: its end is past the calendar's
        return None
    return first, following - datetime.timedelta(days=1)


def billing_rows(units: QuerySet[BillableUnit]) -> QuerySet[BillableUnit]:
    return units.select_related("enrollment__client", "by").order_by("service_on", "id")


BILLING_HEADER = [
    "Date of service",
    "Client record number",
    "Client last name",
    "Client first name",
    "Birth date",
    "Service code",
    "Minutes",
    "Units",
    "Funding source",
    "Staff",
]


def billing_line(u: BillableUnit) -> list[Any]:
    client = u.enrollment.client
    return [
        u.service_on,
        client.record_number,
        client.last_name,
        client.first_name,
        client.birth_date,
        u.service_code,
        u.minutes,
        u.units,
        u.get_funding_source_display(),
        u.by.get_full_name() or u.by.get_username(),
    ]


@dataclass(frozen=True)
class FundingShare:
    source: str
    units: int
    contacts: int
    percent: int


def funding_mix(units: QuerySet[BillableUnit]) -> list[FundingShare]:
    """Units by funding source, one query."""
    counts: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for r in units.values("funding_source").annotate(u=Sum("units"), n=Count("id")):
        counts[r["funding_source"]] = (r["u"] or 0, r["n"])
    total = sum(u for u, _ in counts.values()) or 1
    return [
        FundingShare(str(label), counts[value][0], counts[value][1], round(100 * counts[value][0] / total))
        for value, label in FundingSource.choices
        if value in counts
    ]


def catalog_text(version: CatalogVersion) -> str:
    return yaml.safe_dump(version.data, sort_keys=False, allow_unicode=True, width=110)


def job_for_report(authorization: Authorization) -> Job | None:
    jobs = Job.objects.filter(enrollment_id=authorization.enrollment_id).select_related("employer")
    return jobs.filter(started_on__gte=authorization.starts_on).order_by("started_on").first() or jobs.first()


def job_facts(job: Job) -> dict[str, Any]:
    return {
        "job": job.pk,
        "employer_name": job.employer.name,
        "job_title": job.title,
        "hire_on": job.started_on,
        "hours_per_week": job.hours_per_week,
        "hourly_wage": job.hourly_wage,
        "still_employed": job.ended_on is None,
    }


def report_facts(authorization: Authorization, report: DeliverableReport) -> dict[str, Decimal | int | None]:
    days_to_hire = (report.hire_on - authorization.starts_on).days if report.hire_on else None
    return {"hours_per_week": report.hours_per_week, "days_to_hire": days_to_hire, "units": report.units_used}
