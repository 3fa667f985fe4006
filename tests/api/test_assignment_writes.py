"""The roles matrix through the API: a person's update by hand, a state lead's bulk waiver, the catalog's rules."""

import pytest

from ipshub.implementation import services as implementation_services
from ipshub.implementation.models import Assignment
from tests.api.test_api import assert_error, if_match
from tests.world import World

pytestmark = pytest.mark.django_db


def _assignment(world: World, key: str) -> Assignment:
    implementation_services.program_setup_sync(world.programs["p1"])
    return Assignment.objects.get(program=world.programs["p1"], responsibility__key=key)


def test_the_catalog_says_how_each_responsibility_is_fulfilled(world: World, api) -> None:
    body = api(world.director).get("/api/v1/catalog/responsibilities/?page_size=100").json()
    assert body["count"] == 98
    kinds = {row["fulfilment"]["kind"] for row in body["results"]}
    assert kinds <= {"event", "record", "recurring", "confirmation"}
    for row in body["results"]:
        assert set(row["fulfilment"]) == {"kind", "describe", "period"}
        assert row["fulfilment"]["describe"].endswith(".")
        assert (row["fulfilment"]["period"] is not None) == (row["fulfilment"]["kind"] == "recurring") or row[
            "fulfilment"
        ]["kind"] == "confirmation"
    assert sum(row["fulfilment"]["kind"] == "confirmation" for row in body["results"]) <= 5


def test_a_person_updates_an_assignment_by_hand_with_a_comment(world: World, api) -> None:
    item = _assignment(world, "R-PRI-MH-02")
    client = api(world.director)
    url = f"/api/v1/assignments/{item.pk}/"
    refused = assert_error(client.patch(url, {"status": "done"}, format="json", **if_match(client, url)), 400)
    assert "comment" in refused["fields"] and "Say in a comment why" in refused["fields"]["comment"][0]
    item.refresh_from_db()
    assert item.status == "not_started"
    wrong = client.patch(url, {"status": "finished", "owner": "x"}, format="json", **if_match(client, url))
    assert set(assert_error(wrong, 400)["fields"]) == {"status", "owner"}
    done = client.patch(
        url, {"status": "done", "comment": "Met the DVR director in May."}, format="json", **if_match(client, url)
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["status_source"] == "person"
    assert "Met the DVR director in May." in done.json()["status_reason"]
    # Another party's people may not change it; outsiders do not see it.
    assert_error(api(world.counselor).patch(f"/api/v1/assignments/{item.pk}/", {"notes": "x"}, format="json"), 403)
    for name in ("other_agency_director", "other_state_lead"):
        assert_error(api(world.people[name]).patch(f"/api/v1/assignments/{item.pk}/", {}, format="json"), 404)


def test_naming_an_owner_never_names_a_person_the_caller_may_not_see(world: World, api) -> None:
    item = _assignment(world, "R-PRI-MH-02")
    client = api(world.director)
    url = f"/api/v1/assignments/{item.pk}/"
    for stranger in ("other_state_director", "other_agency_director"):
        person = world.people[stranger]
        refused = assert_error(client.patch(url, {"owner": person.pk}, format="json", **if_match(client, url)), 400)
        message = refused["fields"]["owner"][0]
        assert message == f"There is no person with id {person.pk} that you can see."
        assert person.last_name not in str(refused) and person.first_name not in str(refused)
    # A colleague of the assigned agency is named as owner.
    owner = client.patch(url, {"owner": world.case_manager.pk}, format="json", **if_match(client, url))
    assert owner.status_code == 200, owner.content
    assert item.organization_id == world.orgs["mh1"].pk


def test_a_state_lead_waives_in_bulk_through_the_api(world: World, api) -> None:
    implementation_services.program_setup_sync(world.programs["p1"])
    ids = list(Assignment.objects.filter(program=world.programs["p1"], party_key="dvr").values_list("pk", flat=True))
    lead = api(world.state_lead)
    no_reason = assert_error(
        lead.post("/api/v1/assignments/bulk/", {"action": "waive", "assignments": ids}, format="json"), 400
    )
    assert "reason" in no_reason["fields"]
    assert not Assignment.objects.filter(pk__in=ids, status="not_applicable").exists()
    unknown = lead.post(
        "/api/v1/assignments/bulk/", {"action": "waive", "reason": "x", "assignments": [*ids, 99999]}, format="json"
    )
    assert "99999" in assert_error(unknown, 400)["fields"]["assignments"][0]
    other_state = api(world.other_state_lead).post(
        "/api/v1/assignments/bulk/", {"action": "waive", "reason": "x", "assignments": ids}, format="json"
    )
    assert_error(other_state, 400)  # not theirs to see: reported as unknown ids, nothing changed
    assert_error(
        api(world.director).post(
            "/api/v1/assignments/bulk/", {"action": "waive", "reason": "x", "assignments": ids}, format="json"
        ),
        403,
    )
    ok = lead.post(
        "/api/v1/assignments/bulk/",
        {"action": "waive", "reason": "No DVR office serves the county yet.", "assignments": ids},
        format="json",
    )
    assert ok.status_code == 200 and ok.json() == {"changed": len(ids)}
    assert Assignment.objects.filter(pk__in=ids, status="not_applicable").count() == len(ids)
    listed = lead.get(f"/api/v1/assignments/?program={world.programs['p1'].pk}&status=not_applicable").json()
    assert listed["count"] == len(ids)
    restored = lead.post("/api/v1/assignments/bulk/", {"action": "restore", "assignments": ids}, format="json")
    assert restored.json() == {"changed": len(ids)}
