"""Scoring that cannot lose work (#26): one item saved at a time through the same service as the whole form;
the score page's sections, progress count and script; refusals answered, never a 500; outsiders see nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import services
from ipshub.fidelity.models import Review, ReviewerScore
from tests.fidelity import factories

pytestmark = pytest.mark.django_db


def _item_url(review: Review, number: int) -> str:
    return reverse("fidelity:score_item_save", kwargs={"review_id": review.pk, "item_number": number})


def test_one_item_saves_and_answers_when_and_how_many(world, client_for) -> None:
    review = factories.planned_review(world)
    client = client_for(world.reviewer)
    response = client.post(
        _item_url(review, 4), {"score_4": "3", "reason_4": "", "notes_4": "Seen in the charts.", "sources_4": "Charts"}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["saved"] is True and answer["item"] == 4
    assert (answer["scored"], answer["item_count"]) == (1, 25)
    assert len(answer["saved_at_text"]) == 5  # "10:42"
    saved = ReviewerScore.objects.get(review=review, reviewer=world.reviewer)
    assert (saved.item.number, saved.score, saved.notes, saved.data_sources) == (4, 3, "Seen in the charts.", "Charts")
    review.refresh_from_db()
    assert review.status == Review.Status.SCORING
    assert AuditEvent.objects.filter(action="fidelity.scores_save", actor=world.reviewer).exists()
    # Saved again (a note added): the same row, the count unchanged.
    again = client.post(_item_url(review, 4), {"score_4": "4", "notes_4": "Seen in the charts and the logs."})
    assert again.json()["scored"] == 1
    saved.refresh_from_db()
    assert (saved.score, saved.notes) == (4, "Seen in the charts and the logs.")


def test_refusals_are_answered_with_their_reasons_and_save_nothing(world, client_for) -> None:
    review = factories.planned_review(world)
    client = client_for(world.reviewer)
    cases = [
        ({"score_3": "cannot", "reason_3": ""}, "say why it can't be rated"),
        ({"score_3": "", "notes_3": "a note before the score"}, "choose a score"),
        ({"score_3": "9"}, "Choose one of the options"),
        ({}, "choose a score"),
    ]
    for body, message in cases:
        response = client.post(_item_url(review, 3), body)
        assert response.status_code == 400, body
        assert response.json()["saved"] is False
        assert message in " ".join(response.json()["errors"]), response.json()
    assert not ReviewerScore.objects.exists()
    assert client.post(_item_url(review, 26), {"score_26": "3"}).status_code == 404
    assert client.get(_item_url(review, 3)).status_code == 405


def test_after_submitting_an_item_can_no_longer_change(world, client_for) -> None:
    review = factories.planned_review(world)
    services.scores_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES))
    services.scores_submit(actor=world.reviewer, review=review)
    response = client_for(world.reviewer).post(_item_url(review, 1), {"score_1": "1"})
    assert response.status_code == 400
    assert "submitted" in " ".join(response.json()["errors"])
    assert ReviewerScore.objects.get(review=review, reviewer=world.reviewer, item__number=1).score == 4


def test_only_the_team_saves_and_outsiders_see_nothing(world, client_for) -> None:
    review = factories.planned_review(world)
    body = {"score_1": "5"}
    for name in ("state_lead", "director", "supervisor", "specialist"):
        assert client_for(world.people[name]).post(_item_url(review, 1), body).status_code == 403, name
    for name in ("other_agency_director", "other_state_lead", "other_state_admin"):
        assert client_for(world.people[name]).post(_item_url(review, 1), body).status_code == 404, name
    assert not ReviewerScore.objects.exists()


def test_the_score_page_has_sections_progress_and_the_script(world, client_for) -> None:
    review = factories.planned_review(world)
    services.scores_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES)[:3])
    page = client_for(world.reviewer).get(reverse("fidelity:review_score", args=[review.pk])).content.decode()
    assert "3 of 25 scored" in page
    assert 'aria-label="Sections of the scale"' in page
    for anchor in ("section-staffing", "section-organization", "section-services"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "(3 of 3)" in page  # staffing: items 1 to 3
    assert page.count("data-save-url=") == 25
    assert page.count("Saved ") >= 3
    assert "fidelity/scoring.js" in page and "data-autosave" in page
    # Once submitted, the page no longer saves by itself.
    services.scores_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES))
    services.scores_submit(actor=world.reviewer, review=review)
    page = client_for(world.reviewer).get(reverse("fidelity:review_score", args=[review.pk])).content.decode()
    assert "data-autosave" not in page


def test_the_score_page_runs_the_same_queries_however_many_items_are_scored(world, client_for) -> None:
    review = factories.planned_review(world)
    client = client_for(world.reviewer)
    url = reverse("fidelity:review_score", args=[review.pk])
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as none_scored:
        client.get(url)
    services.scores_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES))
    with CaptureQueriesContext(connection) as all_scored:
        client.get(url)
    assert len(all_scored.captured_queries) == len(none_scored.captured_queries)
