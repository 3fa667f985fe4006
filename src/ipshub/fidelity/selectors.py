"""Reads that span relations: totals, side-by-side scores, the report's rows, the owners to choose from."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from ipshub.fidelity import rules
from ipshub.fidelity.models import (
    ConsensusScore,
    FidelityItem,
    Review,
    ReviewerScore,
    ReviewTeamMember,
    SpecialistTime,
)
from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import OrgKind, Role


def review_total(review: Review) -> rules.Total:
    scores = list(review.consensus_scores.values_list("score", flat=True))
    return rules.total_of(scores, review.scale.bands or rules.DEFAULT_BANDS)


def items_of(review: Review) -> list[FidelityItem]:
    return list(review.scale.items.all())


def team_of(review: Review) -> list[ReviewTeamMember]:
    return list(review.team.select_related("person"))


def own_scores(review: Review, person: Person) -> dict[int, ReviewerScore]:
    return {s.item_id: s for s in ReviewerScore.objects.filter(review=review, reviewer=person)}


@dataclass
class ConsensusRow:
    item: FidelityItem
    reviewer_scores: list[tuple[ReviewTeamMember, ReviewerScore | None]]
    consensus: ConsensusScore | None
    agree: bool
    fields: list[Any] = field(default_factory=list)  # the lead's consensus form fields for this item


def consensus_rows(review: Review, team: list[ReviewTeamMember]) -> list[ConsensusRow]:
    scores: dict[tuple[int, int], ReviewerScore] = {
        (s.item_id, s.reviewer_id): s for s in ReviewerScore.objects.filter(review=review)
    }
    agreed = {c.item_id: c for c in review.consensus_scores.all()}
    rows = []
    for item in items_of(review):
        per_reviewer = [(m, scores.get((item.pk, m.person_id))) for m in team]
        values = {s.score for _, s in per_reviewer if s is not None}
        rows.append(ConsensusRow(item, per_reviewer, agreed.get(item.pk), len(values) == 1))
    return rows


def previous_review(review: Review) -> Review | None:
    """The program's delivered review before this one."""
    earlier = Review.objects.filter(program_id=review.program_id, status=Review.Status.DELIVERED).exclude(pk=review.pk)
    if review.report_date:
        earlier = earlier.filter(
            Q(report_date__lt=review.report_date) | Q(report_date=review.report_date, pk__lt=review.pk)
        )
    return earlier.order_by("-report_date", "-pk").first()


@dataclass
class ReportRow:
    item: FidelityItem
    consensus: ConsensusScore | None
    previous: int | None

    @property
    def score(self) -> int | None:
        return self.consensus.score if self.consensus else None

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass
class Report:
    review: Review
    rows: list[ReportRow]
    total: rules.Total
    previous: Review | None
    previous_total: rules.Total | None
    sections: dict[str, list[ReportRow]] = field(default_factory=dict)


def report_for(review: Review) -> Report:
    previous = previous_review(review)
    consensus = {c.item_id: c for c in review.consensus_scores.all()}
    previous_by_number: dict[int, int | None] = {}
    previous_total = None
    if previous is not None:
        previous_by_number = dict(previous.consensus_scores.values_list("item__number", "score"))
        previous_total = review_total(previous)
    rows = [ReportRow(item, consensus.get(item.pk), previous_by_number.get(item.number)) for item in items_of(review)]
    sections: dict[str, list[ReportRow]] = {}
    for row in rows:
        sections.setdefault(row.item.section, []).append(row)
    return Report(review, rows, review_total(review), previous, previous_total, sections)


def possible_owners(review: Review) -> list[Person]:
    """Action owners: people of the program's partner organizations and of the state team."""
    program = review.program
    org_ids = [
        program.mh_agency_id,
        *([program.employment_provider_id] if program.employment_provider_id else []),
    ]
    org_ids += list(program.dvr_offices.values_list("id", flat=True))
    ids = (
        Membership.objects.filter(is_active=True)
        .filter(
            Q(organization_id__in=org_ids)
            | Q(organization__state_id=program.state_id, organization__kind=OrgKind.STATE_TEAM)
        )
        .values("person_id")
    )
    return list(Person.objects.filter(id__in=ids, is_active=True).order_by("last_name", "first_name"))


def due_filter(reviews: QuerySet[Review], today: datetime.date, due: str) -> QuerySet[Review]:
    """Filter a review queryset by when it is due: overdue, due within 60 days, or all open."""
    reviews = reviews.filter(status__in=Review.OPEN_STATUSES)
    if due == "overdue":
        return reviews.filter(due_on__lt=today)
    if due == "soon":
        return reviews.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=60))
    return reviews


def eligible_reviewers(program: Program) -> list[Person]:
    """People with the fidelity reviewer role on the program's state IPS team."""
    ids = Membership.objects.filter(
        role=Role.FIDELITY_REVIEWER,
        is_active=True,
        organization__state_id=program.state_id,
        organization__kind=OrgKind.STATE_TEAM,
        organization__is_active=True,
        person__is_active=True,
    ).values("person_id")
    return list(Person.objects.filter(id__in=ids).order_by("last_name", "first_name"))


# --- Specialists' time (issue 26) ---------------------------------------------------------------------


def program_specialists(program: Program) -> list[Person]:
    """The employment specialists of the program's agency and provider with an active membership (one query)."""
    org_ids = [i for i in (program.mh_agency_id, program.employment_provider_id) if i is not None]
    return list(
        Person.objects.filter(
            memberships__organization_id__in=org_ids,
            memberships__role=Role.EMPLOYMENT_SPECIALIST,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class SpecialistTimeRow:
    specialist: Person
    time: SpecialistTime | None  # None: counted as full time, share unknown


def specialist_time_rows(program: Program) -> list[SpecialistTimeRow]:
    """Each specialist of the program with their recorded time (two queries)."""
    times = {t.specialist_id: t for t in SpecialistTime.objects.filter(program=program).select_related("updated_by")}
    return [SpecialistTimeRow(p, times.get(p.pk)) for p in program_specialists(program)]
