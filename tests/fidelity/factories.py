"""Reviews at each step, built through the services, for program P1 of the persona world."""

import datetime

from django.utils import timezone

from ipshub.fidelity import services
from ipshub.fidelity.models import Review
from ipshub.fidelity.services import ScoreEntry
from ipshub.tenancy.models import Membership, Person
from ipshub.tenancy.roles import Role
from tests.world import PASSWORD, World

SCORES = [4, 5, 5, 4, 3, 4, 4, 3, 5, 3, 3, 2, 4, 4, 4, 3, 3, 3, 4, 4, 5, 4, 3, 3, 4]  # total 93


def second_reviewer(world: World) -> Person:
    """A second fidelity reviewer on state A's team (the world has one). The access matrix builds these
    objects again in mirror worlds (another agency's program, another state's): one per state team."""
    if "reviewer2" in world.people:
        return world.people["reviewer2"]
    team = world.orgs["team_a"]
    username = "reviewer2" if team.state_id == world.programs["p2"].state_id else f"reviewer2_{team.state.code}"
    person = Person.objects.filter(username=username).first()
    if person is None:
        person = Person(username=username, first_name="Avery", last_name="White", email="r2@example.test")
        person.set_password(PASSWORD)
        person.save()
        Membership.objects.create(person=person, organization=team, role=Role.FIDELITY_REVIEWER)
    world.people["reviewer2"] = person
    return person


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def planned_review(world: World, program_key: str = "p1", visit_in: int = 3) -> Review:
    lead = world.people["state_lead"]
    program = world.programs[program_key]
    # The first referral (client services) schedules the baseline by rule: plan that one if it exists.
    review = Review.objects.filter(program=program, status__in=Review.OPEN_STATUSES).first()
    if review is None:
        review = services.review_schedule(actor=lead, program=program, kind=Review.Kind.BASELINE, due_on=days(visit_in))
    services.review_set_team(actor=lead, review=review, lead=world.reviewer, second=second_reviewer(world))
    services.review_plan(actor=lead, review=review, visit_day_1=days(visit_in), visit_day_2=days(visit_in + 1))
    return review


def entries(review: Review, scores: list[int | None], **text: str) -> list[ScoreEntry]:
    return [
        ScoreEntry(
            item=item,
            score=str(score) if score is not None else "cannot",
            reason="" if score is not None else "No records to review.",
            **text,
        )
        for item, score in zip(review.scale.items.all(), scores, strict=True)
    ]


def review_in_consensus(world: World, scores: list[int | None] = SCORES) -> Review:
    review = planned_review(world)
    for person in (world.reviewer, second_reviewer(world)):
        services.scores_save(actor=person, review=review, entries=entries(review, scores, notes="n"))
        services.scores_submit(actor=person, review=review)
    review.refresh_from_db()
    return review


def delivered_review(world: World, scores: list[int | None] = SCORES, on: int = 0) -> Review:
    review = review_in_consensus(world, scores)
    services.consensus_save(
        actor=world.reviewer,
        review=review,
        entries=entries(review, scores, strengths="Good work.", recommendations="Do more."),
    )
    services.consensus_complete(actor=world.reviewer, review=review)
    services.report_save_overall(
        actor=world.reviewer,
        review=review,
        strengths="Strong team.",
        recommendations="Plan employer contacts.",
    )
    # The visit was planned in the future; a delivered report needs a visit before it.
    Review.objects.filter(pk=review.pk).update(visit_day_1=days(on - 2), visit_day_2=days(on - 1))
    review.refresh_from_db()
    services.report_deliver(actor=world.reviewer, review=review, delivered_on=days(on))
    return review
