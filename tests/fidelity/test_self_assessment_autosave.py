"""The self-assessment saves each item as the team scores it (#26), as the reviewer's score page does: one item
at a time through one service, a blank score unscores, the first item of a new self-assessment creates it;
refusals answered with their reasons, never a 500; the API's per-item POST; outsiders see nothing."""

import pytest
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.fidelity.models import SelfAssessment, SelfAssessmentScore
from tests.fidelity.test_self_assessment import make

pytestmark = pytest.mark.django_db


def _item_url(assessment: SelfAssessment, number: int) -> str:
    return reverse(
        "fidelity:self_assessment_item_save", kwargs={"self_assessment_id": assessment.pk, "item_number": number}
    )


def _first_url(program_id: int, number: int) -> str:
    return reverse("fidelity:self_assessment_first_item", kwargs={"program_id": program_id, "item_number": number})


def test_one_item_saves_and_answers_how_many_are_scored(world, client_for) -> None:
    assessment = make(world)  # items 1, 2, 3, 12, 13
    client = client_for(world.specialist)
    response = client.post(_item_url(assessment, 4), {"score_4": "3", "note_4": "Two of us ask every client."})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["saved"] is True and answer["item_scored"] is True
    assert (answer["item"], answer["scored"], answer["item_count"]) == (4, 6, 25)
    assert len(answer["saved_at_text"]) == 5
    assert answer["save_url_template"].endswith(f"/self-assessments/{assessment.pk}/items/{{item}}/")
    row = SelfAssessmentScore.objects.get(assessment=assessment, item__number=4)
    assert (row.score, row.note) == (3, "Two of us ask every client.")
    assessment.refresh_from_db()
    assert assessment.updated_by == world.specialist
    assert dict(assessment.scores.values_list("item__number", "score"))[12] == 1  # the others untouched
    event = AuditEvent.objects.get(action="fidelity.self_assessment_item_save")
    assert event.detail["item"] == "4" and event.detail["items_scored"] == "6"
    # A blank score unscores the item: the team has not agreed on it yet.
    cleared = client.post(_item_url(assessment, 12), {"score_12": "", "note_12": ""}).json()
    assert cleared["saved"] is True and cleared["item_scored"] is False and cleared["scored"] == 5
    assert not assessment.scores.filter(item__number=12).exists()


def test_refusals_are_answered_with_reasons_and_save_nothing(world, client_for) -> None:
    assessment = make(world)
    client = client_for(world.supervisor)
    cases = [
        ({"score_4": "", "note_4": "a note before the score"}, "choose a score for the note"),
        ({"score_4": "9"}, "Item 4: Choose one of the options"),
        ({"score_4": "3", "note_4": "x" * 4001}, "4000"),
    ]
    for body, message in cases:
        response = client.post(_item_url(assessment, 4), body)
        assert response.status_code == 400, body
        assert response.json()["saved"] is False
        assert message in " ".join(response.json()["errors"]), response.json()
    assert not assessment.scores.filter(item__number=4).exists()
    assert client.post(_item_url(assessment, 26), {"score_26": "3"}).status_code == 404
    assert client.get(_item_url(assessment, 4)).status_code == 405


def test_the_first_item_of_a_new_self_assessment_creates_it(world, client_for) -> None:
    program = world.programs["p1"]
    client = client_for(world.supervisor)
    refused = client.post(_first_url(program.pk, 5), {"score_5": ""})
    assert refused.status_code == 400 and not SelfAssessment.objects.exists()
    answer = client.post(_first_url(program.pk, 5), {"score_5": "4", "note_5": "Weekly meetings"}).json()
    created = SelfAssessment.objects.get()
    assert answer["saved"] is True and answer["scored"] == 1
    assert answer["self_assessment_url"] == f"/fidelity/self-assessments/{created.pk}/"
    assert dict(created.scores.values_list("item__number", "score")) == {5: 4}
    # The page, opened again, shows the bar with the saved count and the item marked saved.
    page = client.get(answer["self_assessment_url"]).content.decode()
    assert "1 of 25 scored" in page and "data-unscored-saves" in page and "fidelity/scoring" in page


def test_only_the_programs_people_save_and_outsiders_see_nothing(world, client_for) -> None:
    assessment = make(world)
    program_id = world.programs["p1"].pk
    for name in ("state_lead", "trainer"):
        client = client_for(world.people[name])
        assert client.post(_item_url(assessment, 4), {"score_4": "5"}).status_code == 403, name
        assert client.post(_first_url(program_id, 4), {"score_4": "5"}).status_code == 403, name
    for name in ("reviewer", "other_agency_director", "other_state_lead"):
        client = client_for(world.people[name])
        assert client.post(_item_url(assessment, 4), {"score_4": "5"}).status_code == 404, name
        assert client.post(_first_url(program_id, 4), {"score_4": "5"}).status_code == 404, name
    assert not assessment.scores.filter(item__number=4).exists()
    assert SelfAssessment.objects.count() == 1
