"""The client records that fulfil duties of the roles matrix (areakit/work.py), as implementation reads them.

Three sources, each a fixed number of queries for any number of programs, and small answers: the recurring
duties they serve are per month or per quarter, so each gives one record per program per month (the first
of the month); a quarter is fulfilled by any of its months.

- `client.career_profile`: a version of a client's career profile written (R-IMP-EP-01, R-ONG-EP-01);
- `client.employer_contact`: an employer contact logged (R-IMP-EP-02, R-ONG-EP-02);
- `client.dvr_case`: a client's DVR case opened (the application) or its eligibility decided
  (R-IMP-DVR-01, R-ONG-DVR-01).

Labels never name a client: the state team sees assignments, not client records; the link goes to the
record's page, which checks the person's access.
"""

import datetime
from collections.abc import Iterable

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.urls import reverse

from ipshub.areakit.work import Work, WorkSource
from ipshub.clients.models import CareerProfile, DvrCase, EmployerContact
from ipshub.clients.sections import record_url


def _day(on: datetime.date) -> str:
    return f"{on:%b} {on.day}, {on.year}"


def _record_page(enrollment_id: int, anchor: str) -> str:
    return record_url(enrollment_id, anchor)  # the record's section that shows it


def career_profiles(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """The first career profile version written each month in each program (one query)."""
    first_of_month = Window(
        RowNumber(),
        partition_by=[F("enrollment__program_id"), TruncMonth("written_on")],
        order_by=[F("written_on").asc(), F("pk").asc()],
    )
    rows = (
        CareerProfile.objects.filter(enrollment__program_id__in=program_ids, written_on__gte=since)
        .annotate(rank=first_of_month)
        .filter(rank=1)
        .values_list("enrollment__program_id", "pk", "enrollment_id", "version", "written_on")
    )
    for program_id, pk, enrollment_id, version, written_on in rows:
        what = "Career profile completed" if version == 1 else f"Career profile updated (version {version})"
        yield Work(
            program_id=program_id,
            kind="career_profile",
            id=pk,
            url=_record_page(enrollment_id, "profile"),
            on=written_on,
            label=f"{what}, {_day(written_on)}",
        )


def employer_contacts(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """The first employer contact logged each month in each program (one query)."""
    first_of_month = Window(
        RowNumber(),
        partition_by=[F("program_id"), TruncMonth("contacted_on")],
        order_by=[F("contacted_on").asc(), F("pk").asc()],
    )
    rows = (
        EmployerContact.objects.filter(program_id__in=program_ids, contacted_on__gte=since)
        .annotate(rank=first_of_month)
        .filter(rank=1)
        .values_list("program_id", "pk", "employer_id", "employer__name", "contacted_on")
    )
    for program_id, pk, employer_id, employer_name, contacted_on in rows:
        yield Work(
            program_id=program_id,
            kind="employer_contact",
            id=pk,
            url=reverse("clients:employer_detail", kwargs={"employer_id": employer_id}),
            on=contacted_on,
            label=f"Employer contact with {employer_name}, {_day(contacted_on)}",
        )


def dvr_cases(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """Each program's first DVR case step of each month: an application taken or an eligibility decided
    (one query; DVR cases are few, so they are bucketed here rather than in SQL)."""
    decided = ~Q(eligibility=DvrCase.Eligibility.PENDING) & Q(eligibility_on__isnull=False)
    rows = (
        DvrCase.objects.filter(enrollment__program_id__in=program_ids)
        .filter(Q(applied_on__gte=since) | (decided & Q(eligibility_on__gte=since)))
        .values_list("enrollment__program_id", "pk", "enrollment_id", "applied_on", "eligibility", "eligibility_on")
    )
    first: dict[tuple[int, datetime.date], tuple[datetime.date, int, int, str]] = {}
    for program_id, pk, enrollment_id, applied_on, eligibility, eligibility_on in rows:
        steps: list[tuple[datetime.date, str]] = []
        if applied_on is not None and applied_on >= since:
            steps.append((applied_on, "DVR case opened (application)"))
        if eligibility != DvrCase.Eligibility.PENDING and eligibility_on is not None and eligibility_on >= since:
            decision = DvrCase.Eligibility(eligibility).label.lower()
            steps.append((eligibility_on, f"DVR eligibility decided ({decision})"))
        for on, what in steps:
            month = (program_id, on.replace(day=1))
            if month not in first or (on, pk) < first[month][:2]:
                first[month] = (on, pk, enrollment_id, what)
    for (program_id, _), (on, pk, enrollment_id, what) in sorted(first.items()):
        yield Work(
            program_id=program_id,
            kind="dvr_case",
            id=pk,
            url=_record_page(enrollment_id, "dvr"),
            on=on,
            label=f"{what}, {_day(on)}",
        )


SOURCES = (
    WorkSource(
        key="client.career_profile",
        describe="A client's career profile completed or updated",
        missing="The career profile written in this period is no longer on record.",
        find=career_profiles,
    ),
    WorkSource(
        key="client.employer_contact",
        describe="Employer contacts logged",
        missing="The employer contacts logged in this period are no longer on record.",
        find=employer_contacts,
    ),
    WorkSource(
        key="client.dvr_case",
        describe="A client's DVR case opened or its eligibility decided",
        missing="No DVR case is now opened or decided in this period: its dates were changed or cleared.",
        find=dvr_cases,
    ),
)
