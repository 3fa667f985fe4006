"""From finding to result, for one program (`/programs/<id>/fidelity-chain/`): each low-scoring item of a
fidelity review (a finding) → the action-plan items that answer it → the technical assistance that names the
item or those actions → the next review's score for the item → the employment rate in the quarters after.

A surface assembling three areas (fidelity, collaboration, outcomes), each read through its own access layer;
the areas know nothing of each other. A fixed number of queries whatever the number of reviews, actions,
TA entries and quarters.

Decisions: a finding is a consensus score of 3 or less (of 5: below "good" on the scale's anchors); a review
counts once its consensus is complete, and a program's partners see it once its report is delivered (the
fidelity area's rule for reading a report); the outcome trend is the program's accepted reports under the
default definition, from the quarter before the report to four quarters after it, with the small-count rule
of the outcome pages.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ipshub.collaboration import access as collab_access
from ipshub.collaboration.models import TAActivity
from ipshub.fidelity import access as fidelity_access
from ipshub.fidelity.models import ActionItem, ConsensusScore, Review
from ipshub.lib.signed_in import person_of
from ipshub.outcomes import access as outcomes_access
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter, rate, visible_rate
from ipshub.outcomes.models import QuarterlyReport, Status
from ipshub.tenancy import access
from ipshub.tenancy.access import get_program_for, scoped_view
from ipshub.tenancy.models import Person, Program

LOW_SCORE = 3
QUARTERS_AFTER = 4


@dataclass
class TrendPoint:
    period: str
    rate: Decimal | None  # None: no accepted report, or withheld by the small-count rule
    reported: bool


@dataclass
class Finding:
    review: Review
    item_number: int
    item_name: str
    score: int
    actions: list[ActionItem] = field(default_factory=list)
    assistance: list[TAActivity] = field(default_factory=list)
    next_review: Review | None = None
    next_score: int | None = None
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def change(self) -> int | None:
        return None if self.next_score is None else self.next_score - self.score


def _reviews(person: Person, program: Program) -> list[Review]:
    """The program's reviews whose consensus is complete and whose report this person may read."""
    reviews = fidelity_access.reviews_visible_to(person).filter(program=program, consensus_completed_at__isnull=False)
    reviews = reviews.exclude(status=Review.Status.CANCELLED)
    if not (access.is_platform_admin(person) or program.state_id in access.statewide_state_ids(person)):
        reviews = reviews.filter(status=Review.Status.DELIVERED)
    return list(reviews.order_by("due_on", "pk"))


def _when(review: Review) -> datetime.date:
    """When the finding was made known: the report's date, else the consensus."""
    if review.report_date:
        return review.report_date
    assert review.consensus_completed_at is not None
    return review.consensus_completed_at.date()


def _trend(reports: dict[tuple[int, int], QuarterlyReport], after: datetime.date, exact: bool) -> list[TrendPoint]:
    start = Quarter.containing(after).index - 1
    points = []
    for index in range(start, start + QUARTERS_AFTER + 2):
        q = Quarter.from_index(index)
        report = reports.get((q.year, q.quarter))
        if report is None:
            points.append(TrendPoint(f"{q.year} Q{q.quarter}", None, False))
            continue
        value = rate(report.worked, report.served)
        points.append(
            TrendPoint(f"{q.year} Q{q.quarter}", visible_rate(report.worked, report.served, value, exact), True)
        )
    return points


def program_chain(person: Person, program: Program) -> list[Finding]:
    reviews = _reviews(person, program)
    if not reviews:
        return []
    scores = (
        ConsensusScore.objects.filter(review__in=reviews, score__isnull=False)
        .select_related("item")
        .order_by("review_id", "item__number")
    )
    by_review: dict[int, dict[int, ConsensusScore]] = defaultdict(dict)
    for score in scores:
        by_review[score.review_id][score.item.number] = score
    actions = list(
        fidelity_access.actions_visible_to(person)
        .filter(review__in=reviews)
        .select_related("owner")
        .prefetch_related("items")
        .order_by("due_on", "pk")
    )
    actions_by_item: dict[tuple[int, int], list[ActionItem]] = defaultdict(list)
    for action in actions:
        for item in action.items.all():
            actions_by_item[(action.review_id, item.number)].append(action)
    assistance = list(
        collab_access.ta_visible_to(person).filter(program=program).select_related("trainer").order_by("date", "pk")
    )
    reports = {
        (r.year, r.quarter): r
        for r in QuarterlyReport.objects.filter(
            program=program, is_current=True, status=Status.ACCEPTED, definition_code=DEFAULT_CODE
        )
    }
    exact = outcomes_access.can_write_for(person, program)
    findings = []
    for position, review in enumerate(reviews):
        later = reviews[position + 1] if position + 1 < len(reviews) else None
        for number, score in by_review[review.pk].items():
            if score.score is None or score.score > LOW_SCORE:
                continue
            linked_actions = actions_by_item[(review.pk, number)]
            action_ids = {a.pk for a in linked_actions}
            since = _when(review)
            until = _when(later) if later else None
            finding = Finding(
                review=review,
                item_number=number,
                item_name=score.item.local("name"),  # catalog data, in the reader's language
                score=score.score,
                actions=linked_actions,
                assistance=[
                    ta
                    for ta in assistance
                    if (number in ta.fidelity_items or action_ids & set(ta.action_item_ids))
                    and ta.date >= since
                    and (until is None or ta.date <= until)
                ],
                next_review=later,
                trend=_trend(reports, since, exact),
            )
            if later is not None:
                next_score = by_review[later.pk].get(number)
                finding.next_score = next_score.score if next_score else None
            findings.append(finding)
    return findings


@scoped_view
def fidelity_chain(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    findings = program_chain(person, program)
    return render(
        request,
        "web/program_chain.html",
        {"program": program, "findings": findings, "low_score": LOW_SCORE, "quarters_after": QUARTERS_AFTER},
    )
