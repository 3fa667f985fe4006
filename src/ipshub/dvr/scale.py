"""Generated DVR records for `ipshub seed`: for each client who shares with their DVR office (a consent
and a DVR case, written by clients/scale.py), the authorizations a counselor would have made over the
years — career profile, job development plan, then placement and job retention once the person worked —
with the specialist's report, the counselor's review and the payment milestone (earned, mostly paid),
plus monthly billable units of follow-along. Reports and reviews fall where the dates say: an
authorization that started recently is still open, a report finished recently waits for review.

Read a chunk of programs' DVR cases and jobs, generate, stream to the database (ipshub.areakit.bulk)."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from ipshub.areakit.bulk import BulkWriter
from ipshub.areakit.scale import ScaleContext
from ipshub.clients.models import Consent, DvrCase, Job
from ipshub.dvr import rules, services
from ipshub.dvr.models import (
    Authorization,
    BillableUnit,
    DeliverableReport,
    FundingSource,
    Milestone,
    ReportReview,
)
from ipshub.tenancy.models import State

CHUNK = 25  # programs read at a time

SUMMARY = {
    "career_profile": "Met three times; wrote the career profile with the person: preferences, history, supports.",
    "job_development_plan": "Goal and target employers agreed; next steps reviewed with the person.",
    "hire": "Hired after meeting the employer twice; the hours match what the person wanted.",
    "retention": "Weekly check-ins with the person and one with the supervisor; the job is going well.",
}


class _Dvr:
    def __init__(self, out: BulkWriter) -> None:
        self.auth = out.table(
            Authorization,
            [
                "program",
                "enrollment",
                "dvr_office",
                "provider",
                "counselor",
                "catalog",
                "service_code",
                "service_name",
                "report_kind",
                "time_frame",
                "payment_rule",
                "number",
                "starts_on",
                "ends_on",
                "units",
                "amount",
                "status",
            ],
            with_ids=True,
            label="DVR authorizations",
        )
        self.report = out.table(
            DeliverableReport,
            [
                "authorization",
                "status",
                "completed_on",
                "units_used",
                "summary",
                "job",
                "employer_name",
                "job_title",
                "hire_on",
                "hours_per_week",
                "hourly_wage",
                "still_employed",
                "submitted_by",
                "submitted_at",
                "reviewed_at",
            ],
            with_ids=True,
            label="DVR reports",
        )
        self.review = out.table(
            ReportReview,
            ["report", "decision", "comments", "by", "submitted_at", "created_at"],
            label="DVR report reviews",
        )
        self.milestone = out.table(
            Milestone, ["authorization", "amount", "explanation", "earned_on", "paid_on"], label="DVR milestones"
        )
        self.units = out.table(
            BillableUnit,
            ["program", "enrollment", "service_on", "minutes", "units", "service_code", "funding_source", "by"],
            label="billable units",
        )


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def generate(ctx: ScaleContext) -> dict[str, int]:
    """Add this area's generated records at ctx.scale; returns counts by kind."""
    counts: Counter[str] = Counter()
    today = timezone.localdate()
    states = State.objects.in_bulk({p.state_id for p in ctx.programs})
    catalogs = {state_id: services.catalog_current(state) for state_id, state in states.items()}
    program_of = {p.pk: p for p in ctx.programs}
    out = BulkWriter(counts)
    t = _Dvr(out)
    shared = Consent.objects.filter(
        client_id=OuterRef("enrollment__client_id"), organization_id=OuterRef("dvr_office_id")
    )
    ids = list(program_of)
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        jobs: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in (
            Job.objects.filter(enrollment__program_id__in=chunk, enrollment__dvr_case__isnull=False)
            .order_by("enrollment_id", "started_on")
            .values_list(
                "enrollment_id",
                "pk",
                "started_on",
                "ended_on",
                "hours_per_week",
                "hourly_wage",
                "title",
                "employer__name",
            )
        ):
            jobs[row[0]].append(row[1:])
        cases = (
            DvrCase.objects.filter(enrollment__program_id__in=chunk, eligibility=DvrCase.Eligibility.ELIGIBLE)
            .filter(Exists(shared))
            .order_by("pk")
            .values_list(
                "enrollment_id",
                "enrollment__program_id",
                "dvr_office_id",
                "counselor_id",
                "enrollment__specialist_id",
                "eligibility_on",
                "enrollment__closed_on",
            )
        )
        for enrollment_id, program_id, office_id, counselor_id, specialist_id, eligible_on, closed_on in cases:
            if counselor_id is None or specialist_id is None or eligible_on is None:
                continue
            program = program_of[program_id]
            _case(
                ctx,
                t,
                _Case(
                    enrollment_id,
                    program_id,
                    office_id,
                    program.employment_provider_id or program.mh_agency_id,
                    counselor_id,
                    specialist_id,
                    catalogs[program.state_id],
                    eligible_on,
                    min(closed_on or today, today),
                    today,
                ),
                jobs.get(enrollment_id, []),
            )
    out.flush()
    return dict(counts)


