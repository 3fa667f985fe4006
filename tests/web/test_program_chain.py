"""From finding to result: a TA entry names the fidelity items and action-plan items it addresses (form, service,
API), and a program's chain page shows finding → action → TA → the next review's score → the outcome trend."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipshub.collaboration import services as collab_services
from ipshub.collaboration.models import TAActivity
from ipshub.fidelity.models import ActionItem, ConsensusScore, Review
from ipshub.fidelity.scales import current_scale
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport, Source, Status
from ipshub.tenancy.models import Program
from tests.world import World

pytestmark = pytest.mark.django_db

D = datetime.date


def _review(program: Program, reported: datetime.date, scores: dict[int, int]) -> Review:
    scale = current_scale()
    review = Review.objects.create(
        program=program,
        scale=scale,
        kind=Review.Kind.FOLLOW_UP,
        status=Review.Status.DELIVERED,
        due_on=reported - datetime.timedelta(days=20),
        consensus_completed_at=timezone.make_aware(datetime.datetime.combine(reported, datetime.time(9))),
        report_date=reported,
    )
    items = {item.number: item for item in scale.items.all()}
    ConsensusScore.objects.bulk_create(
        ConsensusScore(review=review, item=items[n], score=scores.get(n, 4)) for n in range(1, 26)
    )
    return review


def _action(review: Review, title: str, item_numbers: list[int]) -> ActionItem:
    action = ActionItem.objects.create(review=review, title=title, due_on=review.report_date)
    action.items.set(review.scale.items.filter(number__in=item_numbers))
    return action


def _reports(program: Program, worked: list[int]) -> None:
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            program=program,
            year=2025,
            quarter=q,
            definition_code=DEFAULT_CODE,
            definition_version=1,
            source=Source.SUBMITTED,
            status=Status.ACCEPTED,
            due_on=Quarter(2025, q).last_day,
            served=40,
            worked=w,
        )
        for q, w in enumerate(worked, start=1)
    )


def chain_world(world: World) -> tuple[Review, Review, ActionItem]:
    p1 = world.programs["p1"]
    first = _review(p1, D(2025, 3, 15), {5: 2, 12: 3})
    second = _review(p1, D(2026, 3, 15), {5: 4, 12: 3})
    action = _action(first, "Weekly job-development plan per specialist", [5])
    _reports(p1, [12, 14, 18, 22])
    collab_services.ta_log(
        actor=world.trainer,
        program=p1,
        date=D(2025, 5, 2),
        kind="visit",
        topics="Employer contacts: shadowed two specialists",
        hours=Decimal("3.0"),
        fidelity_items=[12],
        action_item_ids=[action.pk],
    )
    return first, second, action


def test_the_chain_shows_finding_action_assistance_next_score_and_trend(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    chain_world(world)
    url = reverse("program_fidelity_chain", args=[world.programs["p1"].pk])
    page = client_for(world.director).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Item 5:" in text and "scored 2" in text
    assert "Weekly job-development plan per specialist" in text
    assert "Employer contacts: shadowed two specialists" in text  # by its action (item 5) and by item 12
    assert "Scored 4" in text and "(+2)" in text
    assert "Scored 3" in text and "(0)" in text  # item 12 did not move
    assert "30.0%" in text and "55.0%" in text  # 12/40 before, 22/40 three quarters after
    assert "2024 Q4" in text and "not reported" in text
    # Item 12 was low in the second review too: a finding with no later review yet.
    assert "No later review with a completed consensus yet." in text


def test_outsiders_get_404_and_partners_see_only_delivered_reviews(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    first, _, _ = chain_world(world)
    url = reverse("program_fidelity_chain", args=[world.programs["p1"].pk])
    for outsider in (world.other_agency_director, world.other_state_lead, world.other_state_director):
        assert client_for(outsider).get(url).status_code == 404
    Review.objects.filter(pk=first.pk).update(status=Review.Status.REPORTING, report_date=None)
    director_page = client_for(world.director).get(url).content.decode()
    assert "Weekly job-development plan" not in director_page  # a report still being drafted
    assert "Weekly job-development plan" in client_for(world.state_lead).get(url).content.decode()


def test_the_chain_runs_a_fixed_number_of_queries(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    p1 = world.programs["p1"]
    first, _, action = chain_world(world)
    director = client_for(world.director)
    url = reverse("program_fidelity_chain", args=[p1.pk])
    director.get(url)
    with CaptureQueriesContext(connection) as small:
        director.get(url)
    third = _review(p1, D(2027, 3, 15), {n: 2 for n in range(1, 26)})
    for n in range(1, 6):
        _action(third, f"Action {n}", [n, n + 5])
        _action(first, f"Earlier action {n}", [n])
    TAActivity.objects.bulk_create(
        TAActivity(
            program=p1,
            trainer=world.trainer,
            date=D(2026, 6, n),
            kind="call",
            topics=f"Call {n}",
            hours=Decimal(1),
            fidelity_items=[n],
            action_item_ids=[action.pk],
        )
        for n in range(1, 20)
    )
    with CaptureQueriesContext(connection) as large:
        response = director.get(url)
    assert response.content.decode().count("usa-summary-box__heading") > 25
    assert len(large) == len(small)


def test_a_ta_entry_names_only_real_items_and_the_programs_own_actions(world: World) -> None:
    _, _, action = chain_world(world)
    other = _action(_review(world.programs["p2"], D(2025, 3, 15), {1: 2}), "Another program's action", [1])
    entry = {"program": world.programs["p1"], "date": D(2025, 6, 1), "kind": "call", "topics": "t", "hours": Decimal(1)}
    with pytest.raises(ValidationError) as refused:
        collab_services.ta_log(actor=world.trainer, **entry, fidelity_items=[26], action_item_ids=[other.pk])
    assert set(refused.value.message_dict) == {"fidelity_items", "action_item_ids"}
    saved = collab_services.ta_log(actor=world.trainer, **entry, fidelity_items=[7, 3, 7], action_item_ids=[action.pk])
    assert (saved.fidelity_items, saved.action_item_ids) == ([3, 7], [action.pk])


def test_the_ta_form_takes_the_items(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _, _, action = chain_world(world)
    p1 = world.programs["p1"]
    url = reverse("collaboration:technical_assistance", args=[p1.pk])
    trainer = client_for(world.trainer)
    form_page = trainer.get(url).content.decode()
    assert "Weekly job-development plan per specialist" in form_page and 'value="25"' in form_page
    posted = {"date": "2025-06-03", "kind": "visit", "hours": "2", "topics": "Job development"}
    bad = trainer.post(url, {**posted, "hours": "", "fidelity_items": ["5", "99"]})
    assert bad.status_code == 400
    assert "checked" in bad.content.decode()  # what was ticked stays ticked
    good = trainer.post(url, {**posted, "fidelity_items": ["5"], "action_item_ids": [str(action.pk)]})
    assert good.status_code == 302
    logged = TAActivity.objects.get(topics="Job development")
    assert (logged.fidelity_items, logged.action_item_ids) == ([5], [action.pk])
