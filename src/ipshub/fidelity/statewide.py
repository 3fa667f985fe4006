"""The fidelity schedule across a state's programs (issue 23): each program's last delivered review with its
total, and its next review under way or scheduled, with what is overdue or missing. For the state IPS team and
trainers (tenancy.access.statewide_programs); four queries for a page of programs whatever their history."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from ipshub.fidelity import rules
from ipshub.fidelity.access import reviews_visible_to
from ipshub.fidelity.models import ConsensusScore, Review
from ipshub.tenancy.models import Person, Program

FILTERS = ("all", "overdue", "unscheduled")


@dataclass
class ScheduleRow:
    program: Program
    last: Review | None
    total: rules.Total | None
    upcoming: Review | None
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.upcoming is not None and self.upcoming.due_on < self.today

    @property
    def unscheduled(self) -> bool:
        return self.upcoming is None


def filtered(programs: QuerySet[Program], show: str, today: datetime.date) -> QuerySet[Program]:
    """Programs with an overdue open review, or with none open at all; every program otherwise."""
    open_reviews = Review.objects.filter(status__in=Review.OPEN_STATUSES)
    if show == "overdue":
        return programs.filter(id__in=open_reviews.filter(due_on__lt=today).values("program_id"))
    if show == "unscheduled":
        return programs.exclude(id__in=open_reviews.values("program_id"))
    return programs


def schedule(person: Person, programs: list[Program], today: datetime.date) -> list[ScheduleRow]:
    ids = [p.pk for p in programs]
    reviews = reviews_visible_to(person).filter(program_id__in=ids)
    last: dict[int, Review] = {}
    for review in (
        reviews.filter(status=Review.Status.DELIVERED).select_related("scale").order_by("-report_date", "-pk")
    ):
        last.setdefault(review.program_id, review)
    upcoming: dict[int, Review] = {}
    for review in reviews.filter(status__in=Review.OPEN_STATUSES).order_by("due_on", "pk"):
        upcoming.setdefault(review.program_id, review)
    scores: dict[int, list[int | None]] = {}
    for review_id, score in ConsensusScore.objects.filter(review_id__in=[r.pk for r in last.values()]).values_list(
        "review_id", "score"
    ):
        scores.setdefault(review_id, []).append(score)
    rows = []
    for program in programs:
        delivered = last.get(program.pk)
        total = (
            rules.total_of(scores.get(delivered.pk, []), delivered.scale.bands or rules.DEFAULT_BANDS)
            if delivered
            else None
        )
        rows.append(ScheduleRow(program, delivered, total, upcoming.get(program.pk), today))
    return rows
