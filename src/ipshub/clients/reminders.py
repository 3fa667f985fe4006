"""What comes due on a specialist's caseload (fidelity items 12 and 23, and the job-ending rule):

- help toward the next job within 3 days of a job ending;
- benefits planning before a job start (an open enrollment with no current job and no planning in a year);
- benefits planning again after a change of hours or pay.

Titles carry no client names (reminders go to e-mail digests and calendar feeds); the link opens the record.
"""

import datetime
from typing import Any

from django.db.models import Exists, Max, OuterRef, Subquery

from ipshub.clients import access
from ipshub.clients.models import BenefitsPlanning, Job, JobChange, Status
from ipshub.clients.sections import record_url
from ipshub.lib.due import DueItem
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

NEXT_JOB_DAYS = 3
BENEFITS_BEFORE_START_DAYS = 30
PLAN_VALID_DAYS = 365  # a benefits plan counts for a year


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    if Role.EMPLOYMENT_SPECIALIST not in tenancy.roles_of(person):
        return []  # only an employment specialist has a caseload of their own (clients/services.enrollment_assign)
    mine = access.enrollments_visible_to(person).filter(specialist=person).exclude(status=Status.CLOSED)
    items: list[DueItem] = []
    for job in Job.objects.filter(
        enrollment__in=mine,
        ended_on__isnull=False,
        next_job_help_offered_on__isnull=True,
        ended_on__gte=today - datetime.timedelta(days=90),
    ).select_related("enrollment__program"):
        assert job.ended_on is not None
        items.append(
            DueItem(
                kind="client_next_job",
                key=f"client_next_job:{job.pk}",
                title=f"Offer help toward the next job (client record {job.enrollment_id})",
                due_on=job.ended_on + datetime.timedelta(days=NEXT_JOB_DAYS),
                url=record_url(job.enrollment_id, "jobs"),
                program_name=job.enrollment.program.name,
            )
        )
    year_ago = today - datetime.timedelta(days=365)
    recent_plan = BenefitsPlanning.objects.filter(enrollment=OuterRef("pk"), offered_on__gte=year_ago)
    last_plan = BenefitsPlanning.objects.filter(enrollment=OuterRef("pk")).order_by("-offered_on")
    working = Job.objects.filter(enrollment=OuterRef("pk"), ended_on__isnull=True)
    for enrollment in (
        mine.annotate(
            planned=Exists(recent_plan), working=Exists(working), last_plan=Subquery(last_plan.values("offered_on")[:1])
        )
        .filter(planned=False, working=False)
        .select_related("program")
    ):
        since = enrollment.first_meeting_on or enrollment.accepted_on or enrollment.referral_date
        due_on = since + datetime.timedelta(days=BENEFITS_BEFORE_START_DAYS)
        if enrollment.last_plan is not None:
            # Planned before, more than a year ago: due again since that plan's year ended, not since the start.
            due_on = max(due_on, enrollment.last_plan + datetime.timedelta(days=PLAN_VALID_DAYS))
        items.append(
            DueItem(
                kind="client_benefits",
                key=f"client_benefits:{enrollment.pk}",
                title=f"Offer benefits planning before a job start (client record {enrollment.pk})",
                due_on=due_on,
                url=record_url(enrollment.pk, "benefits"),
                program_name=enrollment.program.name,
            )
        )
    changes = (
        JobChange.objects.filter(job__enrollment__in=mine, job__ended_on__isnull=True)
        .annotate(last_plan=Max("job__enrollment__benefits_plans__offered_on"))
        .select_related("job__enrollment__program")
    )
    latest: dict[int, Any] = {}
    for change in changes:
        seen = latest.get(change.job.enrollment_id)
        if seen is None or change.changed_on > seen.changed_on:
            latest[change.job.enrollment_id] = change
    for enrollment_id, change in latest.items():
        last = getattr(change, "last_plan", None)
        if last is not None and last >= change.changed_on:
            continue
        items.append(
            DueItem(
                kind="client_benefits",
                key=f"client_benefits_change:{change.pk}",
                title=f"Hours or pay changed: offer benefits planning (client record {enrollment_id})",
                due_on=change.changed_on + datetime.timedelta(days=14),
                url=record_url(enrollment_id, "benefits"),
                program_name=change.job.enrollment.program.name,
            )
        )
    return items
