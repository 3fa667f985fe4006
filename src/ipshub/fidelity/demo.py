"""Westmark's fidelity reviews: Pine County's delivered baseline (with its action plan and a follow-up
whose date was moved), Red Cedar Nation's upcoming baseline, and Lake County's overdue one."""

import datetime

from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.fidelity import services
from ipshub.fidelity.models import Review
from ipshub.fidelity.services import ScoreEntry
from ipshub.tenancy.models import Person

# Pine County's agreed scores (None = cannot rate) and where the second reviewer first differed.
PINE_CONSENSUS = [4, 5, 5, 4, 3, 4, 4, 3, 5, 3, 3, 2, 4, 4, 4, None, 3, 3, 4, 4, 5, 4, 3, 3, 4]
SECOND_REVIEWER_DIFFERS = {5: 4, 8: 2, 12: 3, 17: 2, 24: 4}
STRENGTHS = {
    2: "Specialists spend nearly all their time on employment services.",
    9: "Anyone who wants to work is referred, including self-referrals from the clubhouse.",
    21: "Almost every job is competitive and in the community.",
}
RECOMMENDATIONS = {
    12: "Offer comprehensive benefits planning to every client before a job start, with the WIPA office.",
    17: "Plan six face-to-face employer contacts per specialist a week; track them in the unit meeting.",
    24: "Move routine paperwork to Fridays so specialists spend more scheduled hours in the community.",
}


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def build(ctx: DemoContext) -> None:
    lead, reviewer, second = ctx.people["statelead"], ctx.people["reviewer"], ctx.people["awhite"]
    _pine(ctx, lead, reviewer, second)
    red_cedar = ctx.programs["Red Cedar Nation IPS"]
    review = services.review_schedule_baseline(actor=lead, program=red_cedar, began_on=_days(-150))
    services.review_set_team(actor=lead, review=review, lead=reviewer, second=second)
    services.review_plan(
        actor=lead,
        review=review,
        visit_day_1=_days(10),
        visit_day_2=_days(11),
        contact_name="Quinn Hill, IPS supervisor",
        contact_email="qhill@westmark.example",
        documents_requested=services.STANDARD_DOCUMENTS,
    )
    services.agenda_use_standard(actor=lead, review=review)
    services.review_reschedule(
        actor=lead,
        review=review,
        due_on=_days(11),
        reason="Visit set with the program after the tribal council's approval.",
    )
    services.review_schedule_baseline(actor=lead, program=ctx.programs["Lake County IPS"], began_on=_days(-250))


def _pine(ctx: DemoContext, lead: Person, reviewer: Person, second: Person) -> None:
    pine = ctx.programs["Pine County IPS"]
    review = services.review_schedule_baseline(actor=lead, program=pine, began_on=_days(-840))
    services.review_set_team(actor=lead, review=review, lead=reviewer, second=second)
    services.review_plan(
        actor=lead,
        review=review,
        visit_day_1=_days(-580),
        visit_day_2=_days(-579),
        contact_name="Morgan Reyes, IPS supervisor",
        contact_email="supervisor@westmark.example",
        documents_requested=services.STANDARD_DOCUMENTS,
    )
    services.agenda_use_standard(actor=lead, review=review)
    items = list(review.scale.items.all())
    for person, differs in ((reviewer, {}), (second, SECOND_REVIEWER_DIFFERS)):
        entries = [
            ScoreEntry(
                item=item,
                score=str(differs.get(item.number, score)) if score else "cannot",
                reason="" if score else "Employer contact logs did not record the client's preferences.",
                notes="Seen in the chart review and the specialist interviews.",
                sources=", ".join(item.sources[:2]),
            )
            for item, score in zip(items, PINE_CONSENSUS, strict=True)
        ]
        services.scores_save(actor=person, review=review, entries=entries)
        services.scores_submit(actor=person, review=review)
    services.consensus_save(
        actor=reviewer,
        review=review,
        entries=[
            ScoreEntry(
                item=item,
                score=str(score) if score else "cannot",
                reason="" if score else "Employer contact logs did not record the client's preferences.",
                rationale="Agreed after discussing the chart review." if item.number in SECOND_REVIEWER_DIFFERS else "",
                strengths=STRENGTHS.get(item.number, ""),
                recommendations=RECOMMENDATIONS.get(item.number, ""),
            )
            for item, score in zip(items, PINE_CONSENSUS, strict=True)
        ],
    )
    services.consensus_complete(actor=reviewer, review=review)
    services.report_save_overall(
        actor=reviewer,
        review=review,
        strengths="A committed team with strong executive support, zero exclusion and competitive jobs.",
        recommendations="Strengthen benefits planning, employer contact and time in the community.",
    )
    services.report_deliver(actor=reviewer, review=review, delivered_on=_days(-560))
    services.actions_from_recommendations(actor=lead, review=review, owner=ctx.people["supervisor"], due_on=_days(-380))
    follow_up = Review.objects.get(program=pine, kind=Review.Kind.FOLLOW_UP)
    services.review_reschedule(
        actor=lead,
        review=follow_up,
        due_on=_days(30),
        reason="Two new specialists started; the program asked for the follow-up once they finish training.",
    )
