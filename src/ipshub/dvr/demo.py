"""Westmark demo: DVR authorizations for Pine County clients who share with the DVR Pine Valley Office:
an earned and paid placement, a job development plan waiting for review, a career profile coming due,
a returned retention report, and a month of billable units."""

import datetime
from decimal import Decimal

from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.clients.access import active_consent_q
from ipshub.clients.models import Consent, Enrollment, Status
from ipshub.dvr import services
from ipshub.dvr.models import Authorization, FundingSource

PROGRAM = "Pine County IPS"
DVR_OFFICE = "DVR Pine Valley Office"


def build(ctx: DemoContext) -> None:
    """Add this area's records to the Westmark demo."""
    program = ctx.programs.get(PROGRAM)
    office = ctx.orgs.get(DVR_OFFICE)
    if program is None or office is None:
        return
    counselor = ctx.people["counselor"]
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    consenting = Consent.objects.filter(active_consent_q({office.pk}, today)).values("client_id")
    shared = list(
        Enrollment.objects.filter(program=program, client_id__in=consenting)
        .exclude(status=Status.CLOSED)
        .exclude(specialist=None)
        .select_related("specialist", "client")
        .order_by("pk")
    )
    with_job = [e for e in shared if e.jobs.filter(ended_on=None).exists()]
    without_job = [e for e in shared if e not in with_job]

    def authorize(
        enrollment: Enrollment, code: str, start: datetime.date, days: int, units: str, amount: str
    ) -> Authorization:
        return services.authorization_create(
            actor=counselor,
            enrollment=enrollment,
            dvr_office=office,
            service_code=code,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=days),
            units=Decimal(units),
            amount=Decimal(amount),
            number=f"PO-{enrollment.pk:04d}-{code[:3].upper()}",
        )

    if with_job:
        enrollment = with_job[0]
        job = enrollment.jobs.filter(ended_on=None).order_by("-started_on").first()
        assert job is not None
        start = max(job.started_on - datetime.timedelta(days=30), enrollment.referral_date)
        placement = authorize(enrollment, "placement", start, max(120, (today - start).days + 60), "20", "1800")
        data = services.report_initial(placement, today)
        data.update(summary="Hired after two working interviews; the employer offered steady morning hours.")
        services.report_submit(actor=enrollment.specialist or counselor, authorization=placement, data=data)
        services.report_review(actor=counselor, authorization=placement, accept=True, comments="Thank you.")
        services.milestone_mark_paid(actor=counselor, authorization=placement, paid_on=today)
        retention = authorize(enrollment, "job_retention", ago(80), 120, "12", "1000")
        data = services.report_initial(retention, today)
        data.update(summary="Weekly check-ins with the person; one meeting with the supervisor about schedules.")
        data["units_used"] = Decimal("8")
        services.report_submit(actor=enrollment.specialist or counselor, authorization=retention, data=data)
        services.report_review(
            actor=counselor,
            authorization=retention,
            accept=False,
            comments="Please add how the schedule change worked out.",
        )
    for n, enrollment in enumerate(without_job[:2]):
        plan = authorize(enrollment, "job_development_plan", ago(25 + 10 * n), 180, "6", "600")
        if n == 0:
            services.report_submit(
                actor=enrollment.specialist or counselor,
                authorization=plan,
                data={
                    "completed_on": ago(2),
                    "units_used": Decimal("4"),
                    "summary": "Goal: library or office work, mornings. Targets: Pine County Library, two offices.",
                },
            )
    for enrollment in without_job[2:3] or shared[-1:]:
        authorize(enrollment, "career_profile", ago(22), 60, "4", "500")
    for n, enrollment in enumerate(shared[:6]):
        for k in range(3):
            services.billable_unit_create(
                actor=enrollment.specialist or counselor,
                enrollment=enrollment,
                service_on=ago(3 + 7 * k + n),
                minutes=30 + 15 * ((n + k) % 3),
                service_code="H2023",
                funding_source=(FundingSource.MEDICAID, FundingSource.COUNTY, FundingSource.DVR)[(n + k) % 3],
            )
