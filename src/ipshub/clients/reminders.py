"""What comes due on a specialist's caseload (fidelity items 12 and 23, and the job-ending rule):

- help toward the next job within 3 days of a job ending;
- benefits planning before a job start (an open enrollment with no current job and no planning in a year);
- benefits planning again after a change of hours or pay.

Titles carry no client names (reminders go to e-mail digests and calendar feeds); the link opens the record.
"""

import datetime

from django.utils.translation import gettext as _

from ipshub.clients import my_caseload
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
    # Plain rows read once for the page (my_caseload, shared with the home page's caseload panel): a model
    # object per client cost more than the queries.
    clients = my_caseload.open_clients(person)
    items: list[DueItem] = []
    for job in my_caseload.ended_jobs(person, clients, today):
        items.append(
            DueItem(
                kind="client_next_job",
                key=f"client_next_job:{job.job_id}",
                title=_("Offer help toward the next job (client record %(record)s)") % {"record": job.enrollment_id},
                due_on=job.ended_on + datetime.timedelta(days=NEXT_JOB_DAYS),
                url=record_url(job.enrollment_id, "jobs"),
                program_name=job.program_name,
            )
        )
    year_ago = today - datetime.timedelta(days=PLAN_VALID_DAYS)
    for client in clients:
        if client.working or (client.last_plan_on is not None and client.last_plan_on >= year_ago):
            continue
        due_on = client.started_on + datetime.timedelta(days=BENEFITS_BEFORE_START_DAYS)
        if client.last_plan_on is not None:
            # Planned before, more than a year ago: due again since that plan's year ended, not since the start.
            due_on = max(due_on, client.last_plan_on + datetime.timedelta(days=PLAN_VALID_DAYS))
        items.append(
            DueItem(
                kind="client_benefits",
                key=f"client_benefits:{client.enrollment_id}",
                title=_("Offer benefits planning before a job start (client record %(record)s)")
                % {"record": client.enrollment_id},
                due_on=due_on,
                url=record_url(client.enrollment_id, "benefits"),
                program_name=client.program_name,
            )
        )
    # The latest change of hours or pay of each current job's client, against the client's last benefits plan.
    open_by_id = {c.enrollment_id: c for c in clients}
    for enrollment_id, (change_id, changed_on) in my_caseload.pay_changes(person, clients).items():
        client = open_by_id[enrollment_id]
        if client.last_plan_on is not None and client.last_plan_on >= changed_on:
            continue
        items.append(
            DueItem(
                kind="client_benefits",
                key=f"client_benefits_change:{change_id}",
                title=_("Hours or pay changed: offer benefits planning (client record %(record)s)")
                % {"record": enrollment_id},
                due_on=changed_on + datetime.timedelta(days=14),
                url=record_url(enrollment_id, "benefits"),
                program_name=client.program_name,
            )
        )
    return items
