"""The small records behind the roles matrix's tick-box duties through the API: outreach, IPS materials,
resources sent and data requests (list and create through implementation's services; a data request's
answer is a multipart upload, its file a download). Bad input, the wrong kind of file, readers and
outsiders."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.implementation import services
from ipshub.implementation.models import DataRequestAnswer, OutreachActivity
from tests.api.test_api import assert_error
from tests.implementation.test_records import CSV, DAY, OUTSIDERS, request_for, revenue_resource
from tests.world import World

pytestmark = pytest.mark.django_db


def test_api_lists_and_creates_through_the_services(world: World, api) -> None:
    p1 = world.programs["p1"]
    director = api(world.director)
    created = director.post(
        "/api/v1/outreach/",
        {"program": p1.pk, "held_on": "2025-03-04", "kind": "success_story", "forum": "Pine Valley Gazette"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"]["username"] == "director"
    created = director.post(
        "/api/v1/material-distributions/",
        {"program": p1.pk, "material": "practical_guide", "distributed_on": "2025-03-04", "recipients": "All staff"},
        format="json",
    )
    assert created.status_code == 201, created.content
    lead = api(world.state_lead)
    resource = revenue_resource(world)
    created = lead.post(
        "/api/v1/resource-shares/", {"program": p1.pk, "resource": resource.pk, "sent_on": "2025-03-04"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["resource"]["topic"] == "revenue"
    created = lead.post(
        "/api/v1/data-requests/",
        {"program": p1.pk, "asked_on": "2025-03-04", "due_on": "2025-03-30", "what": "Caseloads", "accepts": "any"},
        format="json",
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["answered"] is False
    for path in ("outreach", "material-distributions", "resource-shares", "data-requests"):
        listed = director.get(f"/api/v1/{path}/?program={p1.pk}")
        assert listed.status_code == 200 and listed.json()["count"] == 1, path
    # The provider answers with a file; the wrong kind is refused and nothing is saved.
    supervisor = api(world.supervisor)
    refused = supervisor.post(
        f"/api/v1/data-requests/{request_id}/", {"file": SimpleUploadedFile("notes.txt", b"hello")}, format="multipart"
    )
    error = assert_error(refused, 400)
    assert "a spreadsheet or a document" in error["fields"]["file"][0]
    assert not DataRequestAnswer.objects.exists()
    answered = supervisor.post(
        f"/api/v1/data-requests/{request_id}/",
        {"file": SimpleUploadedFile("caseloads.csv", CSV), "note": "Q1"},
        format="multipart",
    )
    assert answered.status_code == 201, answered.content
    (sent,) = answered.json()["answers"]
    assert sent["note"] == "Q1" and sent["file_url"]
    download = supervisor.get(sent["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == CSV  # type: ignore[attr-defined]
    # DVR reads the request but not the file.
    counselor = api(world.counselor)
    assert counselor.get(f"/api/v1/data-requests/{request_id}/").json()["answers"][0]["file_url"] is None
    assert_error(counselor.get(sent["file_url"]), 404)


def test_api_bad_input_readers_and_outsiders(world: World, api) -> None:
    p1 = world.programs["p1"]
    asked = request_for(world)
    bad = api(world.director).post(
        "/api/v1/outreach/", {"program": p1.pk, "held_on": "2024-01-01", "kind": "poem", "forum": ""}, format="json"
    )
    error = assert_error(bad, 400)
    assert {"kind", "forum"} <= set(error["fields"])
    bad = api(world.director).post(
        "/api/v1/outreach/",
        {"program": p1.pk, "held_on": "2024-01-01", "kind": "other", "forum": "Fair"},
        format="json",
    )
    assert "before the program was opened" in assert_error(bad, 400)["fields"]["held_on"][0]
    # Readers: 403; the director may not send data requests, the state lead may not answer them.
    outreach = {"program": p1.pk, "held_on": "2025-03-04", "kind": "other", "forum": "Fair"}
    assert_error(api(world.counselor).post("/api/v1/outreach/", outreach, format="json"), 403)
    request = {"program": p1.pk, "asked_on": "2025-03-04", "due_on": "2025-03-30", "what": "x", "accepts": "any"}
    assert_error(api(world.director).post("/api/v1/data-requests/", request, format="json"), 403)
    upload = {"file": SimpleUploadedFile("caseloads.csv", CSV)}
    assert_error(api(world.state_lead).post(f"/api/v1/data-requests/{asked.pk}/", upload, format="multipart"), 403)
    # Outsiders: empty lists, 404 on P1's records and when writing to P1.
    services.outreach_record(actor=world.director, program=p1, held_on=DAY, kind="other", forum="Fair")
    for name in OUTSIDERS:
        client = api(world.people[name])
        for path in ("outreach", "material-distributions", "resource-shares", "data-requests"):
            assert client.get(f"/api/v1/{path}/").json()["count"] == 0, (name, path)
        assert_error(client.get(f"/api/v1/data-requests/{asked.pk}/"), 404)
        assert_error(client.post("/api/v1/outreach/", outreach, format="json"), 404)
        assert_error(client.post("/api/v1/data-requests/", request, format="json"), 404)
        upload = {"file": SimpleUploadedFile("caseloads.csv", CSV)}
        assert_error(client.post(f"/api/v1/data-requests/{asked.pk}/", upload, format="multipart"), 404)
    assert OutreachActivity.objects.count() == 1 and not DataRequestAnswer.objects.exists()
