"""Self-assessment (issue #26): the program's own people score the items; the page compares the latest
self-assessment with the estimate from the records and the last delivered review. Services, access, pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import access, comparison
from ipshub.fidelity.models import SelfAssessment, SelfAssessmentScore
from ipshub.fidelity.scales import current_scale
from ipshub.fidelity.self_assessment_services import (
    SelfScoreEntry,
    self_assessment_create,
    self_assessment_update,
)
from tests.fidelity import factories

pytestmark = pytest.mark.django_db

# The review scored SCORES (factories): the team scores items 1 and 13 higher, 12 lower, 2 and 3 the same.
OWN = {1: 5, 2: 5, 3: 5, 12: 1, 13: 5}


def entries(scores: dict[int, int], **notes: str) -> list[SelfScoreEntry]:
    items = {item.number: item for item in current_scale().items.all()}
    return [
        SelfScoreEntry(item=items[n], score=str(score), note=notes.get(f"note_{n}", "")) for n, score in scores.items()
    ]


def make(world, scores: dict[int, int] = OWN, days_ago: int = 1, person: str = "supervisor") -> SelfAssessment:  # type: ignore[no-untyped-def]
    return self_assessment_create(
        actor=world.people[person],
        program=world.programs["p1"],
        assessed_on=factories.days(-days_ago),
        participants="IPS supervisor and two specialists",
        entries=entries(scores, note_12="We have no benefits planner yet."),
    )


# --- Services ------------------------------------------------------------------------------------------


def test_create_saves_scores_and_audits(world) -> None:
    assessment = make(world)
    assert dict(assessment.scores.values_list("item__number", "score")) == OWN
    assert assessment.scores.get(item__number=12).note == "We have no benefits planner yet."
    event = AuditEvent.objects.get(action="fidelity.self_assessment_create")
    assert event.detail["items_scored"] == "5"
    assert event.detail["total_of_scored"] == str(sum(OWN.values()))


@pytest.mark.parametrize("person", ["supervisor", "specialist", "director"])
def test_the_programs_own_people_write(world, person) -> None:
    assert make(world, person=person).created_by == world.people[person]


@pytest.mark.parametrize(
    "person", ["state_lead", "trainer", "admin", "reviewer", "case_manager", "counselor", "other_agency_director"]
)
def test_others_may_not_write(world, person) -> None:
    with pytest.raises(PermissionDenied):
        make(world, person=person)


def test_update_replaces_scores_and_audits(world) -> None:
    assessment = make(world)
    self_assessment_update(
        actor=world.specialist,
        assessment=assessment,
        assessed_on=factories.days(0),
        participants="The whole unit",
        note="Second meeting",
        entries=entries({1: 4, 25: 5}),
    )
    assessment.refresh_from_db()
    assert dict(assessment.scores.values_list("item__number", "score")) == {1: 4, 25: 5}
    assert assessment.updated_by == world.specialist and assessment.note == "Second meeting"
    assert AuditEvent.objects.filter(action="fidelity.self_assessment_update").count() == 1


def test_every_problem_at_once(world) -> None:
    items = {item.number: item for item in current_scale().items.all()}
    with pytest.raises(ValidationError) as caught:
        self_assessment_create(
            actor=world.supervisor,
            program=world.programs["p1"],
            assessed_on=factories.days(3),
            entries=[
                SelfScoreEntry(item=items[1], score="", note="a note without a score"),
                SelfScoreEntry(item=items[2], score="7"),
            ],
        )
    errors = caught.value.message_dict
    assert set(errors) == {"assessed_on", "score_1", "score_2"}
    assert "future" in errors["assessed_on"][0]
    with pytest.raises(ValidationError) as caught:
        self_assessment_create(
            actor=world.supervisor, program=world.programs["p1"], assessed_on=factories.days(0), entries=[]
        )
    assert caught.value.message_dict == {"__all__": ["Score at least one item."]}
    assert not SelfAssessment.objects.exists()


def test_database_refuses_a_score_outside_1_to_5(world) -> None:
    from django.db import IntegrityError, transaction

    assessment = make(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessmentScore.objects.create(assessment=assessment, item=current_scale().items.get(number=9), score=6)


# --- Access --------------------------------------------------------------------------------------------


def test_who_reads(world) -> None:
    program = world.programs["p1"]
    for name in ("supervisor", "specialist", "director", "state_lead", "trainer", "admin"):
        assert access.get_self_assessment_program_for(world.people[name], program.pk) == program, name
    # The reviewers' scores are meant to be independent: a reviewer doesn't see the program's own scoring.
    for name in ("reviewer", "case_manager", "counselor", "dvr_supervisor", "other_agency_director"):
        with pytest.raises(Http404):
            access.get_self_assessment_program_for(world.people[name], program.pk)
    for name in ("other_state_lead", "other_state_admin", "other_state_director"):
        with pytest.raises(Http404):
            access.get_self_assessment_program_for(world.people[name], program.pk)


def test_reviewer_on_the_programs_review_still_does_not_see_it(world, client_for) -> None:
    review = factories.delivered_review(world)
    assessment = make(world)
    for person in (world.reviewer, factories.second_reviewer(world)):
        client = client_for(person)
        assert client.get(f"/fidelity/self-assessments/{assessment.pk}/").status_code == 404
        assert client.get(f"/fidelity/programs/{review.program_id}/comparison/").status_code == 404
        assert client.get(f"/fidelity/programs/{review.program_id}/self-assessments/").status_code == 404


@pytest.mark.parametrize("name", ["other_agency_director", "other_agency_specialist", "other_state_lead", "reviewer"])
def test_outsiders_get_404_everywhere(world, client_for, name) -> None:
    assessment = make(world)
    program_id = world.programs["p1"].pk
    client = client_for(world.people[name])
    for url in (
        f"/fidelity/self-assessments/{assessment.pk}/",
        f"/fidelity/programs/{program_id}/self-assessments/",
        f"/fidelity/programs/{program_id}/self-assessments/new/",
        f"/fidelity/programs/{program_id}/comparison/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"assessed_on": "2026-12-01", "score_1": "5"}).status_code == 404, url
    assert "Program P1" not in client.get("/fidelity/self-assessments/").content.decode()


def test_state_team_reads_but_may_not_write(world, client_for) -> None:
    assessment = make(world)
    client = client_for(world.state_lead)
    page = client.get(f"/fidelity/self-assessments/{assessment.pk}/")
    assert page.status_code == 200
    assert "Save the self-assessment" not in page.content.decode()
    assert client.post(f"/fidelity/self-assessments/{assessment.pk}/", {"score_1": "1"}).status_code == 403
    new = f"/fidelity/programs/{world.programs['p1'].pk}/self-assessments/new/"
    assert client.get(new).status_code == 403


# --- The comparison ------------------------------------------------------------------------------------


def test_comparison_lines_up_the_three_scores(world) -> None:
    review = factories.delivered_review(world)
    make(world)
    result = comparison.comparison_for(world.programs["p1"], factories.days(0))
    rows = {row.item.number: row for row in result.rows}
    assert len(rows) == 25
    assert rows[1].self_score == 5 and rows[1].review == factories.SCORES[0]
    assert rows[2].self_minus_review == 5 - factories.SCORES[1]
    assert rows[12].self_minus_review == 1 - factories.SCORES[11]
    assert rows[20].self_score is None and rows[20].self_minus_review is None
    assert result.review == review
    # Item 12: self 1, review 2; item 3: 5 vs 5; the disagreements are the items 2+ points apart, most first.
    assert all(r.spread is not None and r.spread >= 2 for r in result.disagreements)
    spreads = [r.spread for r in result.disagreements]
    assert spreads == sorted(spreads, reverse=True)
    assert {r.item.number for r in result.higher_than_review} == {1, 13}
    assert {r.item.number for r in result.lower_than_review} == {12}


def test_comparison_without_anything_yet(world) -> None:
    result = comparison.comparison_for(world.programs["p1"], factories.days(0))
    assert result.assessment is None and result.review is None and result.self_total is None
    assert len(result.rows) == 25 and result.disagreements == []


def test_the_latest_self_assessment_is_compared(world) -> None:
    make(world, {1: 2}, days_ago=30)
    latest = make(world, {1: 4}, days_ago=2)
    result = comparison.comparison_for(world.programs["p1"], factories.days(0))
    assert result.assessment == latest and result.rows[0].self_score == 4


# --- Pages ---------------------------------------------------------------------------------------------


def test_new_form_keeps_input_and_shows_every_error(world, client_for) -> None:
    url = reverse("fidelity:self_assessment_new", kwargs={"program_id": world.programs["p1"].pk})
    client = client_for(world.supervisor)
    page = client.get(url).content.decode()
    assert page.count('class="fidelity-anchors"') == 25  # each item with its anchors
    response = client.post(
        url,
        {"assessed_on": "not a date", "participants": "kept participants", "note_4": "kept note", "score_7": "9"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "kept participants" in body and "kept note" in body
    assert "Note (item 4)" in body and "choose a score for the note" in body
    assert "Our score for item 7" in body  # the bad choice is named in the summary
    assert "Day the team scored" in body
    assert not SelfAssessment.objects.exists()


def test_new_then_edit(world, client_for) -> None:
    program = world.programs["p1"]
    client = client_for(world.specialist)
    response = client.post(
        reverse("fidelity:self_assessment_new", kwargs={"program_id": program.pk}),
        {
            "assessed_on": factories.days(0).isoformat(),
            "participants": "Unit",
            "score_1": "4",
            "note_1": "Caseloads 22",
        },
    )
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get()
    assert response["Location"].endswith(f"/fidelity/programs/{program.pk}/comparison/#a-{assessment.pk}")
    url = reverse("fidelity:self_assessment_detail", kwargs={"self_assessment_id": assessment.pk})
    page = client.get(url).content.decode()
    assert "Caseloads 22" in page and "Save the self-assessment" in page
    response = client.post(url, {"assessed_on": factories.days(-1).isoformat(), "score_1": "3", "score_2": "5"})
    assert response.status_code == 302
    assert dict(assessment.scores.values_list("item__number", "score")) == {1: 3, 2: 5}


def test_comparison_page_highlights_differences(world, client_for) -> None:
    factories.delivered_review(world)
    make(world)
    url = reverse("fidelity:fidelity_comparison", kwargs={"program_id": world.programs["p1"].pk})
    body = client_for(world.supervisor).get(url).content.decode()
    assert "Where the scores disagree most" in body
    assert "higher than the review" in body and "lower than the review" in body
    assert "The team scored 2 items higher than the last review and 1 lower." in " ".join(body.split())
    ordered = client_for(world.supervisor).get(url + "?order=difference")
    assert ordered.status_code == 200
    assert client_for(world.supervisor).get(url + "?order=nonsense").status_code == 400


def test_estimate_page_links_to_the_comparison(world, client_for) -> None:
    program = world.programs["p1"]
    body = client_for(world.supervisor).get(f"/fidelity/programs/{program.pk}/estimate/").content.decode()
    assert f"/fidelity/programs/{program.pk}/comparison/" in body


def test_navigation_leads_a_specialist_to_self_assessments(world, client_for) -> None:
    body = client_for(world.specialist).get("/").content.decode()
    assert reverse("fidelity:self_assessment_index") in body


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_a_fixed_number_of_queries(world, client_for) -> None:
    program = world.programs["p1"]
    client = client_for(world.supervisor)
    first = make(world, days_ago=40)
    factories.delivered_review(world)
    urls = [
        reverse("fidelity:self_assessment_index"),
        reverse("fidelity:self_assessment_list", kwargs={"program_id": program.pk}),
        reverse("fidelity:self_assessment_detail", kwargs={"self_assessment_id": first.pk}),
        reverse("fidelity:fidelity_comparison", kwargs={"program_id": program.pk}),
    ]
    for url in urls:
        client.get(url)  # warm caches
    small = [_queries(client, url) for url in urls]
    for n in range(2, 12):
        make(world, {i: 1 + (i + n) % 5 for i in range(1, 26)}, days_ago=n)
    large = [_queries(client, url) for url in urls]
    assert small == large


def test_the_list_shows_the_totals(world, client_for) -> None:
    make(world, days_ago=20)
    make(world, {n: 4 for n in range(1, 26)}, days_ago=2)
    body = (
        client_for(world.trainer)
        .get(reverse("fidelity:self_assessment_list", kwargs={"program_id": world.programs["p1"].pk}))
        .content.decode()
    )
    assert "2 self-assessments" in body and "100 of 125" in body and "(latest)" in body
    assert "Start a new self-assessment" not in body  # the trainer reads


def test_a_new_self_assessment_can_start_from_the_latest(world, client_for) -> None:
    make(world)
    url = reverse("fidelity:self_assessment_new", kwargs={"program_id": world.programs["p1"].pk})
    client = client_for(world.supervisor)
    blank = client.get(url).content.decode()
    assert "Start from the latest self-assessment" in blank and "No benefits planner" not in blank
    copied = client.get(url + "?from=latest").content.decode()
    assert "We have no benefits planner yet." in copied and "Start from blank instead" in copied
    assert '<option value="5" selected>5</option>' in copied
