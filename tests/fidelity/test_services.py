import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import services
from ipshub.fidelity.models import ActionItem, ReportDelivery, Review, ReviewDateChange
from ipshub.fidelity.selectors import review_total
from ipshub.tenancy.models import Phase
from ipshub.tenancy.services import program_change_phase
from tests.fidelity import factories

pytestmark = pytest.mark.django_db


def test_entering_implementation_schedules_the_baseline_once(world) -> None:
    program = world.programs["p1"]
    began = datetime.date(2025, 3, 1)
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=began,
        reason="Kick-off",
        is_override=True,
    )
    review = Review.objects.get(program=program)
    assert (review.kind, review.status, review.due_on) == (
        "baseline",
        "scheduled",
        datetime.date(2025, 4, 30),
    )
    assert review.scale.items.count() == 25
    # Idempotent: asking again (or re-entering implementation) adds nothing.
    services.review_schedule_baseline(actor=None, program=program, began_on=began)
    assert Review.objects.filter(program=program).count() == 1


def test_other_phases_schedule_nothing(world) -> None:
    program = world.programs["p2"]
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.ONGOING,
        effective_on=datetime.date(2025, 3, 1),
        reason="By hand",
        is_override=True,
    )
    assert not Review.objects.filter(program=program).exists()


def test_moving_a_date_needs_a_reason_and_is_kept(world) -> None:
    review = factories.planned_review(world)
    with pytest.raises(ValidationError) as exc:
        services.review_reschedule(actor=world.state_lead, review=review, due_on=factories.days(40), reason=" ")
    assert "reason" in exc.value.message_dict
    services.review_reschedule(actor=world.state_lead, review=review, due_on=factories.days(40), reason="Program asked")
    change = ReviewDateChange.objects.get(review=review)
    assert (change.to_date, change.reason) == (factories.days(40), "Program asked")
    assert AuditEvent.objects.filter(action="fidelity.review_reschedule", object_id=str(change.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.review_reschedule(actor=world.reviewer, review=review, due_on=factories.days(50), reason="x")


def test_team_needs_two_reviewers_of_the_state(world) -> None:
    review = services.review_schedule(
        actor=world.state_lead, program=world.programs["p1"], kind="baseline", due_on=factories.days(10)
    )
    with pytest.raises(ValidationError) as exc:
        services.review_set_team(actor=world.state_lead, review=review, lead=world.reviewer, second=world.reviewer)
    assert "second" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.review_set_team(actor=world.state_lead, review=review, lead=world.reviewer, second=world.trainer)
    assert "not a fidelity reviewer" in exc.value.message_dict["second"][0]


def test_plan_checks_the_window(world) -> None:
    review = factories.planned_review(world)
    assert review.window_opens == factories.days(3 - 14)
    assert review.window_closes == factories.days(4 + 14)
    with pytest.raises(ValidationError) as exc:
        services.review_plan(
            actor=world.state_lead,
            review=review,
            visit_day_1=factories.days(5),
            visit_day_2=factories.days(4),
        )
    assert "visit_day_2" in exc.value.message_dict


def test_cannot_rate_needs_a_reason(world) -> None:
    review = factories.planned_review(world)
    item = review.scale.items.get(number=16)
    with pytest.raises(ValidationError) as exc:
        services.scores_save(
            actor=world.reviewer, review=review, entries=[services.ScoreEntry(item=item, score="cannot")]
        )
    assert "reason_16" in exc.value.message_dict


def test_submitting_needs_every_item(world) -> None:
    review = factories.planned_review(world)
    entries = factories.entries(review, factories.SCORES)[:24]
    services.scores_save(actor=world.reviewer, review=review, entries=entries)
    with pytest.raises(ValidationError, match="Still to score: 25"):
        services.scores_submit(actor=world.reviewer, review=review)


def test_only_the_team_scores(world) -> None:
    review = factories.planned_review(world)
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=world.state_lead, review=review, entries=[])


def test_submitted_scores_are_final_and_both_open_consensus(world) -> None:
    review = factories.planned_review(world)
    services.scores_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES))
    services.scores_submit(actor=world.reviewer, review=review)
    review.refresh_from_db()
    assert review.status == "scoring"
    with pytest.raises(ValidationError, match="submitted"):
        services.scores_save(actor=world.reviewer, review=review, entries=[])
    second = factories.second_reviewer(world)
    services.scores_save(actor=second, review=review, entries=factories.entries(review, factories.SCORES))
    services.scores_submit(actor=second, review=review)
    review.refresh_from_db()
    assert review.status == "consensus"


def test_only_the_lead_records_consensus(world) -> None:
    review = factories.review_in_consensus(world)
    with pytest.raises(PermissionDenied):
        services.consensus_save(actor=factories.second_reviewer(world), review=review, entries=[])


def test_delivery_records_partners_schedules_the_next_review_and_moves_the_program(world) -> None:
    program = world.programs["p1"]
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=factories.days(-200),
        reason="Kick-off",
        is_override=True,
    )
    Review.objects.filter(program=program).update(status="cancelled")  # the rule's baseline; use our own
    review = factories.delivered_review(world)  # total 93 → fair → next in 6 months
    assert review.status == "delivered"
    assert review_total(review).estimate == 93
    partners = set(ReportDelivery.objects.filter(review=review).values_list("organization__name", flat=True))
    assert partners == {"A Pine County Human Services", "A Summit Employment", "A DVR Pine Office"}
    follow_up = Review.objects.get(program=program, kind="follow_up")
    from ipshub.fidelity.rules import next_review_due

    assert follow_up.due_on == next_review_due(factories.days(0), 93)
    program.refresh_from_db()
    assert program.phase == Phase.ONGOING
    assert program.phase_changes.filter(reason="First fidelity review report delivered").exists()


def test_good_total_schedules_twelve_months(world) -> None:
    from ipshub.fidelity.rules import next_review_due

    factories.delivered_review(world, scores=[4] * 25)
    follow_up = Review.objects.get(program=world.programs["p1"], kind="follow_up")
    assert follow_up.due_on == next_review_due(factories.days(0), 100)
    assert (follow_up.due_on - factories.days(0)).days >= 365


def test_cannot_rate_in_the_total(world) -> None:
    scores = [4] * 23 + [None, None]
    review = factories.delivered_review(world, scores=scores)
    total = review_total(review)
    assert (total.rated_total, total.unrated, total.estimate, total.band) == (92, 2, 100, "Good fidelity")


def test_recommendations_become_actions(world) -> None:
    review = factories.delivered_review(world)
    created = services.actions_from_recommendations(
        actor=world.state_lead, review=review, owner=world.supervisor, due_on=factories.days(60)
    )
    assert len(created) == 25  # every item got "Do more."
    assert created[0].items.get().number == 1
    with pytest.raises(ValidationError, match="already has an action"):
        services.actions_from_recommendations(
            actor=world.state_lead, review=review, owner=None, due_on=factories.days(60)
        )
    action = created[0]
    services.action_update(
        actor=world.supervisor,
        action=action,
        status="in_progress",
        due_on=action.due_on,
        owner=world.supervisor,
        note="Started weekly tracking.",
    )
    assert action.notes.get().text == "Started weekly tracking."
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.specialist, action=action, status="done", due_on=action.due_on, owner=None)
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=world.state_lead,
            review=review,
            title="x",
            items=[],
            owner=world.other_state_lead,
            due_on=factories.days(3),
        )
    assert "owner" in exc.value.message_dict
    assert ActionItem.objects.filter(review=review).count() == 25
