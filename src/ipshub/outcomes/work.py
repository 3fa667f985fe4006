"""The outcome records that fulfil duties of the roles matrix (areakit/work.py), as implementation reads them.

- `outcomes.goals`: the program has outcome goals (R-IMP-MH-05): the earliest goal, dated when it was set;
- `outcomes.goals_updated`: a goal set or changed (R-ONG-MH-03, R-ONG-EP-06, yearly): the first of each month;
- `outcomes.report_submitted`: a quarter's report submitted (R-IMP-EP-03, R-ONG-EP-03, R-ONG-EP-07): one per
  program and quarter, covering the quarter it reports, dated when it was first submitted. A report waiting
  for review or accepted counts; one returned for changes counts again once resubmitted. A correction of an
  accepted report does not undo the submission (the accepted version stays on record);
- `outcomes.report_reviewed`: the state team accepted or returned a quarter's report (R-ONG-ST-02). A report
  resubmitted after a return waits for a new decision, so it no longer counts until then (unless an earlier
  version of that quarter was accepted).

Each is one query for any number of programs; a program has a handful of goals and reports a year.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ipshub.areakit.work import Ask, Work, WorkSource
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import Goal, GoalMetric, QuarterlyReport, Status
from ipshub.tenancy.roles import lazy_label as _

REPORTED = (Status.SUBMITTED, Status.ACCEPTED)


def _day(on: datetime.date) -> str:
    return f"{on:%b} {on.day}, {on.year}"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _goal_label(what: str, metric: str, year: int, quarter: int, on: datetime.date) -> str:
    period = f"{year}" if not quarter else f"{year} Q{quarter}"
    return f"{what}: {GoalMetric(metric).label} for {period}, {_day(on)}"


def goals(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """Each program's earliest goal still on record, dated when it was set."""
    earliest: dict[int, tuple[datetime.datetime, int, str, int, int]] = {}
    for program_id, pk, created_at, metric, year, quarter in Goal.objects.filter(
        program_id__in=program_ids, created_at__gte=_start_of(since)
    ).values_list("program_id", "pk", "created_at", "metric", "year", "quarter"):
        if program_id not in earliest or (created_at, pk) < earliest[program_id][:2]:
            earliest[program_id] = (created_at, pk, metric, year, quarter)
    for program_id, (created_at, pk, metric, year, quarter) in sorted(earliest.items()):
        on = timezone.localdate(created_at)
        yield Work(
            program_id=program_id,
            kind="outcome_goal",
            id=pk,
            url=reverse("outcomes:goals", kwargs={"program_id": program_id}),
            on=on,
            label=_goal_label("Outcome goal set", metric, year, quarter, on),
        )


