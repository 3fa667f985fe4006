"""The fidelity review's chart-review worksheet, read from the client records (contributed through
clients/hooks.py; fidelity draws the sample and shows the page, fidelity/preparation.py).

The rows load the Client rows themselves (not `values()`), so the disclosure ledger notes every client the
worksheet names; fidelity's view also records its own audit event naming them.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Max, Min, Q

from ipshub.areakit import records
from ipshub.clients.models import Enrollment, Job, SupportContact
from ipshub.tenancy.models import Program


def chart_candidates(program: Program, first_day: datetime.date, last_day: datetime.date) -> list[int]:
    """Enrollments open at some time in the period: referred by its last day, not closed before its first."""
    return list(
        Enrollment.objects.filter(program=program, referral_date__lte=last_day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first_day) | Q(reopened_on__isnull=False))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def chart_rows(program: Program, enrollment_ids: list[int]) -> list[records.ChartClient]:
    """Three queries: the enrollments with their clients and first employer contact, the jobs, the supports."""
    enrollments = list(
        Enrollment.objects.filter(program=program, pk__in=enrollment_ids)
        .select_related("client", "specialist")
        .annotate(
            first_contact=Min(
                "employer_contacts__contacted_on",
                filter=Q(
                    employer_contacts__face_to_face=True,
                    employer_contacts__contacted_on__gte=F("referral_date"),
                ),
            )
        )
        .order_by("client__last_name", "client__first_name", "pk")
    )
    jobs: dict[int, list[records.ChartJob]] = defaultdict(list)
    for job in (
        Job.objects.filter(enrollment__in=[e.pk for e in enrollments])
        .select_related("employer")
        .order_by("started_on", "pk")
    ):
        jobs[job.enrollment_id].append(records.ChartJob(job.employer.name, job.title, job.started_on, job.ended_on))
    supports: dict[int, dict[str, Any]] = {
        row["enrollment_id"]: dict(row)
        for row in SupportContact.objects.filter(enrollment__in=[e.pk for e in enrollments])
        .order_by()
        .values("enrollment_id")
        .annotate(n=Count("pk"), first=Min("contacted_on"), last=Max("contacted_on"))
    }
    rows = []
    for enrollment in enrollments:
        support = supports.get(enrollment.pk, {})
        rows.append(
            records.ChartClient(
                enrollment_id=enrollment.pk,
                client_id=enrollment.client_id,
                name=enrollment.client.full_name,
                record_number=enrollment.client.record_number,
                specialist=str(enrollment.specialist) if enrollment.specialist else "",
                referral_date=enrollment.referral_date,
                closed_on=enrollment.closed_on,
                first_employer_contact=enrollment.first_contact,
                jobs=tuple(jobs.get(enrollment.pk, ())),
                support_contacts=support.get("n", 0),
                first_support=support.get("first"),
                last_support=support.get("last"),
            )
        )
    return rows
