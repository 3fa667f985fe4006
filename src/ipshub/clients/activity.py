"""Each program's job-development activity per quarter, for outcomes' peer percentiles and early warning.

Contributed as the `program_activity` hook (areakit/hooks.py): outcomes compares programs and predicts
their next quarter from it without importing this area. Four queries for any number of programs and
quarters; the per-quarter caseload snapshot is counted in Python from one row per enrollment.
"""

import datetime
from collections import defaultdict
from typing import TypeVar

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from ipshub.areakit.records import QuarterActivity
from ipshub.clients.models import EmployerContact, Enrollment

Key = tuple[int, int, int]  # program id, year, quarter


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_ends(first_day: datetime.date, last_day: datetime.date) -> list[tuple[int, int, datetime.date]]:
    year, quarter = _quarter_of(first_day)
    ends = []
    while True:
        next_first = datetime.date(year + (quarter == 4), quarter % 4 * 3 + 1, 1)
        end = next_first - datetime.timedelta(days=1)
        ends.append((year, quarter, min(end, last_day)))
        if end >= last_day:
            return ends
        year, quarter = next_first.year, quarter % 4 + 1


M = TypeVar("M", EmployerContact, Enrollment)


def _scoped(rows: QuerySet[M], program_ids: list[int] | None) -> QuerySet[M]:
    return rows if program_ids is None else rows.filter(program_id__in=program_ids)


def program_activity(
    program_ids: list[int] | None, first_day: datetime.date, last_day: datetime.date
) -> list[QuarterActivity]:
    contacts = _scoped(EmployerContact.objects.all(), program_ids).filter(
        contacted_on__range=(first_day, last_day), face_to_face=True
    )
    by_quarter = contacts.annotate(y=ExtractYear("contacted_on"), m=ExtractMonth("contacted_on")).values_list(
        "program_id", "y", "m"
    )
    counts: dict[Key, int] = defaultdict(int)
    for program_id, year, month, n in by_quarter.annotate(n=Count("id")).order_by():
        counts[(program_id, year, (month - 1) // 3 + 1)] += n
    specialists: dict[Key, set[int]] = defaultdict(set)
    for program_id, year, month, specialist_id in (
        by_quarter.values_list("program_id", "y", "m", "specialist_id").distinct().order_by()
    ):
        specialists[(program_id, year, (month - 1) // 3 + 1)].add(specialist_id)

    ends = _quarter_ends(first_day, last_day)
    caseload: dict[Key, int] = defaultdict(int)
    open_rows = _scoped(Enrollment.objects.all(), program_ids).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=first_day), referral_date__lte=last_day, specialist__isnull=False
    )
    for program_id, specialist_id, referred, closed in open_rows.values_list(
        "program_id", "specialist_id", "referral_date", "closed_on"
    ).order_by():
        for year, quarter, end in ends:
            if referred <= end and (closed is None or closed > end):
                caseload[(program_id, year, quarter)] += 1
                specialists[(program_id, year, quarter)].add(specialist_id)

    new_clients: dict[Key, int] = defaultdict(int)
    with_contact: dict[Key, int] = defaultdict(int)
    days: dict[Key, int] = defaultdict(int)
    entries = _scoped(Enrollment.objects.all(), program_ids).filter(referral_date__range=(first_day, last_day))
    first_contacts = entries.annotate(
        first=Min("employer_contacts__contacted_on", filter=Q(employer_contacts__face_to_face=True))
    )
    for program_id, referred, first in first_contacts.values_list("program_id", "referral_date", "first").order_by():
        key = (program_id, *_quarter_of(referred))
        new_clients[key] += 1
        if first is not None and first >= referred:
            with_contact[key] += 1
            days[key] += (first - referred).days

    keys = set(counts) | set(specialists) | set(new_clients)
    return [
        QuarterActivity(
            program_id=key[0],
            year=key[1],
            quarter=key[2],
            employer_contacts=counts[key],
            specialists=len(specialists[key]),
            caseload=caseload[key],
            new_clients=new_clients[key],
            with_first_contact=with_contact[key],
            days_to_first_contact=days[key],
        )
        for key in sorted(keys)
    ]
