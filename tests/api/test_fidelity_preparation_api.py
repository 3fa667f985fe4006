"""Review preparation through the API (issue #26): the timeline and checklist, answering with a file, the
checklist file's download, marking a step, the chart-review worksheet; the same access as the web."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.audit.models import AuditEvent
from ipshub.fidelity.models import PrepTask, Review
from tests.api.test_api import assert_error
from tests.clients.factories import enroll
from tests.fidelity import factories, prep_factories
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_state_director", "other_state_lead")


def test_answering_a_request_and_reading_the_answers(world: World, api) -> None:
    review = factories.planned_review(world, visit_in=30)  # the reviewers' window opens in 16 days
    request = prep_factories.with_checklist(world, review)[0]
    url = f"/api/v1/fidelity-document-requests/{request.pk}/answer/"
    answered = api(world.supervisor).post(
        url, {"note": "The list", "file": SimpleUploadedFile("caseload.pdf", prep_factories.PDF)}, format="multipart"
    )
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["answered_at"] and body["answer"]["note"] == "The list"
    file_url = body["answer"]["files"][0]["file_url"]
    bad = api(world.supervisor).post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ")}, format="multipart")
    assert "file" in assert_error(bad, 400)["fields"]
    assert_error(api(world.state_lead).post(url, {"note": "x"}, format="multipart"), 403)
    preparation_url = f"/api/v1/fidelity-reviews/{review.pk}/preparation/"
    # Before the window: the reviewer sees the request is answered, not the answer; the file is not there.
    seen = api(world.reviewer).get(preparation_url).json()
    assert seen["checklist"][0]["answered_at"] and seen["checklist"][0]["answer"] is None
    assert len(seen["timeline"]) == 6
    assert_error(api(world.reviewer).get(file_url), 404)
    Review.objects.filter(pk=review.pk).update(window_opens=factories.days(-1))
    assert api(world.reviewer).get(preparation_url).json()["checklist"][0]["answer"]["note"] == "The list"
    download = api(world.reviewer).get(file_url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="fidelity.document_download", actor=world.reviewer).count() == 1
    for name in OUTSIDERS:
        outsider = api(world.people[name])
        assert_error(outsider.get(preparation_url), 404)
        assert_error(outsider.get(file_url), 404)
        assert_error(outsider.post(url, {"note": "x"}, format="multipart"), 404)
        assert_error(outsider.delete(file_url.removesuffix("file/")), 404)
    assert_error(api(world.reviewer).delete(file_url.removesuffix("file/")), 403)
    assert api(world.supervisor).delete(file_url.removesuffix("file/")).status_code == 204
    assert_error(api(world.reviewer).get(file_url), 404)


def test_marking_a_step(world: World, api) -> None:
    review = factories.planned_review(world)
    task = review.prep_tasks.get(key="kickoff")
    url = f"/api/v1/fidelity-prep-tasks/{task.pk}/done/"
    done = api(world.director).post(url, {"done": True}, format="json")
    assert done.status_code == 200 and done.json()["done_at"] and done.json()["done_by"]["id"] == world.director.pk
    assert PrepTask.objects.get(pk=task.pk).is_done
    assert_error(api(world.director).post(url, {"done": "perhaps"}, format="json"), 400)
    assert_error(api(world.counselor).post(url, {"done": False}, format="json"), 403)
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).post(url, {"done": False}, format="json"), 404)


def test_the_worksheet(world: World, api) -> None:
    enrollment = enroll(world, first="Worksheetperson")
    review = factories.planned_review(world, visit_in=3)
    url = f"/api/v1/fidelity-reviews/{review.pk}/chart-worksheet/"
    answer = api(world.reviewer).get(url)
    assert answer.status_code == 200
    rows = answer.json()["rows"]
    assert [row["enrollment_id"] for row in rows] == [enrollment.pk] and rows[0]["name"].startswith("Worksheetperson")
    event = AuditEvent.objects.filter(action="fidelity.chart_worksheet").latest("pk")
    assert event.detail["how"] == "api" and event.detail["clients"] == [enrollment.client_id]
    for name in ("state_lead", "counselor", *OUTSIDERS):
        assert_error(api(world.people[name]).get(url), 404)


def test_the_api_marks_with_a_note_and_shows_what_completed_a_step(api, world) -> None:
    from tests.fidelity import factories

    review = factories.planned_review(world)
    task = review.prep_tasks.get(key="kickoff")
    url = f"/api/v1/fidelity-prep-tasks/{task.pk}/done/"
    answer = api(world.state_lead).post(url, {"done": True, "note": "Call held"}, format="json").json()
    assert answer["done_note"] == "Call held" and answer["done_by_work"] == ""
    assert api(world.state_lead).post(url, {"done": True, "note": "x" * 1001}, format="json").status_code == 400


def test_reviewers_choose_the_chart_sample_size(api, world) -> None:
    from tests.fidelity import factories

    review = factories.planned_review(world)
    url = f"/api/v1/fidelity-reviews/{review.pk}/chart-worksheet/sample-size/"
    answer = api(world.reviewer).post(url, {"sample_size": 25}, format="json")
    assert answer.status_code == 200 and answer.json() == {"sample_size": 25}
    for bad in (0, 51, "many", None):
        refused = api(world.reviewer).post(url, {"sample_size": bad}, format="json")
        assert refused.status_code == 400 and "sample_size" in refused.json()["error"]["fields"], bad
    assert api(world.reviewer).post(url, {"sample_size": 5, "x": 1}, format="json").status_code == 400
    assert api(world.supervisor).post(url, {"sample_size": 5}, format="json").status_code == 403
    assert api(world.other_state_lead).post(url, {"sample_size": 5}, format="json").status_code == 404
    review.refresh_from_db()
    assert review.chart_sample_size == 25
    worksheet = api(world.reviewer).get(f"/api/v1/fidelity-reviews/{review.pk}/chart-worksheet/")
    assert worksheet.status_code == 200 and worksheet.json()["sample_size"] == 25
