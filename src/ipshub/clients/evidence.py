"""The fidelity evidence inputs, read from the client records for one program and one period.

Contributed to fidelity through clients/hooks.py; fidelity scores them (fidelity/evidence.py) and the decisions
on how each item is measured are in fidelity/evidence_records.py and docs/fidelity.md.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Min, Q

from ipshub.areakit import records
from ipshub.clients.models import EmployerContact, Enrollment, Job, JobType, SupportContact
from ipshub.tenancy.models import Program


def fidelity_inputs(program: Program, first_day: datetime.date, last_day: datetime.date) -> records.FidelityInputs:
    """Six queries: caseload, entries, contacts, specialists with a caseload in the period, jobs, supports."""
    enrollments = Enrollment.objects.filter(program=program)
    on_last_day = enrollments.filter(referral_date__lte=last_day).filter(
        (Q(closed_on__isnull=True) | Q(closed_on__gt=last_day))
        & (Q(reopened_on__isnull=True) | Q(reopened_on__lte=last_day))
    )
    caseload: dict[int | None, int] = {
        row["specialist_id"]: row["n"] for row in on_last_day.order_by().values("specialist_id").annotate(n=Count("id"))
    }
    unassigned = caseload.pop(None, 0)
    caseloads = [
        records.SpecialistCaseload(clients=n, fte=1.0) for _, n in sorted(caseload.items(), key=lambda kv: kv[0] or 0)
    ]

    entries = [
        records.EntryToEmployerContact(referral, first)
        for referral, first in enrollments.filter(referral_date__gte=first_day, referral_date__lte=last_day)
        .order_by()
        .annotate(
            first=Min(
                "employer_contacts__contacted_on",
                filter=Q(
                    employer_contacts__face_to_face=True,
                    employer_contacts__contacted_on__gte=F("referral_date"),
                    employer_contacts__contacted_on__lte=last_day,
                ),
            )
        )
        .values_list("referral_date", "first")
    ]

    contacts = [
        records.EmployerContact(specialist_id, on, face_to_face)
        for specialist_id, on, face_to_face in EmployerContact.objects.filter(
            program=program, contacted_on__gte=first_day, contacted_on__lte=last_day
        )
        .order_by()
        .values_list("specialist_id", "contacted_on", "face_to_face")
    ]
    with_caseload = set(
        enrollments.filter(specialist__isnull=False, referral_date__lte=last_day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first_day) | Q(reopened_on__isnull=False))
        .order_by()
        .values_list("specialist_id", flat=True)
        .distinct()
    )
    specialist_ids = {sid for sid in with_caseload if sid is not None} | {c.specialist_id for c in contacts}

    type_labels = dict(JobType.choices)
    started = Job.objects.filter(enrollment__program=program, started_on__gte=first_day, started_on__lte=last_day)
    job_rows = list(
        started.order_by("started_on", "pk").values_list(
            "enrollment_id", "job_type", "employer__name", "is_competitive", "started_on", "ended_on"
        )
    )
    jobs = [records.Job(str(type_labels.get(t, t)), name, competitive) for _, t, name, competitive, _, _ in job_rows]

    support: dict[int, list[datetime.date]] = defaultdict(list)
    for enrollment_id, on in (
        SupportContact.objects.filter(
            enrollment__in=started.values("enrollment_id"),
            contacted_on__gte=first_day - datetime.timedelta(days=7),
            contacted_on__lte=last_day,
        )
        .order_by()
        .values_list("enrollment_id", "contacted_on")
    ):
        support[enrollment_id].append(on)
    job_starts = [
        records.JobStartSupport(start, end, tuple(sorted(support.get(enrollment_id, ()))))
        for enrollment_id, _, _, _, start, end in job_rows
    ]
    return records.FidelityInputs(caseloads, unassigned, entries, contacts, specialist_ids, jobs, job_starts)
