"""The fidelity records that fulfil the roles matrix (areakit/work.py), and each review as the period its
fidelity-phase duties are due in (`review_periods`).

A review's period opens the day it was scheduled (created) and lasts until the next review's opens.
Delivering a report schedules the next review the same day; that review's period opens the day after, so no
two reviews share a day and the report belongs to the review it reports on.

The engine matches a review's duties to the work by date, so every work of a review here falls in that
review's own window: `on` is when it happened (shown with the link), and `covers`, when `on` lies outside
the window, is the nearest day inside it. Work that only counts after the report (the action plan, the
steering committee's review of it) is placed from the report's day on.

Cancelled reviews are left out: cancelling one undoes its work, and its duties are superseded.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from ipshub.areakit.work import ReviewPeriod, Work, WorkSource
from ipshub.fidelity.models import ActionItem, AgendaSlot, Review, ReviewInvitee
from ipshub.tenancy.roles import lazy_label as _

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class _Review:
    pk: int
    program_id: int
    kind: str
    status: str
    scheduled_on: datetime.date  # when it was created
    start: datetime.date  # when its period opens (the day after the previous review's report at the earliest)
    visit_day_1: datetime.date | None
    due_on: datetime.date
    report_on: datetime.date | None
    consensus_on: datetime.date | None
    next_start: datetime.date | None

    @property
    def visit_on(self) -> datetime.date:
        return self.visit_day_1 or self.due_on

    @property
    def label(self) -> str:
        kind = Review.Kind(self.kind).label
        if self.visit_day_1 is not None:
            return f"{kind} fidelity review, visit {_day(self.visit_day_1)}"
        return f"{kind} fidelity review, due {_day(self.due_on)}"

    @property
    def url(self) -> str:
        return reverse("fidelity:review_detail", kwargs={"review_id": self.pk})

    def covers(self, day: datetime.date, after_report: bool = False) -> datetime.date | None:
        """The day inside this review's window nearest to `day` (None when `day` is inside already).

        The window is [start, next review's start): its last day is the day before, unless the work counts
        only after the report, whose window the engine ends on the next review's start."""
        first = self.start
        last = self.next_start - ONE_DAY if self.next_start is not None else None
        if after_report and self.report_on is not None:
            first = max(first, self.report_on)
            last = self.next_start
        if last is not None and last < first:
            last = first
        placed = max(day, first)
        if last is not None:
            placed = min(placed, last)
        return None if placed == day else placed


def _day(on: datetime.date) -> str:
    return f"{on:%b} {on.day}, {on.year}"


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _reviews(program_ids: list[int]) -> dict[int, list[_Review]]:
    """Each program's reviews that were not cancelled, in the order they were scheduled (one query)."""
    by_program: dict[int, list[Review]] = {}
    for review in (
        Review.objects.filter(program_id__in=program_ids)
        .exclude(status=Review.Status.CANCELLED)
        .only(
            "program_id",
            "kind",
            "status",
            "created_at",
            "visit_day_1",
            "due_on",
            "report_date",
            "consensus_completed_at",
        )
    ):
        by_program.setdefault(review.program_id, []).append(review)
    found: dict[int, list[_Review]] = {}
    for program_id, reviews in by_program.items():
        reviews.sort(key=lambda r: (timezone.localdate(r.created_at), r.pk))
        starts: list[datetime.date] = []
        for n, r in enumerate(reviews):
            start = timezone.localdate(r.created_at)
            if n:
                # Each review's period opens after the previous one's: delivering a report schedules the
                # next review the same day, and that day's work (the report) belongs to the earlier review.
                before = reviews[n - 1]
                start = max(start, starts[-1] + ONE_DAY)
                if before.status == Review.Status.DELIVERED and before.report_date is not None:
                    start = max(start, before.report_date + ONE_DAY)
            starts.append(start)
        found[program_id] = [
            _Review(
                pk=r.pk,
                program_id=program_id,
                kind=r.kind,
                status=r.status,
                scheduled_on=timezone.localdate(r.created_at),
                start=starts[n],
                visit_day_1=r.visit_day_1,
                due_on=r.due_on,
                report_on=r.report_date if r.status == Review.Status.DELIVERED else None,
                consensus_on=_local(r.consensus_completed_at),
                next_start=starts[n + 1] if n + 1 < len(reviews) else None,
            )
            for n, r in enumerate(reviews)
        ]
    return found


def review_periods(program_ids: list[int]) -> Mapping[int, list[ReviewPeriod]]:
    """The hook (areakit.work.ReviewPeriods): each review that was not cancelled, in date order."""
    return {
        program_id: [
            ReviewPeriod(
                program_id=program_id,
                key=f"review:{r.pk}",
                label=r.label,
                start=r.start,
                visit_on=r.visit_on,
                report_on=r.report_on,
                end=r.next_start,
            )
            for r in reviews
        ]
        for program_id, reviews in _reviews(program_ids).items()
    }


def _work(
    review: _Review,
    *,
    kind: str,
    pk: int,
    on: datetime.date,
    label: str,
    url: str = "",
    after_report: bool = False,
) -> Work:
    return Work(
        program_id=review.program_id,
        kind=kind,
        id=pk,
        url=url or review.url,
        on=on,
        label=label,
        covers=review.covers(on, after_report),
    )


def _recent(works: list[Work], since: datetime.date) -> list[Work]:
    return [w for w in works if (w.covers or w.on) >= since]


def _all_reviews(program_ids: list[int]) -> list[_Review]:
    return [r for reviews in _reviews(program_ids).values() for r in reviews]


# --- The sources ----------------------------------------------------------------------------------------


def scheduled(program_ids: list[int], since: datetime.date) -> list[Work]:
    works = [
        _work(r, kind="fidelity_review", pk=r.pk, on=r.scheduled_on, label=f"{r.label} (scheduled)")
        for r in _all_reviews(program_ids)
    ]
    return _recent(works, since)


def completed(program_ids: list[int], since: datetime.date) -> list[Work]:
    works = [
        _work(r, kind="fidelity_review", pk=r.pk, on=r.consensus_on, label=f"{r.label}: consensus reached")
        for r in _all_reviews(program_ids)
        if r.consensus_on is not None
    ]
    return _recent(works, since)


def delivered(program_ids: list[int], since: datetime.date) -> list[Work]:
    """The report delivered. Delivering sends it to every partner organization of the program at once
    (services.report_deliver), so the review's status says it reached them all."""
    works = [
        _work(
            r,
            kind="fidelity_report",
            pk=r.pk,
            on=r.report_on,
            label=f"{r.label}: report delivered",
            url=reverse("fidelity:review_report", kwargs={"review_id": r.pk}),
        )
        for r in _all_reviews(program_ids)
        if r.report_on is not None
    ]
    return _recent(works, since)


def _agenda(activity: str, what: str) -> Callable[[list[int], datetime.date], list[Work]]:
    """A slot of this activity on the visit's agenda, once the visit's first day has come."""

    def find(program_ids: list[int], since: datetime.date) -> list[Work]:
        reviews = {r.pk: r for r in _all_reviews(program_ids)}
        today = timezone.localdate()
        slots = dict(
            AgendaSlot.objects.filter(review_id__in=list(reviews), activity=activity)
            .order_by()
            .values("review_id")
            .annotate(first=Min("pk"))
            .values_list("review_id", "first")
        )
        works = []
        for review_id, slot_id in slots.items():
            r = reviews[review_id]
            if r.visit_day_1 is None or r.visit_day_1 > today:
                continue
            works.append(
                _work(r, kind="agenda_slot", pk=slot_id, on=r.visit_day_1, label=f"{what} at the {r.label.lower()}")
            )
        return _recent(works, since)

    return find


def invitees(program_ids: list[int], since: datetime.date) -> list[Work]:
    """The clients and family members invited to be interviewed: the first invitation of each review."""
    reviews = {r.pk: r for r in _all_reviews(program_ids)}
    first: dict[int, tuple[datetime.date, int]] = {}
    for pk, review_id, invited_on in (
        ReviewInvitee.objects.filter(review_id__in=list(reviews))
        .order_by()
        .values_list("pk", "review_id", "invited_on")
    ):
        if review_id not in first or (invited_on, pk) < first[review_id]:
            first[review_id] = (invited_on, pk)
    works = [
        _work(
            reviews[review_id],
            kind="review_invitee",
            pk=pk,
            on=on,
            label=f"Interview invitations for the {reviews[review_id].label.lower()}",
            url=reviews[review_id].url + "#invitees",
        )
        for review_id, (on, pk) in first.items()
    ]
    return _recent(works, since)


def action_plan(program_ids: list[int], since: datetime.date) -> list[Work]:
    """The review's written action plan: its first action, dated when it was written."""
    reviews = {r.pk: r for r in _all_reviews(program_ids)}
    first: dict[int, tuple[datetime.datetime, int]] = {}
    for pk, review_id, created in (
        ActionItem.objects.filter(review_id__in=list(reviews)).order_by().values_list("pk", "review_id", "created_at")
    ):
        if review_id not in first or (created, pk) < first[review_id]:
            first[review_id] = (created, pk)
    works = [
        _work(
            reviews[review_id],
            kind="action_plan",
            pk=pk,
            on=timezone.localdate(created),
            label=f"Action plan of the {reviews[review_id].label.lower()}",
            url=reverse("fidelity:review_actions", kwargs={"review_id": review_id}),
            after_report=True,
        )
        for review_id, (created, pk) in first.items()
    ]
    return _recent(works, since)


def steering_review(program_ids: list[int], since: datetime.date) -> list[Work]:
    """The steering committee reviewed an action of the plan: the first date of each review."""
    reviews = {r.pk: r for r in _all_reviews(program_ids)}
    first: dict[int, tuple[datetime.date, int]] = {}
    for pk, review_id, reviewed_on in (
        ActionItem.objects.filter(review_id__in=list(reviews), steering_reviewed_on__isnull=False)
        .order_by()
        .values_list("pk", "review_id", "steering_reviewed_on")
    ):
        if reviewed_on is not None and (review_id not in first or (reviewed_on, pk) < first[review_id]):
            first[review_id] = (reviewed_on, pk)
    works = [
        _work(
            reviews[review_id],
            kind="action_item",
            pk=pk,
            on=on,
            label=f"Steering committee review of the action plan, {_day(on)}",
            url=reverse("fidelity:action_detail", kwargs={"action_id": pk}),
            after_report=True,
        )
        for review_id, (on, pk) in first.items()
    ]
    return _recent(works, since)


SOURCES = (
    WorkSource(
        key="fidelity.scheduled",
        describe=_("Fidelity reviews scheduled for the program"),
        missing="The fidelity review was cancelled.",
        find=scheduled,
    ),
    WorkSource(
        key="fidelity.completed",
        describe=_("Fidelity reviews whose reviewers reached consensus"),
        missing="The fidelity review was cancelled.",
        find=completed,
    ),
    WorkSource(
        key="fidelity.delivered",
        describe=_("Fidelity review reports delivered to the program's partners"),
        missing="The fidelity review was cancelled.",
        find=delivered,
    ),
    WorkSource(
        key="fidelity.interviews",
        describe=_("Interviews on a fidelity visit's agenda, once the visit has begun"),
        missing="The interviews are no longer on the visit's agenda, or the visit was moved or cancelled.",
        find=_agenda(AgendaSlot.Activity.INTERVIEW, "Interviews"),
    ),
    WorkSource(
        key="fidelity.chart_review",
        describe=_("A chart review on a fidelity visit's agenda, once the visit has begun"),
        missing="The chart review is no longer on the visit's agenda, or the visit was moved or cancelled.",
        find=_agenda(AgendaSlot.Activity.CHART_REVIEW, "Chart review"),
    ),
    WorkSource(
        key="fidelity.observation",
        describe=_("An observation of a team meeting on a fidelity visit's agenda, once the visit has begun"),
        missing="The observation is no longer on the visit's agenda, or the visit was moved or cancelled.",
        find=_agenda(AgendaSlot.Activity.OBSERVATION, "Observation"),
    ),
    WorkSource(
        key="fidelity.employer_visit",
        describe=_("Job development with a specialist on a fidelity visit's agenda, once the visit has begun"),
        missing="Job development with a specialist is no longer on the visit's agenda, or the visit was moved or "
        "cancelled.",
        find=_agenda(AgendaSlot.Activity.EMPLOYER_CONTACT, "Job development with a specialist"),
    ),
    WorkSource(
        key="fidelity.invitees",
        describe=_("Clients and family members invited to be interviewed at a fidelity visit"),
        missing="No invitation to the visit's interviews is recorded any more.",
        find=invitees,
    ),
    WorkSource(
        key="fidelity.action_plan",
        describe=_("A written action plan for improved fidelity after a review's report"),
        missing="The review's action plan has no actions any more.",
        find=action_plan,
    ),
    WorkSource(
        key="fidelity.steering_review",
        describe=_("The steering committee's review of a fidelity action plan"),
        missing="No action of the plan records a steering committee review any more.",
        find=steering_review,
    ),
)
