"""Client histories for the outcomes area, read in bulk from the client records.

`load_histories(program_ids, first_day, last_day)` is the `history_loader` clients contributes to outcomes
(clients/hooks.py). It runs five queries whatever the number of programs or clients: enrollments,
their closing and re-opening events, jobs, education, and each enrollment's first face-to-face employer
contact. Related rows are selected through the enrollment filter (a join), never with long id lists.

Decisions:
- An enrollment span starts at the referral date (IPS accepts every referral: zero exclusion) and ends at
  a closure; a re-opening starts a new span. The spans come from the enrollment's status events; an
  enrollment without such events is one span, referral … closed_on.
- A job's hours and wage are the job's current ones (later changes overwrite the start figures).
- Working at entry: a competitive job of the enrollment held on the referral date.
- Only enrollments that could touch the period are read: referred by its last day and not closed before
  its first day (a closed enrollment's spans all end by its closing date).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Min, Q

from ipshub.areakit.records import ClientHistory, JobSpan, Span
from ipshub.clients.models import Education, EmployerContact, Enrollment, EnrollmentEvent, Job, Status


def _period_q(prefix: str, program_ids: list[int], first_day: datetime.date, last_day: datetime.date) -> Q:
    return Q(**{f"{prefix}program_id__in": program_ids, f"{prefix}referral_date__lte": last_day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": first_day})
    )


def enrollment_spans(
    referral_date: datetime.date, closed_on: datetime.date | None, events: Iterable[tuple[str, str, datetime.date]]
) -> tuple[Span, ...]:
    """Spans from (from_value, to_value, on) status events in date order: a closure ends the open span, a
    re-opening starts a new one."""
    spans: list[Span] = []
    start: datetime.date | None = referral_date
    seen = False
    for from_value, to_value, on in events:
        if to_value == Status.CLOSED and start is not None:
            spans.append(Span(start, on))
            start, seen = None, True
        elif from_value == Status.CLOSED and start is None:
            start, seen = on, True
    if not seen:
        return (Span(referral_date, closed_on),)
    if start is not None:
        spans.append(Span(start, None))
    return tuple(spans)


def load_histories(
    program_ids: list[int], first_day: datetime.date, last_day: datetime.date
) -> Mapping[int, Iterable[ClientHistory]]:
    ids = list(program_ids)
    if not ids:
        return {}
    enrollments = list(
        Enrollment.objects.filter(_period_q("", ids, first_day, last_day))
        .order_by()
        .values_list("pk", "program_id", "client_id", "referral_date", "closed_on")
    )
    related = _period_q("enrollment__", ids, first_day, last_day)
    events: dict[int, list[tuple[str, str, datetime.date]]] = defaultdict(list)
    for enrollment_id, from_value, to_value, on in (
        EnrollmentEvent.objects.filter(related, kind=EnrollmentEvent.Kind.STATUS)
        .filter(Q(to_value=Status.CLOSED) | Q(from_value=Status.CLOSED))
        .order_by("enrollment_id", "on", "created_at", "pk")
        .values_list("enrollment_id", "from_value", "to_value", "on")
    ):
        events[enrollment_id].append((from_value, to_value, on))
    jobs: dict[int, list[JobSpan]] = defaultdict(list)
    for enrollment_id, started, ended, competitive, hours, wage in (
        Job.objects.filter(related)
        .order_by("enrollment_id", "started_on", "pk")
        .values_list("enrollment_id", "started_on", "ended_on", "is_competitive", "hours_per_week", "hourly_wage")
    ):
        jobs[enrollment_id].append(JobSpan(started, ended, competitive, hours, wage))
    education: dict[int, list[Span]] = defaultdict(list)
    for enrollment_id, started, ended in (
        Education.objects.filter(related).order_by().values_list("enrollment_id", "started_on", "ended_on")
    ):
        education[enrollment_id].append(Span(started, ended))
    first_contact = dict(
        EmployerContact.objects.filter(related, face_to_face=True, enrollment__isnull=False)
        .order_by()
        .values("enrollment_id")
        .annotate(first=Min("contacted_on"))
        .values_list("enrollment_id", "first")
    )
    result: dict[int, list[ClientHistory]] = {program_id: [] for program_id in ids}
    for enrollment_id, program_id, client_id, referral_date, closed_on in enrollments:
        held = jobs.get(enrollment_id, [])
        result[program_id].append(
            ClientHistory(
                client_id=client_id,
                enrollments=enrollment_spans(referral_date, closed_on, events.get(enrollment_id, ())),
                jobs=tuple(held),
                education=tuple(education.get(enrollment_id, ())),
                referral_date=referral_date,
                first_employer_contact=first_contact.get(enrollment_id),
                working_at_entry=any(j.competitive and j.overlaps(referral_date, referral_date) for j in held),
            )
        )
    return result
