"""Reviewers' temporary read access, and who sees what in a review."""

import datetime

import pytest
from django.utils import timezone

from ipshub.fidelity.access import get_review_for, reviewer_program_ids, reviews_visible_to
from ipshub.fidelity.models import Review, ReviewTeamMember
from ipshub.fidelity.scales import current_scale
from ipshub.tenancy.access import forget_seats
from ipshub.tenancy.models import Membership
from tests.fidelity import factories

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_admin", "other_state_lead")


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_access_only_inside_the_window(world) -> None:
    review = factories.planned_review(world, visit_in=30)  # window: day 16 to day 45
    p1 = world.programs["p1"].pk
    assert reviewer_program_ids(world.reviewer, _at(factories.days(15))) == set()
    assert reviewer_program_ids(world.reviewer, _at(factories.days(16), hour=0)) == {p1}
    assert reviewer_program_ids(world.reviewer, _at(factories.days(30))) == {p1}
    assert reviewer_program_ids(world.reviewer, _at(factories.days(45), hour=23)) == {p1}
    assert reviewer_program_ids(world.reviewer, _at(factories.days(46), hour=0)) == set()
    assert reviewer_program_ids(factories.second_reviewer(world), _at(factories.days(20))) == {p1}
    assert review.window_closes == factories.days(45)


def test_default_is_now(world) -> None:
    factories.planned_review(world, visit_in=3)  # the window is open today
    assert reviewer_program_ids(world.reviewer) == {world.programs["p1"].pk}


def test_not_for_other_people_or_programs(world) -> None:
    factories.planned_review(world, visit_in=3)
    now = _at(factories.days(3))
    for name in ("state_lead", "admin", "trainer", "director", "specialist", *OUTSIDERS):
        assert reviewer_program_ids(world.people[name], now) == set(), name
    assert world.programs["p2"].pk not in reviewer_program_ids(world.reviewer, now)


def test_not_in_another_state_even_if_on_the_team(world) -> None:
    """A team seat on a state B review (put there by hand) gives a state A reviewer nothing."""
    review = Review.objects.create(
        program=world.programs["pb"],
        scale=current_scale(),
        kind="baseline",
        due_on=factories.days(1),
        window_opens=factories.days(-5),
        window_closes=factories.days(5),
    )
    ReviewTeamMember.objects.create(review=review, person=world.reviewer, is_lead=True)
    assert reviewer_program_ids(world.reviewer) == set()


def test_ends_with_the_reviewer_role_and_with_a_cancelled_review(world) -> None:
    review = factories.planned_review(world, visit_in=3)
    Membership.objects.filter(person=world.reviewer).update(is_active=False)
    forget_seats(world.reviewer)  # the seats are cached per request
    assert reviewer_program_ids(world.reviewer) == set()
    second = factories.second_reviewer(world)
    Review.objects.filter(pk=review.pk).update(status="cancelled")
    assert reviewer_program_ids(second) == set()


def test_who_sees_a_review(world) -> None:
    review = factories.planned_review(world)
    for name in ("state_lead", "admin", "trainer", "reviewer", "director", "supervisor", "counselor"):
        assert get_review_for(world.people[name], review.pk) == review, name
    for name in OUTSIDERS:
        assert not reviews_visible_to(world.people[name]).exists(), name
    # A reviewer sees only the reviews they are on.
    other = factories.second_reviewer(world)
    ReviewTeamMember.objects.filter(review=review, person=other).delete()
    assert not reviews_visible_to(other).exists()
