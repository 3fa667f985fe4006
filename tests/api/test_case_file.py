"""The case file through the API: notes (list, search in the body, write, correct within the window,
addenda) and documents (list, multipart upload, download, removal), with the web's access and audit."""

import datetime

import pytest
from django.utils import timezone

from ipshub.audit.models import AuditEvent
from ipshub.clients import services
from ipshub.clients.models import ClientDocument, ProgressNote
from tests.clients.case_file_factories import TINY_PDF, add_document, pdf_upload, write_note
from tests.clients.factories import days_ago, enroll
from tests.world import World

pytestmark = pytest.mark.django_db


def _notes(enrollment) -> str:
    return f"/api/v1/clients/{enrollment.pk}/notes/"


def _documents(enrollment) -> str:
    return f"/api/v1/clients/{enrollment.pk}/documents/"


def test_notes_are_written_listed_searched_and_every_read_is_recorded(world: World, api) -> None:
    enrollment = enroll(world)
    specialist = api(world.people["specialist"])
    created = specialist.post(
        _notes(enrollment),
        {"happened_on": days_ago(1).isoformat(), "kind": "client", "text": "Practised the interview."},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["author"]["id"] == world.specialist.pk and body["revisions"] == [] and body["addenda"] == []
    write_note(world.people["specialist"], enrollment, "Talked to the family about shifts.")

    listed = specialist.get(_notes(enrollment))
    assert listed.status_code == 200 and listed.json()["count"] == 2
    event = AuditEvent.objects.filter(action="client.view", detail__how="api_list").get()
    assert sorted(event.detail["notes"]) == sorted(n.pk for n in ProgressNote.objects.all())

    found = specialist.post(_notes(enrollment) + "search/", {"q": "INTERVIEW"}, format="json")
    assert [n["text"] for n in found.json()["results"]] == ["Practised the interview."]
    in_url = specialist.get(_notes(enrollment) + "?q=interview")
    assert in_url.status_code == 400 and "q" in in_url.json()["error"]["fields"]

    detail = specialist.get(_notes(enrollment) + f"{body['id']}/")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(action="client.view", detail__how="api_detail").count() == 1


def test_bad_notes_get_precise_errors_and_nothing_is_saved(world: World, api) -> None:
    enrollment = enroll(world)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = api(world.people["specialist"]).post(
        _notes(enrollment), {"happened_on": future, "kind": "client", "text": "  "}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"happened_on", "text"}
    assert not ProgressNote.objects.exists()
    # DVR staff and reviewers never write notes; outsiders are told the record does not exist.
    services.consent_create(
        actor=world.people["case_manager"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    ok = {"happened_on": days_ago(1).isoformat(), "kind": "client", "text": "x"}
    assert api(world.people["counselor"]).post(_notes(enrollment), ok, format="json").status_code == 403
    assert api(world.people["other_agency_director"]).post(_notes(enrollment), ok, format="json").status_code == 404


def test_a_correction_within_the_window_then_409_and_an_addendum(world: World, api) -> None:
    enrollment = enroll(world)
    note = write_note(world.people["specialist"], enrollment, "Frist.")
    specialist = api(world.people["specialist"])
    url = _notes(enrollment) + f"{note.pk}/correct/"
    fixed = {"happened_on": note.happened_on.isoformat(), "kind": "client", "text": "First."}
    corrected = specialist.post(url, fixed, format="json")
    assert corrected.status_code == 200
    assert corrected.json()["text"] == "First." and corrected.json()["revisions"][0]["text"] == "Frist."
    assert api(world.people["supervisor"]).post(url, fixed, format="json").status_code == 403

    ProgressNote.objects.filter(pk=note.pk).update(written_at=timezone.now() - datetime.timedelta(days=2))
    late = specialist.post(url, {**fixed, "text": "Second."}, format="json")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "correction_window_closed"
    assert "addendum" in late.json()["error"]["message"]
    added = specialist.post(_notes(enrollment) + f"{note.pk}/addenda/", {"text": "Also: 2 pm."}, format="json")
    assert added.status_code == 201 and added.json()["addenda"][0]["text"] == "Also: 2 pm."


def test_dvr_staff_read_shared_notes_and_dvr_documents_only_under_consent(world: World, api) -> None:
    enrollment = enroll(world)
    shared = write_note(world.people["specialist"], enrollment, "Ready for DVR.", shareable=True)
    private = write_note(world.people["specialist"], enrollment, "Clinical detail.")
    plan = add_document(world.people["specialist"], enrollment, kind="dvr_plan")
    resume = add_document(world.people["specialist"], enrollment, kind="resume", name="cv.pdf")
    counselor = api(world.people["counselor"])
    assert counselor.get(_notes(enrollment)).status_code == 404
    consent = services.consent_create(
        actor=world.people["case_manager"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    assert [n["id"] for n in counselor.get(_notes(enrollment)).json()["results"]] == [shared.pk]
    assert counselor.get(_notes(enrollment) + f"{private.pk}/").status_code == 404
    assert [d["id"] for d in counselor.get(_documents(enrollment)).json()["results"]] == [plan.pk]
    assert counselor.get(_documents(enrollment) + f"{resume.pk}/download/").status_code == 404
    services.consent_revoke(actor=world.people["case_manager"], enrollment=enrollment, consent=consent, how="verbal")
    assert counselor.get(_notes(enrollment)).status_code == 404
    assert counselor.get(_documents(enrollment) + f"{plan.pk}/download/").status_code == 404


def test_documents_are_uploaded_checked_downloaded_and_removed(world: World, api, settings) -> None:
    enrollment = enroll(world)
    specialist = api(world.people["specialist"])
    uploaded = specialist.post(
        _documents(enrollment), {"kind": "resume", "title": "CV", "file": pdf_upload("cv.pdf")}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.json()
    document_id = uploaded.json()["id"]
    download = specialist.get(uploaded.json()["download"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == TINY_PDF
    assert AuditEvent.objects.filter(action="client.document_download", object_id=str(document_id)).count() == 1

    fake = specialist.post(
        _documents(enrollment), {"kind": "other", "file": pdf_upload("x.pdf", b"<html>")}, format="multipart"
    )
    assert fake.status_code == 400 and "does not contain" in fake.json()["error"]["fields"]["file"][0]
    settings.UPLOAD_MAX_BYTES = 1024
    big = specialist.post(
        _documents(enrollment), {"kind": "", "file": pdf_upload("big.pdf", TINY_PDF + b"0" * 2000)}, format="multipart"
    )
    assert big.status_code == 400 and set(big.json()["error"]["fields"]) == {"kind", "file"}
    big = specialist.post(
        _documents(enrollment),
        {"kind": "xx", "file": pdf_upload("big.pdf", TINY_PDF + b"0" * 2000)},
        format="multipart",
    )
    assert big.status_code == 400 and set(big.json()["error"]["fields"]) == {"kind", "file"}
    assert ClientDocument.objects.count() == 1

    remove = _documents(enrollment) + f"{document_id}/remove/"
    assert specialist.post(remove, {}, format="json").status_code == 400
    assert specialist.post(remove, {"reason": "Wrong client."}, format="json").status_code == 204
    assert specialist.get(_documents(enrollment)).json()["count"] == 0
    outsider = api(world.people["other_state_director"])
    assert outsider.get(_documents(enrollment)).status_code == 404