class _Case:
    def __init__(
        self,
        enrollment: int,
        program: int,
        office: int,
        provider: int,
        counselor: int,
        specialist: int,
        catalog: Any,
        eligible_on: datetime.date,
        until: datetime.date,
        today: datetime.date,
    ) -> None:
        self.enrollment, self.program, self.office, self.provider = enrollment, program, office, provider
        self.counselor, self.specialist, self.catalog = counselor, specialist, catalog
        self.eligible_on, self.until, self.today = eligible_on, until, today
        self.services = {s["code"]: s for s in catalog.data["services"]}


def _case(ctx: ScaleContext, t: _Dvr, case: _Case, jobs: list[tuple[Any, ...]]) -> None:
    rng = ctx.rng
    begin = case.eligible_on + datetime.timedelta(days=rng.randint(3, 20))
    after_profile = _authorize(ctx, t, case, "career_profile", begin, 60, Decimal(4), None)
    if after_profile is None:
        return
    after_plan = _authorize(ctx, t, case, "job_development_plan", after_profile, 180, Decimal(6), None)
    if after_plan is None:
        return
    job = next((j for j in jobs if j[1] >= after_plan - datetime.timedelta(days=30)), None)
    if job is None:
        return
    hired = job[1]
    placement_start = max(hired - datetime.timedelta(days=60), case.eligible_on)
    placed = _authorize(ctx, t, case, "placement", placement_start, 150, Decimal(20), job)
    if placed is None or (job[2] is not None and (job[2] - hired).days < 60):
        return
    _authorize(ctx, t, case, "job_retention", hired + datetime.timedelta(days=30), 120, Decimal(12), job)
    # Monthly follow-along billed to Medicaid (or the county) while the job lasts, a year at most.
    on, stop = hired + datetime.timedelta(days=14), min(job[2] or case.today, case.today)
    for _ in range(12):
        if on > stop:
            break
        minutes = rng.choice((30, 45, 60, 75, 90))
        t.units.add(
            case.program,
            case.enrollment,
            on,
            minutes,
            rules.units_for_minutes(minutes),
            "H2023",
            FundingSource.MEDICAID if rng.random() < 0.8 else FundingSource.COUNTY,
            case.specialist,
        )
        on += datetime.timedelta(days=30)


def _authorize(
    ctx: ScaleContext,
    t: _Dvr,
    case: _Case,
    code: str,
    starts_on: datetime.date,
    days: int,
    units: Decimal,
    job: tuple[Any, ...] | None,
) -> datetime.date | None:
    """Write one authorization and what followed it; returns the day after its report was accepted
    (when the next service could start), or None when the story stops here."""
    service = case.services.get(code)
    if service is None or starts_on > case.until:
        return None
    rng = ctx.rng
    rule = service["payment"]
    amount = Decimal(str(rule.get("amount") or max(Decimal(str(tier["amount"])) for tier in rule["tiers"])))
    if rule["kind"] == "per_unit":
        amount = amount * units
    done_on = starts_on + datetime.timedelta(days=rng.randint(10, int(service["time_frame"]["due_days"])))
    reviewed_on = done_on + datetime.timedelta(days=rng.randint(2, 14))
    status = Authorization.Status.EARNED if reviewed_on <= case.today else Authorization.Status.OPEN
    authorization = t.auth.add(
        case.program,
        case.enrollment,
        case.office,
        case.provider,
        case.counselor,
        case.catalog.pk,
        code,
        service["name"],
        service["report"],
        service["time_frame"],
        rule,
        f"PO-{case.enrollment}-{code[:3].upper()}",
        starts_on,
        starts_on + datetime.timedelta(days=days),
        units,
        amount,
        status,
    )
    if done_on > case.today:
        return None  # still under way
    used = units - rng.choice((0, 0, 0, 1, 2))
    hire = service["report"] in ("hire", "retention") and job is not None
    facts: dict[str, Decimal | int | None] = {"units": used, "hours_per_week": None, "days_to_hire": None}
    if hire:
        assert job is not None
        facts.update(hours_per_week=job[3], days_to_hire=(job[1] - starts_on).days)
    accepted = reviewed_on <= case.today
    report = t.report.add(
        authorization,
        DeliverableReport.Status.ACCEPTED if accepted else DeliverableReport.Status.SUBMITTED,
        done_on,
        used,
        SUMMARY.get(service["report"], "Services delivered as authorized."),
        job[0] if hire and job else None,
        job[6] if hire and job else "",
        job[5] if hire and job else "",
        job[1] if hire and job else None,
        job[3] if hire and job else None,
        job[4] if hire and job else None,
        (job[2] is None or job[2] > done_on) if hire and job else None,
        case.specialist,
        _at(done_on),
        _at(reviewed_on) if accepted else None,
    )
    if not accepted:
        return None
    t.review.add(report, ReportReview.Decision.ACCEPT, "Thank you.", case.counselor, _at(done_on), _at(reviewed_on))
    payment = rules.evaluate_payment(rule, facts)
    earned = min(payment.amount, amount)
    paid_on = reviewed_on + datetime.timedelta(days=rng.randint(10, 45))
    t.milestone.add(
        authorization, earned, payment.explanation[:300], reviewed_on, paid_on if paid_on <= case.today else None
    )
    return reviewed_on + datetime.timedelta(days=1)
