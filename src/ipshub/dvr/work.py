"""The DVR records that fulfil duties of the roles matrix (areakit/work.py), as implementation reads them.

`dvr.report_review` (R-IMP-DVR-03, R-ONG-DVR-03: "review reports submitted to DVR") is due only when asked:
each submission of a deliverable report is an `Ask` of the program's DVR office, dated when the provider
submitted it and due `rules.REVIEW_DAYS` later (the same date the counselor's reminder shows), answered by
the counselor's decision (accepted, or returned for corrections). A returned report submitted again is a new
ask. The decisions are also given as works, for the link a closed duty shows.

Two queries for any number of programs: the decisions, and the reports waiting for one.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ipshub.areakit.work import Ask, Work, WorkSource
from ipshub.dvr import rules
from ipshub.dvr.models import DeliverableReport, ReportReview
from ipshub.tenancy.roles import lazy_label as _


def _day(on: datetime.date) -> str:
    return f"{on:%b} {on.day}, {on.year}"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _page(authorization_id: int) -> str:
    return reverse("dvr:authorization_detail", kwargs={"authorization_id": authorization_id})


def review_asks(program_ids: list[int], since: datetime.date) -> list[Ask]:
    start = _start_of(since)
    found: list[Ask] = []
    # Each decision answers the submission before it (older decisions, recorded before the submission was
    # kept on them, count from the decision itself).
    for pk, report_id, authorization_id, program_id, decision, submitted_at, created_at, service in (
        ReportReview.objects.filter(report__authorization__program_id__in=program_ids)
        .filter(Q(submitted_at__gte=start) | Q(submitted_at__isnull=True, created_at__gte=start))
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "report_id",
            "report__authorization_id",
            "report__authorization__program_id",
            "decision",
            "submitted_at",
            "created_at",
            "report__authorization__service_name",
        )
    ):
        asked_on = timezone.localdate(submitted_at or created_at)
        on = timezone.localdate(created_at)
        what = "accepted" if decision == ReportReview.Decision.ACCEPT else "returned for corrections"
        answer = Work(
            program_id=program_id,
            kind="dvr_report_review",
            id=pk,
            url=_page(authorization_id),
            on=on,
            label=f"DVR report ({service}) {what}, {_day(on)}",
        )
        found.append(
            Ask(
                program_id=program_id,
                kind="dvr_report",
                id=report_id,
                url=_page(authorization_id),
                asked_on=asked_on,
                due_on=rules.review_due_on(asked_on),
                answer=answer,
            )
        )
    # The reports waiting for the counselor now.
    for report_id, authorization_id, program_id, submitted_at in DeliverableReport.objects.filter(
        authorization__program_id__in=program_ids,
        status=DeliverableReport.Status.SUBMITTED,
        submitted_at__gte=start,
    ).values_list("pk", "authorization_id", "authorization__program_id", "submitted_at"):
        asked_on = timezone.localdate(submitted_at)
        found.append(
            Ask(
                program_id=program_id,
                kind="dvr_report",
                id=report_id,
                url=_page(authorization_id),
                asked_on=asked_on,
                due_on=rules.review_due_on(asked_on),
            )
        )
    return found


def report_reviews(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """The counselors' decisions on reports submitted on or after `since`."""
    return [ask.answer for ask in review_asks(program_ids, since) if ask.answer is not None]


SOURCES = (
    WorkSource(
        key="dvr.report_review",
        describe=_("A DVR report the provider submitted, accepted or returned by the counselor"),
        missing="The counselor's decision on a submitted DVR report is no longer on record.",
        find=report_reviews,
        asks=review_asks,
    ),
)
