"""Every action of the web's implementation pages through the API: an assignment's evidence, the roadmap's
strategies and their evidence, the partnership set-up, the kick-off date and the phase override, readiness
assessments, the steering committee, the resource library, and taking back the tick-box records. Each goes
through the same service as the web (the audit event is there), with the web's messages; readers get 403,
outsiders (another agency, another state) 404; updates need If-Match (428 without, 412 stale)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.audit.models import AuditEvent
from ipshub.catalog.models import Strategy
from ipshub.implementation import services
from ipshub.implementation.models import (
    Assignment,
    DataRequestAnswer,
    Evidence,
    MaterialDistribution,
    OutreachActivity,
    PartnershipItem,
    ReadinessAssessment,
    Resource,
    ResourceShare,
    SteeringMember,
)
from tests.api.test_api import assert_error, current_etag, if_match
from tests.implementation.test_records import CSV, DAY, OUTSIDERS, request_for, revenue_resource
from tests.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _audited(action: str, obj: object) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()  # type: ignore[attr-defined]


def _stale(response, etag: str) -> None:
    assert response.status_code == 412, response.content
    assert response.json()["error"]["etag"] == etag and response["ETag"] == etag


def _assignment(world: World) -> Assignment:
    services.program_setup_sync(world.programs["p1"])
    return Assignment.objects.get(program=world.programs["p1"], responsibility__key="R-PRI-MH-02")


def _strategy() -> Strategy:
    return Strategy.objects.get(stage__version__is_current=True, key="ST01-S01")


# --- Evidence ---------------------------------------------------------------------------------------------


def test_evidence_is_added_to_an_assignment_listed_and_downloaded(world: World, api) -> None:
    item = _assignment(world)
    url = f"/api/v1/assignments/{item.pk}/evidence/"
    director = api(world.director)
    added = director.post(
        url, {"title": "Signed agreement", "file": SimpleUploadedFile("agreement.pdf", PDF)}, format="multipart"
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["original_name"] == "agreement.pdf" and body["added_by"]["username"] == "director"
    evidence = Evidence.objects.get(pk=body["id"])
    assert evidence.assignment_id == item.pk and _audited("implementation.evidence_add", evidence)
    download = director.get(body["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    link = director.post(url, {"title": "Minutes", "link": "https://example.org/minutes"}, format="multipart")
    assert link.status_code == 201 and link.json()["file_url"] is None
    assert_error(director.get(f"/api/v1/evidence/{link.json()['id']}/file/"), 404)
    listed = director.get(url).json()
    assert [row["title"] for row in listed["results"]] == ["Signed agreement", "Minutes"]
    # Whoever sees the program reads the evidence (the web's download), DVR too.
    assert api(world.counselor).get(body["file_url"]).status_code == 200


def test_evidence_bad_input_readers_and_outsiders(world: World, api) -> None:
    item = _assignment(world)
    url = f"/api/v1/assignments/{item.pk}/evidence/"
    director = api(world.director)
    nothing = assert_error(director.post(url, {"title": "Agreement"}, format="multipart"), 400)
    assert nothing["fields"]["file"] == ["Choose a file to upload, or enter a link."]
    both = {"title": "A", "link": "https://example.org/a", "file": SimpleUploadedFile("a.pdf", PDF)}
    refused = assert_error(director.post(url, both, format="multipart"), 400)
    assert "either a file or a link" in refused["fields"]["link"][0]
    untitled = assert_error(director.post(url, {"link": "https://example.org/a"}, format="multipart"), 400)
    assert "title" in untitled["fields"]
    unknown = {"title": "A", "link": "https://example.org/a", "status": "done"}
    assert assert_error(director.post(url, unknown, format="multipart"), 400)["fields"] == {
        "status": ["This operation does not take this field."]
    }
    fake = {"title": "A", "file": SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf")}
    assert "file" in assert_error(director.post(url, fake, format="multipart"), 400)["fields"]
    assert not Evidence.objects.exists()
    # DVR is another party: it reads but does not add (403); outsiders see nothing (404).
    link = {"title": "A", "link": "https://example.org/a"}
    assert_error(api(world.counselor).post(url, link, format="multipart"), 403)
    evidence = services.evidence_add(
        actor=world.director, program=item.program, assignment=item, title="A", link="https://example.org/a"
    )
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert_error(client.get(url), 404)
        assert_error(client.post(url, link, format="multipart"), 404)
        assert_error(client.get(f"/api/v1/evidence/{evidence.pk}/file/"), 404)
    assert Evidence.objects.count() == 1


# --- The roadmap's strategies -------------------------------------------------------------------------------


def test_a_leader_records_progress_on_a_strategy_with_if_match(world: World, api) -> None:
    p1, strategy = world.programs["p1"], _strategy()
    director = api(world.director)
    listed = director.get(f"/api/v1/programs/{p1.pk}/strategies/?stage=1&page_size=100").json()
    assert listed["count"] == 9 and {row["status"] for row in listed["results"]} == {"not_started"}
    url = f"/api/v1/programs/{p1.pk}/strategies/{strategy.pk}/"
    assert_error(director.patch(url, {"status": "in_progress"}, format="json"), 428)
    stale = current_etag(director, url)
    started = director.patch(
        url, {"status": "in_progress", "started_on": "2025-02-01"}, format="json", HTTP_IF_MATCH=stale
    )
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "in_progress" and started.json()["started_on"] == "2025-02-01"
    assert started["ETag"] != stale
    progress = p1.strategy_progress.get(strategy=strategy)
    assert _audited("implementation.strategy_update", progress)
    _stale(director.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH=stale), current_etag(director, url))
    # The fields left out keep their value; not applicable needs a reason.
    no_reason = director.patch(url, {"status": "not_applicable"}, format="json", **if_match(director, url))
    assert assert_error(no_reason, 400)["fields"]["reason"] == ["Say why this strategy does not apply to the program."]
    early = director.patch(url, {"completed_on": "2024-01-01"}, format="json", **if_match(director, url))
    assert "before the program was opened" in assert_error(early, 400)["fields"]["completed_on"][0]
    wrong = director.patch(url, {"status": "finished", "owner": 1}, format="json", **if_match(director, url))
    assert set(assert_error(wrong, 400)["fields"]) == {"status", "owner"}
    progress.refresh_from_db()
    assert progress.status == "in_progress" and str(progress.started_on) == "2025-02-01"
    # Evidence of the strategy.
    evidence = director.post(f"{url}evidence/", {"title": "Notes", "link": "https://example.org/n"}, format="multipart")
    assert evidence.status_code == 201, evidence.content
    assert director.get(url).json()["evidence"][0]["title"] == "Notes"
    assert director.get(f"{url}evidence/").json()["count"] == 1


def test_strategies_readers_and_outsiders(world: World, api) -> None:
    p1, strategy = world.programs["p1"], _strategy()
    url = f"/api/v1/programs/{p1.pk}/strategies/{strategy.pk}/"
    specialist = api(world.specialist)
    assert_error(specialist.patch(url, {"status": "done"}, format="json", **if_match(specialist, url)), 403)
    assert_error(specialist.patch(url, {"status": "done"}, format="json"), 403)  # 403 before 428
    link = {"title": "Notes", "link": "https://example.org/n"}
    assert_error(specialist.post(f"{url}evidence/", link, format="multipart"), 403)
    assert_error(api(world.director).get(f"/api/v1/programs/{p1.pk}/strategies/999999/"), 404)
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert_error(client.get(f"/api/v1/programs/{p1.pk}/strategies/"), 404)
        assert_error(client.get(url), 404)
        assert_error(client.patch(url, {"status": "done"}, format="json", HTTP_IF_MATCH='"x"'), 404)
        assert_error(client.post(f"{url}evidence/", link, format="multipart"), 404)
    assert not p1.strategy_progress.exists() and not Evidence.objects.exists()


# --- Partnership set-up -----------------------------------------------------------------------------------


def test_a_partnership_item_is_waived_with_a_reason_and_if_match(world: World, api) -> None:
    p1 = world.programs["p1"]
    services.program_setup_sync(p1)
    director = api(world.director)
    listed = director.get(f"/api/v1/programs/{p1.pk}/partnership/").json()
    assert [row["kind"] for row in listed["results"]][:2] == ["service_agreement", "confidentiality"]
    item = PartnershipItem.objects.get(program=p1, kind="billing")
    url = f"/api/v1/programs/{p1.pk}/partnership/{item.pk}/"
    assert_error(director.patch(url, {"status": "waived"}, format="json"), 428)
    refused = director.patch(url, {"status": "waived"}, format="json", **if_match(director, url))
    assert assert_error(refused, 400)["fields"]["waiver_reason"][0].startswith("Say why this item is waived")
    stale = current_etag(director, url)
    waived = director.patch(
        url,
        {"status": "waived", "waiver_reason": "DVR's statewide agreement covers it"},
        format="json",
        HTTP_IF_MATCH=stale,
    )
    assert waived.status_code == 200, waived.content
    assert waived.json()["status"] == "waived" and waived.json()["updated_by"]["username"] == "director"
    assert _audited("implementation.partnership_update", item)
    _stale(director.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH=stale), current_etag(director, url))
    assert_error(director.patch(url, {"kind": "x"}, format="json", **if_match(director, url)), 400)
    added = director.post(f"{url}evidence/", {"title": "Letter", "link": "https://example.org/l"}, format="multipart")
    assert added.status_code == 201, added.content
    assert director.get(url).json()["evidence"][0]["title"] == "Letter"
    # Readers 403, outsiders 404.
    specialist = api(world.specialist)
    assert_error(specialist.patch(url, {"notes": "x"}, format="json", **if_match(specialist, url)), 403)
    assert_error(specialist.post(f"{url}evidence/", {"title": "A", "link": "https://e.org"}, format="multipart"), 403)
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert_error(client.get(f"/api/v1/programs/{p1.pk}/partnership/"), 404)
        assert_error(client.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH='"x"'), 404)
        assert_error(client.get(f"{url}evidence/"), 404)
    item.refresh_from_db()
    assert item.status == "waived" and item.notes == ""


# --- Kick-off and phase ----------------------------------------------------------------------------------


def test_kickoff_date_and_phase_override(world: World, api) -> None:
    p1 = world.programs["p1"]
    url = f"/api/v1/programs/{p1.pk}/kickoff/"
    director = api(world.director)
    early = assert_error(director.post(url, {"kickoff_date": "2024-01-01"}, format="json"), 400)
    assert "before the program was opened" in early["fields"]["kickoff_date"][0]
    set_ = director.post(url, {"kickoff_date": "2025-02-01"}, format="json")
    assert set_.status_code == 200, set_.content
    # The partnership set-up is not complete: the program stays prior to implementation.
    assert set_.json()["kickoff_date"] == "2025-02-01" and set_.json()["phase"] == "prior"
    assert AuditEvent.objects.filter(action="implementation.kickoff_set", object_id=str(p1.pk)).exists()
    far = director.post(url, {"kickoff_date": "9999-12-31"}, format="json")
    assert far.status_code in (200, 400), far.content
    assert_error(director.post(url, {"kickoff_date": "2025-02-01", "phase": "x"}, format="json"), 400)
    assert_error(api(world.specialist).post(url, {"kickoff_date": "2025-02-01"}, format="json"), 403)
    phase = f"/api/v1/programs/{p1.pk}/phase/"
    body = {"to_phase": "implementation", "effective_on": "2025-03-01", "reason": "Agreed at the steering meeting"}
    assert_error(director.post(phase, body, format="json"), 403)
    lead = api(world.state_lead)
    no_reason = assert_error(lead.post(phase, {**body, "reason": " "}, format="json"), 400)
    assert "reason" in no_reason["fields"]
    assert set(assert_error(lead.post(phase, {"to_phase": "later"}, format="json"), 400)["fields"]) == {
        "to_phase",
        "effective_on",
        "reason",
    }
    moved = lead.post(phase, body, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["phase"] == "implementation"
    assert AuditEvent.objects.filter(action="program.phase_change", object_id=str(p1.pk)).exists()
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert_error(client.post(url, {"kickoff_date": "2025-02-01"}, format="json"), 404)
        assert_error(client.post(phase, body, format="json"), 404)


def test_a_phase_override_far_in_the_future_is_not_a_server_error(world: World, api) -> None:
    p1 = world.programs["p1"]
    body = {"to_phase": "implementation", "effective_on": "9999-12-31", "reason": "Typo test"}
    answer = api(world.state_lead).post(f"/api/v1/programs/{p1.pk}/phase/", body, format="json")
    assert assert_error(answer, 400)["fields"]["effective_on"] == ["Use a date between the years 1900 and 2199."]
    p1.refresh_from_db()
    assert p1.phase == "prior"


# --- Readiness ----------------------------------------------------------------------------------------------


def test_a_readiness_assessment_is_recorded_listed_and_read(world: World, api) -> None:
    p1 = world.programs["p1"]
    url = f"/api/v1/programs/{p1.pk}/readiness/"
    body = {
        "held_on": "2025-02-03",
        "mh_leaders": "Director",
        "dvr_leaders": "DVR supervisor",
        "answers": {"Q01": "Little so far", "Q02": ""},
        "barriers": "Transport",
    }
    director = api(world.director)
    created = director.post(url, body, format="json")
    assert created.status_code == 201, created.content
    answers = {row["key"]: row["answer"] for row in created.json()["answers"]}
    assert answers["Q01"] == "Little so far" and answers["Q02"] == ""
    assessment = ReadinessAssessment.objects.get(pk=created.json()["id"])
    assert _audited("implementation.readiness_record", assessment)
    assert director.get(url).json()["count"] == 1
    detail = director.get(f"{url}{assessment.pk}/")
    assert detail.status_code == 200 and detail["ETag"] and detail.json()["barriers"] == "Transport"
    unknown = assert_error(director.post(url, {**body, "answers": {"Q99": "x"}}, format="json"), 400)
    assert unknown["fields"]["answers"] == ["Unknown questions: Q99."]
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    assert "held_on" in assert_error(director.post(url, {**body, "held_on": future}, format="json"), 400)["fields"]
    assert set(assert_error(director.post(url, {"mood": "x"}, format="json"), 400)["fields"]) == {
        "held_on",
        "mh_leaders",
        "dvr_leaders",
        "mood",
    }
    assert_error(api(world.specialist).post(url, body, format="json"), 403)
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert_error(client.get(url), 404)
        assert_error(client.get(f"{url}{assessment.pk}/"), 404)
        assert_error(client.post(url, body, format="json"), 404)
    assert ReadinessAssessment.objects.count() == 1


# --- Steering committee ---------------------------------------------------------------------------------


def test_steering_committee_members_are_added_and_removed(world: World, api) -> None:
    p1 = world.programs["p1"]
    url = f"/api/v1/programs/{p1.pk}/steering-committee/"
    director = api(world.director)
    added = director.post(url, {"name": "Pat Employer", "role": "employer", "affiliation": "Pine Foods"}, format="json")
    assert added.status_code == 201, added.content
    member = SteeringMember.objects.get(pk=added.json()["id"])
    assert _audited("implementation.steering_add", member)
    assert director.get(url).json()["results"][0]["name"] == "Pat Employer"
    bad = assert_error(director.post(url, {"name": " ", "role": "mayor"}, format="json"), 400)
    assert "role" in bad["fields"]
    assert_error(api(world.specialist).post(url, {"name": "A", "role": "client"}, format="json"), 403)
    assert_error(api(world.specialist).delete(f"{url}{member.pk}/"), 403)
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert_error(client.get(url), 404)
        assert_error(client.post(url, {"name": "A", "role": "client"}, format="json"), 404)
        assert_error(client.delete(f"{url}{member.pk}/"), 404)
    assert director.delete(f"{url}{member.pk}/").status_code == 204
    assert not SteeringMember.objects.exists()
    assert AuditEvent.objects.filter(action="implementation.steering_remove", object_id=str(member.pk)).exists()


# --- The resource library -------------------------------------------------------------------------------


def test_the_state_team_curates_the_library(world: World, api) -> None:
    lead = api(world.state_lead)
    link = {"title": "IPS overview", "kind": "link", "stage_key": "ST01", "link": "https://example.org/ips"}
    created = lead.post("/api/v1/resources/", link, format="multipart")
    assert created.status_code == 201, created.content
    resource = Resource.objects.get(pk=created.json()["id"])
    assert resource.organization == world.orgs["team_a"] and _audited("implementation.resource_create", resource)
    upload = {
        "title": "Leader questions",
        "kind": "document",
        "stage_key": "ST01",
        "tool_key": "ST01-T01",
        "file": SimpleUploadedFile("questions.pdf", PDF),
    }
    created = lead.post("/api/v1/resources/", upload, format="multipart")
    assert created.status_code == 201, created.content
    file_url = created.json()["file_url"]
    assert b"".join(lead.get(file_url).streaming_content) == PDF  # type: ignore[attr-defined]
    assert api(world.director).get("/api/v1/resources/?stage=ST01").json()["count"] == 2
    wrong_tool = assert_error(lead.post("/api/v1/resources/", {**link, "tool_key": "ST01-T99"}), 400)
    assert wrong_tool["fields"]["tool_key"] == ["Choose one of the stage's tools, or leave it empty."]
    misplaced = {**link, "stage_key": "ST02", "tool_key": "ST01-T01"}
    other_stage = assert_error(lead.post("/api/v1/resources/", misplaced), 400)
    assert other_stage["fields"]["tool_key"] == [
        "This tool belongs to another stage. Choose a tool of the stage above."
    ]
    no_stage = assert_error(lead.post("/api/v1/resources/", {**link, "stage_key": "ST99"}), 400)
    assert "stage_key" in no_stage["fields"]
    assert "colour" in assert_error(lead.post("/api/v1/resources/", {**link, "colour": "red"}), 400)["fields"]
    nothing = assert_error(lead.post("/api/v1/resources/", {**link, "link": ""}), 400)
    assert nothing["fields"]["link"] == ["Enter a link, or choose a file to upload."]
    # A program's director reads the library and its files through the program, but does not curate it (as on
    # the web: a resource's own address is the state team's); another state's lead does not see it.
    director = api(world.director)
    assert_error(director.post("/api/v1/resources/", link), 403)
    assert_error(director.delete(f"/api/v1/resources/{resource.pk}/"), 404)
    assert_error(director.get(file_url), 404)
    listed = director.get("/api/v1/resources/?stage=ST01").json()["results"]
    assert [row["file_url"] for row in listed] == [None, None]
    through = f"/api/v1/programs/{world.programs['p1'].pk}/resources/{created.json()['id']}/file/"
    assert b"".join(director.get(through).streaming_content) == PDF  # type: ignore[attr-defined]
    assert_error(api(world.people["other_agency_director"]).get(through), 404)
    other = api(world.people["other_state_lead"])
    assert_error(other.get(f"/api/v1/resources/{resource.pk}/"), 404)
    assert_error(other.delete(f"/api/v1/resources/{resource.pk}/"), 404)
    assert_error(other.get(file_url), 404)
    assert lead.delete(f"/api/v1/resources/{resource.pk}/").status_code == 204
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert AuditEvent.objects.filter(action="implementation.resource_delete", object_id=str(resource.pk)).exists()


# --- Taking back the tick-box records -------------------------------------------------------------------


def test_tick_box_records_are_taken_back_by_who_may(world: World, api) -> None:
    p1 = world.programs["p1"]
    activity = services.outreach_record(actor=world.director, program=p1, held_on=DAY, kind="other", forum="Fair")
    distribution = services.material_distribution_record(
        actor=world.director, program=p1, material="handouts", distributed_on=DAY, recipients="Lobby"
    )
    share = services.resource_send(actor=world.state_lead, resource=revenue_resource(world), program=p1, sent_on=DAY)
    urls = {
        f"/api/v1/outreach/{activity.pk}/": "implementation.outreach_delete",
        f"/api/v1/material-distributions/{distribution.pk}/": "implementation.material_distribution_delete",
        f"/api/v1/resource-shares/{share.pk}/": "implementation.resource_share_delete",
    }
    for url in urls:
        assert api(world.counselor).get(url).status_code == 200
        assert_error(api(world.specialist).delete(url), 403)
        for name in OUTSIDERS:
            assert_error(api(world.people[name]).get(url), 404)
            assert_error(api(world.people[name]).delete(url), 404)
    assert_error(api(world.director).delete(f"/api/v1/resource-shares/{share.pk}/"), 403)  # the state team's
    assert api(world.director).delete(f"/api/v1/outreach/{activity.pk}/").status_code == 204
    assert api(world.director).delete(f"/api/v1/material-distributions/{distribution.pk}/").status_code == 204
    assert api(world.state_lead).delete(f"/api/v1/resource-shares/{share.pk}/").status_code == 204
    assert not (OutreachActivity.objects.exists() or MaterialDistribution.objects.exists())
    assert not ResourceShare.objects.exists()
    for obj, action in zip((activity, distribution, share), urls.values(), strict=True):
        assert AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


def test_a_data_request_is_withdrawn_until_answered_and_a_wrong_file_taken_back(world: World, api) -> None:
    asked, answered = request_for(world), request_for(world)
    answer = services.data_request_answer(
        actor=world.supervisor, request=answered, file=SimpleUploadedFile("caseloads.csv", CSV)
    )
    lead, supervisor = api(world.state_lead), api(world.supervisor)
    assert_error(supervisor.delete(f"/api/v1/data-requests/{asked.pk}/"), 403)
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).delete(f"/api/v1/data-requests/{asked.pk}/"), 404)
        assert_error(api(world.people[name]).delete(f"/api/v1/data-request-answers/{answer.pk}/"), 404)
    kept = assert_error(lead.delete(f"/api/v1/data-requests/{answered.pk}/"), 409, "answered")
    assert "can't be withdrawn" in kept["message"]
    assert lead.delete(f"/api/v1/data-requests/{asked.pk}/").status_code == 204
    assert AuditEvent.objects.filter(action="implementation.data_request_delete", object_id=str(asked.pk)).exists()
    # The state lead reads the file but does not take it back; the counselor does not see it.
    assert_error(lead.delete(f"/api/v1/data-request-answers/{answer.pk}/"), 403)
    assert_error(api(world.counselor).delete(f"/api/v1/data-request-answers/{answer.pk}/"), 404)
    assert supervisor.delete(f"/api/v1/data-request-answers/{answer.pk}/").status_code == 204
    assert not DataRequestAnswer.objects.exists()
    assert lead.delete(f"/api/v1/data-requests/{answered.pk}/").status_code == 204


def test_far_dates_on_the_set_up_and_the_roadmap_are_not_server_errors(world: World, api) -> None:
    p1, strategy = world.programs["p1"], _strategy()
    services.program_setup_sync(p1)
    director = api(world.director)
    item = PartnershipItem.objects.get(program=p1, kind="start_date")
    url = f"/api/v1/programs/{p1.pk}/partnership/{item.pk}/"
    far = director.patch(url, {"status": "done", "agreed_on": "9999-12-31"}, format="json", **if_match(director, url))
    assert far.status_code in (200, 400), far.content
    url = f"/api/v1/programs/{p1.pk}/strategies/{strategy.pk}/"
    body = {"status": "done", "started_on": "9999-12-30", "completed_on": "9999-12-31"}
    far = director.patch(url, body, format="json", **if_match(director, url))
    assert far.status_code in (200, 400), far.content
    member = {"name": "Pat", "role": "client", "joined_on": "9999-12-31"}
    far = director.post(f"/api/v1/programs/{p1.pk}/steering-committee/", member, format="json")
    assert far.status_code in (201, 400), far.content


def _grow_work(world: World, n: int) -> None:
    p1, lead = world.programs["p1"], world.state_lead
    assignment = _assignment(world)
    item = PartnershipItem.objects.filter(program=p1).first()
    for i in range(n):
        strategy = Strategy.objects.filter(stage__version__is_current=True).order_by("pk")[i]
        services.strategy_progress_update(actor=lead, program=p1, strategy=strategy, status="in_progress")
        for target in ({"strategy": strategy}, {"partnership_item": item}, {"assignment": assignment}):
            services.evidence_add(actor=lead, program=p1, title=f"E{i}", link="https://example.org/e", **target)
        services.steering_member_add(actor=lead, program=p1, name=f"M{i}", role="client", joined_on=None)
        services.readiness_record(
            actor=lead, program=p1, held_on=DAY, mh_leaders="A", dvr_leaders="B", answers={"Q01": "x"}
        )
        services.resource_create(
            actor=lead,
            organization=world.orgs["team_a"],
            title=f"R{i}",
            kind="link",
            stage_key="ST01",
            link="https://e.org",
        )


def test_the_lists_run_a_fixed_number_of_queries(world: World, api) -> None:
    p1 = world.programs["p1"]
    _grow_work(world, 1)
    item = PartnershipItem.objects.filter(program=p1).first()
    assert item is not None
    paths = [
        f"/api/v1/programs/{p1.pk}/strategies/",
        f"/api/v1/programs/{p1.pk}/strategies/{_strategy().pk}/evidence/",
        f"/api/v1/programs/{p1.pk}/partnership/",
        f"/api/v1/programs/{p1.pk}/partnership/{item.pk}/evidence/",
        f"/api/v1/assignments/{_assignment(world).pk}/evidence/",
        f"/api/v1/programs/{p1.pk}/readiness/",
        f"/api/v1/programs/{p1.pk}/steering-committee/",
        "/api/v1/resources/",
    ]
    client = api(world.state_lead)

    def count(path: str) -> int:
        client.get(path)  # warm up: the token's last-used time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        return len(queries)

    small = {path: count(path) for path in paths}
    _grow_work(world, 4)
    assert small == {path: count(path) for path in paths}
