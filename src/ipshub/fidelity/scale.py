"""Generated fidelity reviews at scale: a baseline for each program past 'prior'; for programs in ongoing
delivery it is delivered with 25 consensus scores, and a follow-up is scheduled."""

import datetime

from django.utils import timezone

from ipshub.areakit.scale import ScaleContext
from ipshub.fidelity import rules
from ipshub.fidelity.models import ConsensusScore, Review, ReviewTeamMember
from ipshub.fidelity.scales import current_scale
from ipshub.tenancy.models import Phase

BATCH = 2000


def generate(ctx: ScaleContext) -> dict[str, int]:
    scale = current_scale()
    items = list(scale.items.all())
    today = timezone.localdate()
    reviews: list[Review] = []
    scored: list[tuple[Review, list[int]]] = []
    for program in ctx.programs:
        if program.phase == Phase.PRIOR:
            continue
        began = program.kickoff_date or program.phase_since
        baseline = Review(program=program, scale=scale, kind=Review.Kind.BASELINE, due_on=rules.baseline_due(began))
        reviews.append(baseline)
        if program.phase == Phase.ONGOING:
            scores = [ctx.rng.choice((2, 3, 3, 4, 4, 4, 5, 5)) for _ in items]
            report_date = min(program.phase_since, today)
            baseline.status, baseline.report_date = Review.Status.DELIVERED, report_date
            baseline.visit_day_1 = baseline.visit_day_2 = report_date - datetime.timedelta(days=20)
            scored.append((baseline, scores))
            reviews.append(
                Review(
                    program=program,
                    scale=scale,
                    kind=Review.Kind.FOLLOW_UP,
                    due_on=rules.next_review_due(report_date, sum(scores)),
                )
            )
    reviews = Review.objects.bulk_create(reviews, batch_size=BATCH)
    consensus = [
        ConsensusScore(review=review, item=item, score=score)
        for review, scores in scored
        for item, score in zip(items, scores, strict=True)
    ]
    ConsensusScore.objects.bulk_create(consensus, batch_size=BATCH)
    team: list[ReviewTeamMember] = []
    for review, _ in scored:
        reviewer_ids = ctx.reviewers_by_state.get(review.program.state_id, [])
        if len(reviewer_ids) >= 2:
            team.append(ReviewTeamMember(review=review, person_id=reviewer_ids[0], is_lead=True))
            team.append(ReviewTeamMember(review=review, person_id=reviewer_ids[1]))
    ReviewTeamMember.objects.bulk_create(team, batch_size=BATCH)
    return {
        "fidelity reviews": len(reviews),
        "consensus scores": len(consensus),
        "review team seats": len(team),
    }
