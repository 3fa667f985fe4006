"""The fidelity evidence inputs, read from the client records for one program and one period.

Contributed to fidelity through clients/hooks.py; fidelity scores them (fidelity/evidence.py) and the decisions
on how each item is measured are in fidelity/evidence_records.py and docs/fidelity.md.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Min, Q

from ipshub.areakit import records
from ipshub.clients.models import (
    BenefitsPlanning,
    CareerProfile,
    ClosureReason,
    EmployerContact,
    Enrollment,
    Job,
    JobChange,
    JobType,
    SupportContact,
)
from ipshub.tenancy.models import Program


def fidelity_inputs(program: Program, first_day: datetime.date, last_day: datetime.date) -> records.FidelityInputs:
    """Twelve queries: caseload, entries, contacts, specialists with a caseload in the period, jobs, supports;
    then (issue 26) job starts and ends, job changes, benefits planning, career profiles, closures and the
    support contacts' settings."""
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
        records.SpecialistCaseload(clients=n, fte=1.0, specialist_id=specialist_id)
        for specialist_id, n in sorted(caseload.items(), key=lambda kv: kv[0] or 0)
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
        records.EmployerContact(specialist_id, on, face_to_face, follows)
        for specialist_id, on, face_to_face, follows in EmployerContact.objects.filter(
            program=program, contacted_on__gte=first_day, contacted_on__lte=last_day
        )
        .order_by()
        .values_list("specialist_id", "contacted_on", "face_to_face", "follows_preferences")
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
    settings = (
        SupportContact.objects.filter(
            enrollment__program=program,
            contacted_on__gte=first_day,
            contacted_on__lte=last_day,
            kind=SupportContact.Kind.IN_PERSON,
        )
        .order_by()
        .aggregate(
            community=Count("id", filter=Q(setting=SupportContact.Setting.COMMUNITY)),
            office=Count("id", filter=Q(setting=SupportContact.Setting.OFFICE)),
        )
    )
    closures = [
        records.Closure(closed_on, reason == ClosureReason.DISENGAGED)
        for closed_on, reason in enrollments.filter(closed_on__gte=first_day, closed_on__lte=last_day)
        .order_by()
        .values_list("closed_on", "closure_reason")
        if closed_on is not None  # always, by the filter; for the type checker
    ]
    return records.FidelityInputs(
        caseloads,
        unassigned,
        entries,
        contacts,
        specialist_ids,
        jobs,
        job_starts,
        job_events=_job_events(program, first_day, last_day),
        closures=closures,
        support_in_community=settings["community"] or 0,
        support_in_office=settings["office"] or 0,
    )


def _job_events(program: Program, first_day: datetime.date, last_day: datetime.date) -> list[records.JobEvent]:
    """Four queries: the period's job starts and ends, its changes of hours or pay, and the benefits
    planning offers and career profile versions of the enrollments concerned."""
    in_period = Q(started_on__gte=first_day, started_on__lte=last_day) | Q(
        ended_on__gte=first_day, ended_on__lte=last_day
    )
    events: list[tuple[int, str, datetime.date]] = []
    for enrollment_id, started_on, ended_on in (
        Job.objects.filter(in_period, enrollment__program=program)
        .order_by()
        .values_list("enrollment_id", "started_on", "ended_on")
    ):
        if first_day <= started_on <= last_day:
            events.append((enrollment_id, "start", started_on))
        if ended_on is not None and first_day <= ended_on <= last_day:
            events.append((enrollment_id, "end", ended_on))
    events += [
        (enrollment_id, "change", changed_on)
        for enrollment_id, changed_on in JobChange.objects.filter(
            job__enrollment__program=program, changed_on__gte=first_day, changed_on__lte=last_day
        )
        .order_by()
        .values_list("job__enrollment_id", "changed_on")
    ]
    # Never an empty list: Django skips the query for one, and the page's query count must not vary.
    enrollment_ids = {e[0] for e in events} or {0}
    planning: dict[int, list[datetime.date]] = defaultdict(list)
    for enrollment_id, offered_on in (
        BenefitsPlanning.objects.filter(enrollment_id__in=enrollment_ids)
        .order_by()
        .values_list("enrollment_id", "offered_on")
    ):
        planning[enrollment_id].append(offered_on)
    profiles: dict[int, list[datetime.date]] = defaultdict(list)
    for enrollment_id, written_on in (
        CareerProfile.objects.filter(enrollment_id__in=enrollment_ids)
        .order_by()
        .values_list("enrollment_id", "written_on")
    ):
        profiles[enrollment_id].append(written_on)
    return [
        records.JobEvent(kind, on, tuple(sorted(planning[eid])), tuple(sorted(profiles[eid])))
        for eid, kind, on in sorted(events, key=lambda e: (e[2], e[1], e[0]))
    ]