def goals_updated(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """Each program's first goal set or changed in each month."""
    start = _start_of(since)
    first: dict[tuple[int, datetime.date], tuple[datetime.date, int, str, str, int, int]] = {}
    for program_id, pk, created_at, updated_at, metric, year, quarter in (
        Goal.objects.filter(program_id__in=program_ids)
        .filter(Q(created_at__gte=start) | Q(updated_at__gte=start))
        .values_list("program_id", "pk", "created_at", "updated_at", "metric", "year", "quarter")
    ):
        for moment, what in ((created_at, "Outcome goal set"), (updated_at, "Outcome goal updated")):
            on = timezone.localdate(moment)
            if on < since:
                continue
            month = (program_id, on.replace(day=1))
            if month not in first or (on, pk) < first[month][:2]:
                first[month] = (on, pk, what, metric, year, quarter)
    for (program_id, _month), (on, pk, what, metric, year, quarter) in sorted(first.items()):
        yield Work(
            program_id=program_id,
            kind="outcome_goal",
            id=pk,
            url=reverse("outcomes:goals", kwargs={"program_id": program_id}),
            on=on,
            label=_goal_label(what, metric, year, quarter, on),
        )


def _quarters_from(since: datetime.date) -> Q:
    """The reports of quarters that end on or after `since`."""
    first = Quarter.containing(since)
    return Q(year__gt=first.year) | Q(year=first.year, quarter__gte=first.quarter)


def _report_work(
    program_id: int, pk: int, year: int, quarter: int, on: datetime.date, what: str
) -> tuple[tuple[int, int, int], Work]:
    q = Quarter(year, quarter)
    return (program_id, year, quarter), Work(
        program_id=program_id,
        kind="outcome_report",
        id=pk,
        url=reverse("outcomes:report_detail", kwargs={"report_id": pk}),
        on=on,
        label=f"{q} outcome report, {what} {_day(on)}",
        covers=q.first_day,
    )


def _earliest(found: dict[tuple[int, int, int], Work], key: tuple[int, int, int], work: Work) -> None:
    if key not in found or (work.on, work.id) < (found[key].on, found[key].id):
        found[key] = work


def reports_submitted(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """Each program's report of each quarter submitted (waiting for review or accepted, in any version)."""
    found: dict[tuple[int, int, int], Work] = {}
    for program_id, pk, year, quarter, submitted_at, updated_at in (
        QuarterlyReport.objects.filter(program_id__in=program_ids, status__in=REPORTED)
        .filter(_quarters_from(since))
        .values_list("program_id", "pk", "year", "quarter", "submitted_at", "updated_at")
    ):
        on = timezone.localdate(submitted_at or updated_at)
        key, work = _report_work(program_id, pk, year, quarter, on, "submitted")
        _earliest(found, key, work)
    return sorted(found.values(), key=lambda w: (w.program_id, w.covers or w.on))


def reports_reviewed(program_ids: list[int], since: datetime.date) -> Iterable[Work]:
    """Each program's report of each quarter accepted (any version) or returned (the current version, not
    resubmitted since), dated by the state team's decision."""
    found: dict[tuple[int, int, int], Work] = {}
    decided = Q(status=Status.ACCEPTED) | Q(status=Status.RETURNED, is_current=True)
    for program_id, pk, year, quarter, status, reviewed_at, updated_at in (
        QuarterlyReport.objects.filter(program_id__in=program_ids)
        .filter(decided & _quarters_from(since))
        .values_list("program_id", "pk", "year", "quarter", "status", "reviewed_at", "updated_at")
    ):
        on = timezone.localdate(reviewed_at or updated_at)
        what = "accepted" if status == Status.ACCEPTED else "returned for changes"
        key, work = _report_work(program_id, pk, year, quarter, on, what)
        _earliest(found, key, work)
    return sorted(found.values(), key=lambda w: (w.program_id, w.covers or w.on))


# The state team decides on a submitted report within this many days (R-ONG-ST-02, due when asked).
REVIEW_DAYS = 30


def reviews_asked(program_ids: list[int], since: datetime.date) -> Iterable[Ask]:
    """Each report version submitted on or after `since` asks the state team for a decision, answered by an
    acceptance or a return after the submission. A version replaced before any decision (a correction, a
    resubmission) asks nothing more: the newer version asks instead."""
    for program_id, pk, year, quarter, status, is_current, submitted_at, reviewed_at in QuarterlyReport.objects.filter(
        program_id__in=program_ids, submitted_at__gte=_start_of(since)
    ).values_list("program_id", "pk", "year", "quarter", "status", "is_current", "submitted_at", "reviewed_at"):
        if submitted_at is None:
            continue  # (filtered out above; for the type checker)
        decided = status in (Status.ACCEPTED, Status.RETURNED) and reviewed_at is not None
        if not decided and not (is_current and status == Status.SUBMITTED):
            continue
        asked_on = timezone.localdate(submitted_at)
        answer = None
        if reviewed_at is not None and decided and reviewed_at >= submitted_at:
            what = "accepted" if status == Status.ACCEPTED else "returned for changes"
            answer = _report_work(program_id, pk, year, quarter, timezone.localdate(reviewed_at), what)[1]
        yield Ask(
            program_id=program_id,
            kind="outcome_report",
            id=pk,
            url=reverse("outcomes:report_detail", kwargs={"report_id": pk}),
            asked_on=asked_on,
            due_on=asked_on + datetime.timedelta(days=REVIEW_DAYS),
            answer=answer,
        )


SOURCES = (
    WorkSource(
        key="outcomes.goals",
        describe=_("The program's outcome goals set"),
        missing="The program's outcome goals were removed.",
        find=goals,
    ),
    WorkSource(
        key="outcomes.goals_updated",
        describe=_("An outcome goal set or updated"),
        missing="The goals set or updated in this period were removed.",
        find=goals_updated,
    ),
    WorkSource(
        key="outcomes.report_submitted",
        describe=_("A quarter's outcome report submitted"),
        missing="The quarter's report was returned for changes and has not been resubmitted.",
        find=reports_submitted,
    ),
    WorkSource(
        key="outcomes.report_reviewed",
        describe=_("A quarter's outcome report accepted or returned by the state team"),
        missing="The quarter's report was resubmitted and waits for the state team's decision.",
        find=reports_reviewed,
        asks=reviews_asked,
    ),
)
