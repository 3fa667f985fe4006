"""The case file (issue 19): progress notes and documents on the client record — who reads and writes
them, the correction window, the DVR rule (shareable notes, DVR documents, only under an active consent),
the audit of every read and download, bad input, and the notes list's fixed number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipshub.audit.models import AuditEvent
from ipshub.clients import access, documents, notes, services
from ipshub.clients.models import ClientDocument, NoteRevision, ProgressNote
from tests.clients.case_file_factories import TINY_PDF, add_document, pdf_upload, tiny_docx, write_note
from tests.clients.factories import days_ago, enroll
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_director")


def _ids(enrollment, **more: int) -> dict[str, int]:
    return {"enrollment_id": enrollment.pk, **more}


def _notes_url(enrollment) -> str:
    return reverse("clients:record_notes", kwargs=_ids(enrollment))


def _consent(world: World, enrollment):
    return services.consent_create(
        actor=world.people["case_manager"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(10),
    )


def _last_events(before: int | None, action: str):
    return list(AuditEvent.objects.filter(pk__gt=before or 0, action=action).order_by("pk"))


def _mark() -> int | None:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()


# --- Notes ----------------------------------------------------------------------------------------


def test_the_specialist_writes_a_note_and_every_read_of_it_is_recorded(world: World, client_for) -> None:
    enrollment = enroll(world)
    c = client_for(world.people["specialist"])
    saved = c.post(
        reverse("clients:note_add", kwargs=_ids(enrollment)),
        {"happened_on": days_ago(1).isoformat(), "kind": "employer", "text": "Met the bakery's manager."},
    )
    note = ProgressNote.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "clients:note_detail", kwargs=_ids(enrollment, note_id=note.pk)
    )
    assert note.author == world.specialist and not note.shareable_with_dvr
    assert AuditEvent.objects.filter(action="client.note_write", detail__enrollment=enrollment.pk).exists()

    before = _mark()
    html = c.get(_notes_url(enrollment)).content.decode()
    assert "Met the bakery&#x27;s manager." in html and "Correct it" in html
    c.get(reverse("clients:note_detail", kwargs=_ids(enrollment, note_id=note.pk)))
    section, page = _last_events(before, "client.view")
    assert section.detail["section"] == page.detail["section"] == "notes"
    assert section.detail["notes"] == page.detail["notes"] == [note.pk]
    assert (section.detail["how"], page.detail["how"]) == ("section", "note")
    assert section.actor_id == world.specialist.pk and section.detail["enrollment"] == enrollment.pk
    # The mental health team reads the notes too (and its read is recorded the same way).
    assert client_for(world.people["case_manager"]).get(_notes_url(enrollment)).status_code == 200


def test_an_empty_note_shows_every_problem_at_once_keeps_what_was_typed_and_saves_nothing(
    world: World, client_for
) -> None:
    enrollment = enroll(world)
    c = client_for(world.people["specialist"])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = c.post(
        reverse("clients:note_add", kwargs=_ids(enrollment)),
        {"happened_on": future, "kind": "family", "text": "   ", "shareable_with_dvr": "on"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Write the note" in errors["text"][0] or "required" in errors["text"][0].lower()
    assert "can&#x27;t be in the future" in response.content.decode()
    assert set(errors) >= {"text", "happened_on"}
    assert f'value="{future}"' in response.content.decode()  # what was typed stays
    assert 'value="family"' in response.content.decode() and "checked" in response.content.decode()
    assert not ProgressNote.objects.exists()


def test_the_author_corrects_within_the_window_and_the_earlier_text_is_kept(world: World, client_for) -> None:
    enrollment = enroll(world)
    note = write_note(world.people["specialist"], enrollment, "Frist draft.")
    c = client_for(world.people["specialist"])
    url = reverse("clients:note_correct", kwargs=_ids(enrollment, note_id=note.pk))
    assert c.get(url).status_code == 200
    saved = c.post(
        url, {"happened_on": note.happened_on.isoformat(), "kind": "client", "text": "First draft, corrected."}
    )
    assert saved.status_code == 302
    note.refresh_from_db()
    assert note.text == "First draft, corrected." and note.corrected_at is not None
    [revision] = NoteRevision.objects.filter(note=note)
    assert revision.text == "Frist draft."
    html = c.get(reverse("clients:note_detail", kwargs=_ids(enrollment, note_id=note.pk))).content.decode()
    assert "Earlier versions" in html and "Frist draft." in html
    # Someone else (the supervisor) may not correct it: an addendum instead.
    typed = {"happened_on": note.happened_on, "kind": "client", "text": "x"}
    other = client_for(world.people["supervisor"]).post(url, typed)
    assert other.status_code == 403


def test_after_the_window_a_correction_is_refused_and_an_addendum_is_offered(
    world: World, client_for, settings
) -> None:
    settings.NOTE_CORRECTION_HOURS = 24
    enrollment = enroll(world)
    note = write_note(world.people["specialist"], enrollment, "Met at the library.")
    ProgressNote.objects.filter(pk=note.pk).update(written_at=timezone.now() - datetime.timedelta(hours=25))
    c = client_for(world.people["specialist"])
    url = reverse("clients:note_correct", kwargs=_ids(enrollment, note_id=note.pk))
    typed = {"happened_on": note.happened_on.isoformat(), "kind": "client", "text": "Met at the library, 2 pm."}
    response = c.post(url, typed)
    assert response.status_code == 409
    html = response.content.decode()
    assert "corrected for 24 hours" in html and "Add an addendum instead" in html
    assert "Met at the library, 2 pm." in html  # what was typed stays, to copy into the addendum
    # A form with its own errors says the window has closed too: every error at once.
    both = c.post(url, {**typed, "text": " "})
    assert both.status_code == 409
    assert "Add an addendum instead" in both.content.decode() and both.context["form"].errors["text"]
    note.refresh_from_db()
    assert note.text == "Met at the library." and not NoteRevision.objects.exists()
    # Opening the correction form after the window goes to the note's addendum form, saying why.
    opened = c.get(url, follow=True)
    assert "Add an addendum instead" in opened.content.decode()
    added = c.post(
        reverse("clients:note_addendum", kwargs=_ids(enrollment, note_id=note.pk)), {"text": "It was at 2 pm."}
    )
    assert added.status_code == 302
    assert "It was at 2 pm." in c.get(_notes_url(enrollment)).content.decode()
    empty = c.post(reverse("clients:note_addendum", kwargs=_ids(enrollment, note_id=note.pk)), {"text": " "})
    assert empty.status_code == 400 and note.addenda.count() == 1


def test_notes_are_searched_within_the_record_without_the_term_in_the_url(world: World, client_for) -> None:
    enrollment = enroll(world)
    write_note(world.people["specialist"], enrollment, "Talked about forklift training.")
    write_note(world.people["specialist"], enrollment, "Family supports night shifts.")
    other = enroll(world)
    write_note(world.people["specialist"], other, "Forklift job fair.")
    c = client_for(world.people["specialist"])
    searched = c.post(_notes_url(enrollment), {"q": "FORKLIFT"})
    assert searched.status_code == 302 and "forklift" not in searched["Location"].lower()
    html = c.get(searched["Location"]).content.decode()
    assert "Talked about forklift training." in html and "Family supports" not in html
    assert "Forklift job fair." not in html  # only this record's notes


def test_dvr_staff_see_shareable_notes_only_while_consent_is_active(world: World, client_for) -> None:
    enrollment = enroll(world)
    shared = write_note(world.people["specialist"], enrollment, "Ready to apply to DVR.", shareable=True)
    private = write_note(world.people["specialist"], enrollment, "Talked about the hospital stay.")
    counselor = client_for(world.people["counselor"])
    assert counselor.get(_notes_url(enrollment)).status_code == 404  # no consent yet

    consent = _consent(world, enrollment)
    html = counselor.get(_notes_url(enrollment)).content.decode()
    assert "Ready to apply to DVR." in html and "hospital stay" not in html
    assert "Write a note" not in html and "Career profile" not in html  # DVR navigation only
    note_url = reverse("clients:note_detail", kwargs=_ids(enrollment, note_id=shared.pk))
    assert counselor.get(note_url).status_code == 200
    private_url = reverse("clients:note_detail", kwargs=_ids(enrollment, note_id=private.pk))
    assert counselor.get(private_url).status_code == 404
    searched = counselor.post(_notes_url(enrollment), {"q": "hospital"}, follow=True)
    assert searched.context["page_obj"].paginator.count == 0
    event = AuditEvent.objects.filter(action="client.view", actor=world.people["counselor"]).order_by("-pk").first()
    assert event is not None and event.detail["view"] == "dvr"
    # DVR readers never write notes.
    assert counselor.get(reverse("clients:note_add", kwargs=_ids(enrollment))).status_code == 403

    services.consent_revoke(actor=world.people["case_manager"], enrollment=enrollment, consent=consent, how="verbal")
    assert counselor.get(_notes_url(enrollment)).status_code == 404
    assert counselor.get(note_url).status_code == 404


def test_outsiders_get_404_on_every_case_file_page(world: World, client_for) -> None:
    enrollment = enroll(world)
    _consent(world, enrollment)
    note = write_note(world.people["specialist"], enrollment, shareable=True)
    document = add_document(world.people["specialist"], enrollment)
    urls = [
        _notes_url(enrollment),
        reverse("clients:record_documents", kwargs=_ids(enrollment)),
        reverse("clients:note_add", kwargs=_ids(enrollment)),
        reverse("clients:note_detail", kwargs=_ids(enrollment, note_id=note.pk)),
        reverse("clients:note_correct", kwargs=_ids(enrollment, note_id=note.pk)),
        reverse("clients:note_addendum", kwargs=_ids(enrollment, note_id=note.pk)),
        reverse("clients:document_add", kwargs=_ids(enrollment)),
        reverse("clients:document_download", kwargs=_ids(enrollment, document_id=document.pk)),
        reverse("clients:document_remove", kwargs=_ids(enrollment, document_id=document.pk)),
    ]
    for name in OUTSIDERS:
        c = client_for(world.people[name])
        for url in urls:
            assert c.get(url).status_code == 404, (name, url)
    # A note of one client asked for under another client's address: 404 for the insider too.
    other = enroll(world)
    wrong = reverse("clients:note_detail", kwargs=_ids(other, note_id=note.pk))
    assert client_for(world.people["supervisor"]).get(wrong).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_notes_list_runs_a_fixed_number_of_queries(world: World, client_for) -> None:
    small, large = enroll(world), enroll(world)
    specialist = world.people["specialist"]
    write_note(specialist, small, shareable=True)
    found = access.ClientAccess(large, access.client_access(specialist, large))
    for k in range(15):
        note = write_note(specialist, large, f"Note {k}", shareable=k % 2 == 0)
        if k % 3 == 0:  # addenda on some notes: prefetched, not one query a note
            notes.note_addendum_add(actor=specialist, found=found, note=note, text="Also this.")
    for who in ("specialist", "supervisor", "case_manager"):
        c = client_for(world.people[who])
        assert _queries(c, _notes_url(small)) == _queries(c, _notes_url(large)), who
    _consent(world, small)
    _consent(world, large)
    counselor = client_for(world.people["counselor"])
    assert _queries(counselor, _notes_url(small)) == _queries(counselor, _notes_url(large))


# --- Documents ------------------------------------------------------------------------------------


def test_a_document_is_uploaded_checked_and_downloaded_as_an_attachment_with_an_audit_event(
    world: World, client_for
) -> None:
    enrollment = enroll(world)
    c = client_for(world.people["specialist"])
    saved = c.post(
        reverse("clients:document_add", kwargs=_ids(enrollment)),
        {"kind": "resume", "title": "Résumé", "file": pdf_upload('../../My "résumé"; v2.pdf')},
    )
    assert saved.status_code == 302
    document = ClientDocument.objects.get()
    assert document.file.name.startswith("clients/documents/") and "sum" not in document.file.name  # random name
    html = c.get(reverse("clients:record_documents", kwargs=_ids(enrollment))).content.decode()
    assert "Résumé" in html

    before = _mark()
    response = c.get(reverse("clients:document_download", kwargs=_ids(enrollment, document_id=document.pk)))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="My_resume_v2.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == TINY_PDF
    [event] = _last_events(before, "client.document_download")
    assert event.actor_id == world.specialist.pk and event.detail["enrollment"] == enrollment.pk


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("release.pdf", b"MZ\x90\x00 not a pdf at all", "does not contain what a .pdf file should"),
        ("notes.txt", b"plain text", "not a type IPS Hub accepts here"),
        ("big.pdf", TINY_PDF + b"0" * 5000, "files can be at most"),
    ],
)
def test_a_bad_file_is_refused_with_every_problem_and_nothing_saved(
    world: World, client_for, settings, name: str, content: bytes, message: str
) -> None:
    settings.UPLOAD_MAX_BYTES = 4096
    enrollment = enroll(world)
    c = client_for(world.people["specialist"])
    response = c.post(
        reverse("clients:document_add", kwargs=_ids(enrollment)),
        {"kind": "", "title": "Kept title", "file": pdf_upload(name, content)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Kept title" in html and "Choose the file again" in html
    assert "kind" in response.context["form"].errors
    assert not ClientDocument.objects.exists()


def test_a_word_document_is_accepted(world: World) -> None:
    enrollment = enroll(world)
    specialist = world.people["specialist"]
    found = access.ClientAccess(enrollment, access.client_access(specialist, enrollment))
    document = documents.document_upload(
        actor=specialist, found=found, kind="benefits_analysis", file=SimpleUploadedFile("plan.docx", tiny_docx())
    )
    assert document.file.name.endswith(".docx")


def test_dvr_staff_see_only_the_dvr_plan_and_the_signed_release_under_consent(world: World, client_for) -> None:
    enrollment = enroll(world)
    specialist = world.people["specialist"]
    plan = add_document(specialist, enrollment, kind="dvr_plan", name="plan.pdf", title="IPE")
    resume = add_document(specialist, enrollment, kind="resume", name="resume.pdf", title="Curriculum vitae")
    counselor = client_for(world.people["counselor"])
    list_url = reverse("clients:record_documents", kwargs=_ids(enrollment))
    plan_url = reverse("clients:document_download", kwargs=_ids(enrollment, document_id=plan.pk))
    resume_url = reverse("clients:document_download", kwargs=_ids(enrollment, document_id=resume.pk))
    assert counselor.get(plan_url).status_code == 404
    consent = _consent(world, enrollment)
    html = counselor.get(list_url).content.decode()
    assert "IPE" in html and "Curriculum vitae" not in html and "Add a document" not in html
    before = _mark()
    assert counselor.get(plan_url).status_code == 200
    assert _last_events(before, "client.document_download")[0].detail["view"] == "dvr"
    assert counselor.get(resume_url).status_code == 404
    services.consent_revoke(actor=world.people["case_manager"], enrollment=enrollment, consent=consent, how="verbal")
    assert counselor.get(plan_url).status_code == 404


def test_the_uploader_or_the_supervisor_removes_a_document_with_a_reason_and_the_file_is_kept(
    world: World, client_for
) -> None:
    enrollment = enroll(world)
    document = add_document(world.people["specialist"], enrollment, kind="resume")
    url = reverse("clients:document_remove", kwargs=_ids(enrollment, document_id=document.pk))
    assert client_for(world.people["case_manager"]).get(url).status_code == 403  # not theirs, not a supervisor
    c = client_for(world.people["supervisor"])
    refused = c.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert c.post(url, {"reason": "Uploaded to the wrong client."}).status_code == 302
    document.refresh_from_db()
    assert document.removed_at is not None and document.removal_reason == "Uploaded to the wrong client."
    assert document.file.storage.exists(document.file.name)  # kept for the audit trail
    download = reverse("clients:document_download", kwargs=_ids(enrollment, document_id=document.pk))
    assert c.get(download).status_code == 404
    assert AuditEvent.objects.filter(action="client.document_remove", detail__enrollment=enrollment.pk).exists()
