"""Fidelity self-assessments through the API (issue #26): list, create, read, replace (If-Match) and the
comparison with the running estimate and the last delivered review; the same services and access as the web."""

import pytest

from ipshub.audit.models import AuditEvent
from ipshub.fidelity.models import SelfAssessment
from tests.api.test_api import assert_error, current_etag
from tests.fidelity.factories import SCORES, days, delivered_review

pytestmark = pytest.mark.django_db

BODY = {
    "assessed_on": days(-1).isoformat(),
    "participants": "IPS supervisor and two specialists",
    "note": "First try",
    "items": [{"number": 1, "score": 5, "note": "Caseloads under 20"}, {"number": 12, "score": 1}],
}


def _list_url(world) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/programs/{world.programs['p1'].pk}/self-assessments/"


def _created(api, world) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = api(world.supervisor).post(_list_url(world), BODY, format="json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_create_list_and_get(api, world) -> None:
    created = _created(api, world)
    assert created["items"] == [
        {"number": 1, "name": created["items"][0]["name"], "score": 5, "note": "Caseloads under 20"},
        {"number": 12, "name": created["items"][1]["name"], "score": 1, "note": ""},
    ]
    assert created["total"]["rated_total"] == 6 and created["total"]["rated"] == 2
    assert created["created_by"]["username"] == "supervisor"
    assert AuditEvent.objects.filter(action="fidelity.self_assessment_create").count() == 1
    listed = api(world.trainer).get(_list_url(world)).json()
    assert [row["id"] for row in listed] == [created["id"]] and "items" not in listed[0]
    one = api(world.state_lead).get(f"/api/v1/self-assessments/{created['id']}/")
    assert one.status_code == 200 and one["ETag"]


def test_errors_name_the_body_fields(api, world) -> None:
    body = {**BODY, "assessed_on": days(5).isoformat(), "items": [{"number": 1, "score": 5}, {"number": 1, "score": 4}]}
    error = assert_error(api(world.supervisor).post(_list_url(world), body, format="json"), 400)
    assert "assessed_on" in error["fields"] and "items.1.score" in error["fields"]
    error = assert_error(
        api(world.supervisor).post(_list_url(world), {**BODY, "items": [{"number": 26, "score": 3}]}, format="json"),
        400,
    )
    assert "items" in error["fields"]
    assert_error(api(world.supervisor).post(_list_url(world), {**BODY, "unknown": 1}, format="json"), 400)
    assert not SelfAssessment.objects.exists()


def test_replace_needs_if_match(api, world) -> None:
    created = _created(api, world)
    url = f"/api/v1/self-assessments/{created['id']}/"
    client = api(world.specialist)
    body = {**BODY, "items": [{"number": 2, "score": 4}]}
    assert_error(client.put(url, body, format="json"), 428)
    etag = current_etag(client, url)
    answer = client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert answer.status_code == 200, answer.content
    assert [(i["number"], i["score"]) for i in answer.json()["items"]] == [(2, 4)]
    assert client.put(url, {**body, "note": "again"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert AuditEvent.objects.filter(action="fidelity.self_assessment_update").count() == 1


def test_read_only_people_get_403_and_outsiders_404(api, world) -> None:
    created = _created(api, world)
    url = f"/api/v1/self-assessments/{created['id']}/"
    for name in ("state_lead", "trainer"):
        assert_error(api(world.people[name]).post(_list_url(world), BODY, format="json"), 403)
        assert_error(api(world.people[name]).put(url, BODY, format="json", HTTP_IF_MATCH='"x"'), 403)
    comparison_url = f"/api/v1/programs/{world.programs['p1'].pk}/fidelity-comparison/"
    for name in ("reviewer", "counselor", "other_agency_director", "other_state_lead", "other_state_director"):
        client = api(world.people[name])
        for path in (_list_url(world), url, comparison_url):
            assert_error(client.get(path), 404)
        assert_error(client.post(_list_url(world), BODY, format="json"), 404)
        assert_error(client.put(url, BODY, format="json", HTTP_IF_MATCH='"x"'), 404)


def test_comparison(api, world) -> None:
    review = delivered_review(world)
    _created(api, world)
    answer = api(world.director).get(f"/api/v1/programs/{world.programs['p1'].pk}/fidelity-comparison/")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["review"] == {"id": review.pk, "report_date": review.report_date.isoformat()}
    items = {row["number"]: row for row in data["items"]}
    assert len(items) == 25
    assert items[1]["self_assessment"] == 5 and items[1]["review"] == SCORES[0]
    assert items[1]["self_minus_review"] == 5 - SCORES[0]
    assert items[12]["self_minus_review"] == 1 - SCORES[11]
    assert items[5]["self_assessment"] is None and items[5]["self_minus_review"] is None
    assert data["review_total"]["rated_total"] == sum(SCORES)
    assert set(data) >= {"estimate_start", "estimate_end", "disagreements", "self_total"}


def test_the_change_feed_tells_the_readers_only(api, world) -> None:
    from tests.api.test_changes import _read_all

    created = _created(api, world)
    change = ("self_assessment", created["id"], "fidelity.self_assessment_create")
    for name in ("supervisor", "specialist", "state_lead", "trainer"):
        seen = [(c["kind"], c["id"], c["action"]) for c in _read_all(api(world.people[name]))]
        assert change in seen, name
    for name in ("reviewer", "counselor", "other_agency_director", "other_state_lead"):
        seen = [(c["kind"], c["id"], c["action"]) for c in _read_all(api(world.people[name]))]
        assert change not in seen, name


# --- One item saved as the team scores it (the web form's autosave) ---------------------------------------


def test_the_api_saves_one_item(api, world) -> None:
    from tests.fidelity.test_self_assessment import make

    assessment = make(world)
    url = f"/api/v1/self-assessments/{assessment.pk}/items/4/"
    response = api(world.supervisor).post(url, {"score": 2, "note": "Not yet"}, format="json")
    assert response.status_code == 200, response.content
    assert {"number": 4, "name": response.json()["items"][3]["name"], "score": 2, "note": "Not yet"} in response.json()[
        "items"
    ]
    cleared = api(world.supervisor).post(
        f"/api/v1/self-assessments/{assessment.pk}/items/1/", {"score": None}, format="json"
    )
    assert cleared.status_code == 200 and 1 not in [row["number"] for row in cleared.json()["items"]]
    bad = api(world.supervisor).post(url, {"score": None, "note": "a note"}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()["error"]["fields"]
    assert api(world.supervisor).post(url, {"score": 7}, format="json").status_code == 400
    assert api(world.supervisor).post(url, {"score": 3, "extra": 1}, format="json").status_code == 400
    assert api(world.supervisor).post(url.replace("/4/", "/26/"), {"score": 3}, format="json").status_code == 404
    assert api(world.state_lead).post(url, {"score": 3}, format="json").status_code == 403
    assert api(world.other_state_lead).post(url, {"score": 3}, format="json").status_code == 404
