"""Self-assessment reads (issue #26): a program's self-assessments, and the comparison, item by item, of
the latest self-assessment, the running estimate from the records and the last delivered review's
consensus, in a fixed number of queries whatever the data size.

Items are matched by number, so a review made on an earlier version of the scale still lines up."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from ipshub.fidelity import evidence_records, rules
from ipshub.fidelity.models import (
    ConsensusScore,
    FidelityItem,
    FidelityScale,
    Review,
    SelfAssessment,
    SelfAssessmentScore,
)
from ipshub.fidelity.scales import current_scale
from ipshub.tenancy.models import Program

# How far apart the scores of an item must be (highest minus lowest) to be listed among the disagreements.
DISAGREEMENT = 2


def assessments_of(program: Program) -> QuerySet[SelfAssessment]:
    """The program's self-assessments, latest first, with who made them."""
    return SelfAssessment.objects.filter(program=program).select_related("created_by", "updated_by", "scale")


def with_scores(assessment: SelfAssessment) -> dict[int, SelfAssessmentScore]:
    """The assessment's scores by item number (one query)."""
    return {s.item.number: s for s in assessment.scores.select_related("item")}


def assessment_total(scores: dict[int, SelfAssessmentScore], scale: FidelityScale) -> rules.Total:
    return rules.total_of([s.score for s in scores.values()], scale.bands or rules.DEFAULT_BANDS)


def totals_of(assessments: list[SelfAssessment]) -> dict[int, rules.Total]:
    """Each listed assessment's total (one query for all of them)."""
    by_assessment: dict[int, list[int]] = {a.pk: [] for a in assessments}
    rows = SelfAssessmentScore.objects.filter(assessment__in=[a.pk for a in assessments]).values_list(
        "assessment_id", "score"
    )
    for assessment_id, score in rows:
        by_assessment[assessment_id].append(score)
    return {a.pk: rules.total_of(by_assessment[a.pk], a.scale.bands or rules.DEFAULT_BANDS) for a in assessments}


def last_delivered_review(program: Program) -> Review | None:
    """The program's latest delivered review, with its consensus scores' items loaded (two queries)."""
    return (
        Review.objects.filter(program=program, status=Review.Status.DELIVERED)
        .select_related("scale")
        .prefetch_related(Prefetch("consensus_scores", queryset=ConsensusScore.objects.select_related("item")))
        .order_by("-report_date", "-pk")
        .first()
    )


@dataclass
class ComparisonRow:
    item: FidelityItem
    self_score: int | None
    self_note: str
    estimate: int | None
    review: int | None

    @property
    def scores(self) -> list[int]:
        return [s for s in (self.self_score, self.estimate, self.review) if s is not None]

    @property
    def spread(self) -> int | None:
        """Highest minus lowest of the scores there are; None with fewer than two."""
        values = self.scores
        return max(values) - min(values) if len(values) >= 2 else None

    @property
    def self_minus_review(self) -> int | None:
        return None if self.self_score is None or self.review is None else self.self_score - self.review

    @property
    def self_minus_estimate(self) -> int | None:
        return None if self.self_score is None or self.estimate is None else self.self_score - self.estimate

    @property
    def disagrees(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT


@dataclass
class Comparison:
    program: Program
    assessment: SelfAssessment | None
    review: Review | None
    estimate: evidence_records.Estimate
    rows: list[ComparisonRow]
    self_total: rules.Total | None
    review_total: rules.Total | None
    disagreements: list[ComparisonRow] = field(default_factory=list)

    @property
    def disagreement_numbers(self) -> list[int]:
        return [r.item.number for r in self.disagreements]

    @property
    def higher_than_review(self) -> list[ComparisonRow]:
        return [r for r in self.rows if (r.self_minus_review or 0) > 0]

    @property
    def lower_than_review(self) -> list[ComparisonRow]:
        return [r for r in self.rows if (r.self_minus_review or 0) < 0]


def comparison_for(program: Program, today: datetime.date) -> Comparison:
    """The latest self-assessment, the running estimate for the six months to `today` and the last delivered
    review, item by item; the items where they differ by `DISAGREEMENT` or more listed most different first."""
    assessment = assessments_of(program).first()
    scale = assessment.scale if assessment is not None else current_scale()
    items = list(scale.items.all())
    own = with_scores(assessment) if assessment is not None else {}
    review = last_delivered_review(program)
    agreed = {c.item.number: c.score for c in review.consensus_scores.all()} if review is not None else {}
    first, last = evidence_records.default_period(today)
    estimate = evidence_records.program_estimate(program, first, last, scale)
    estimated = {row.number: row.evidence.score for row in estimate.rows}
    rows = [
        ComparisonRow(
            item=item,
            self_score=own[item.number].score if item.number in own else None,
            self_note=own[item.number].note if item.number in own else "",
            estimate=estimated.get(item.number),
            review=agreed.get(item.number),
        )
        for item in items
    ]
    disagreements = sorted((r for r in rows if r.disagrees), key=lambda r: (-(r.spread or 0), r.item.number))
    return Comparison(
        program=program,
        assessment=assessment,
        review=review,
        estimate=estimate,
        rows=rows,
        self_total=assessment_total(own, scale) if assessment is not None else None,
        review_total=rules.total_of(list(agreed.values()), review.scale.bands or rules.DEFAULT_BANDS)
        if review is not None
        else None,
        disagreements=disagreements,
    )
