"""Consent the client signs: the release template (versions, required elements), preparing and signing
(drawn or typed), every bad input, the signed PDF's text, the audited download, revocation with how, the
paper consent's scan."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from ipshub.audit.models import AuditEvent
from ipshub.clients import services, signing
from ipshub.clients.models import Consent, ConsentDraft, ReleaseTemplate
from tests.clients.factories import days_ago, dvr_terms, enroll, signature_data_url, signature_png

pytestmark = pytest.mark.django_db


def _prepare(world, enrollment, actor="case_manager", **changes):
    return signing.consent_draft_prepare(
        actor=world.people[actor], enrollment=enrollment, terms=dvr_terms(world, **changes)
    )


def _sign_url(enrollment, draft) -> str:
    return reverse("clients:consent_sign", kwargs={"enrollment_id": enrollment.pk, "draft_id": draft.pk})


def pdf_text(consent: Consent) -> str:
    """The PDF's text with every space removed: the extractor splits words where the font kerns ("T ester")."""
    with consent.document.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def in_pdf(words: str, text: str) -> bool:
    return "".join(words.split()) in text


# --- The template ---------------------------------------------------------------------------------


def test_the_default_template_has_every_required_element() -> None:
    assert signing.template_problems(signing.DEFAULT_RELEASE) == []


def test_a_template_without_an_element_is_refused_naming_what_is_missing() -> None:
    body = signing.DEFAULT_RELEASE.replace("{purpose}", "work").replace("revoke", "cancel")
    problems = " ".join(signing.template_problems(body + " {nickname}"))
    assert "why it is shared (the purpose)" in problems and "{purpose}" in problems
    assert "revoke" in problems
    assert "{nickname} is not a placeholder" in problems


def test_each_save_is_a_new_version_and_a_signed_consent_keeps_its_own(world) -> None:
    enrollment = enroll(world)
    consent = signing.consent_sign(
        actor=world.case_manager,
        enrollment=enrollment,
        terms=dvr_terms(world),
        signature=signing.Signature("typed", typed_name="Pat Tester"),
    )
    assert consent.template is not None and consent.template.version == 1  # the default, stored on first use
    edited = signing.DEFAULT_RELEASE.replace("Permission to share", "Your permission to share")
    v2 = signing.release_template_save(actor=world.state_lead, state=world.state_a, body=edited, change_note="Title")
    assert v2.version == 2
    consent.refresh_from_db()
    assert consent.template.version == 1 and "Your permission" not in consent.release_text
    draft = _prepare(world, enrollment)
    assert draft.template == v2


def test_only_the_states_team_edits_its_template(world, client_for) -> None:
    url = reverse("clients:release_template", kwargs={"state_id": world.state_a.pk})
    assert client_for(world.state_lead).get(url).status_code == 200
    for outsider in ("other_state_lead", "director", "case_manager", "trainer"):
        assert client_for(world.people[outsider]).get(url).status_code == 404, outsider


def test_the_template_form_keeps_the_text_and_names_the_missing_element(world, client_for) -> None:
    url = reverse("clients:release_template", kwargs={"state_id": world.state_a.pk})
    body = signing.DEFAULT_RELEASE.replace("{recipient}", "them")
    response = client_for(world.state_lead).post(url, {"body": body, "change_note": "Shorter"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "who receives it (the organization)" in html and "Shorter" in html
    assert not ReleaseTemplate.objects.exists()
    response = client_for(world.state_lead).post(url, {"body": signing.DEFAULT_RELEASE, "change_note": "First"})
    assert response.status_code == 302
    assert ReleaseTemplate.objects.get().created_by == world.state_lead
    assert AuditEvent.objects.filter(action="clients.release_template_save").exists()


def test_two_leads_editing_the_template_at_once_do_not_overwrite_each_other_unseen(world, client_for) -> None:
    """Both opened the form at version 0 (the built-in default); the second save is shown the first (409)."""
    url = reverse("clients:release_template", kwargs={"state_id": world.state_a.pk})
    first = signing.DEFAULT_RELEASE + "\nFirst lead's addition."
    second = signing.DEFAULT_RELEASE + "\nSecond lead's addition."
    assert client_for(world.state_lead).post(url, {"body": first, "version": "0"}).status_code == 302
    response = client_for(world.admin).post(url, {"body": second, "change_note": "Mine", "version": "0"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this record" in html and "Second lead&#x27;s addition." in html
    assert list(ReleaseTemplate.objects.values_list("version", flat=True)) == [1]
    # Saving again from the version now shown overwrites on purpose.
    assert 'name="version" value="1"' in html
    assert client_for(world.admin).post(url, {"body": second, "version": "1"}).status_code == 302
    assert "Second lead's addition." in ReleaseTemplate.objects.get(version=2).body


# --- Preparing and signing ------------------------------------------------------------------------


def test_the_staff_page_refuses_a_consent_that_ends_before_it_starts_and_keeps_what_was_typed(
    world, client_for
) -> None:
    enrollment = enroll(world)
    url = reverse("clients:consent_prepare", kwargs={"enrollment_id": enrollment.pk})
    response = client_for(world.case_manager).post(
        url,
        {
            "organization": world.orgs["dvr1"].pk,
            "scope": "employment",
            "purpose": "to find work near the lake",
            "starts_on": days_ago(0).isoformat(),
            "expires_on": days_ago(5).isoformat(),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "can&#x27;t end before it starts" in html and "to find work near the lake" in html
    assert not ConsentDraft.objects.exists() and not Consent.objects.exists()


def test_the_staff_page_asks_until_when(world, client_for) -> None:
    enrollment = enroll(world)
    url = reverse("clients:consent_prepare", kwargs={"enrollment_id": enrollment.pk})
    response = client_for(world.case_manager).post(
        url,
        {"organization": world.orgs["dvr1"].pk, "scope": "employment", "purpose": "jobs", "starts_on": "2026-12-06"},
    )
    assert response.status_code == 400
    assert "an end date, or an event" in response.content.decode()


def test_prepare_then_sign_by_typing_makes_the_consent_its_pdf_and_the_audit_events(world, client_for) -> None:
    enrollment = enroll(world)
    staff = client_for(world.case_manager)
    response = staff.post(
        reverse("clients:consent_prepare", kwargs={"enrollment_id": enrollment.pk}),
        {
            "organization": world.orgs["dvr1"].pk,
            "scope": "employment",
            "purpose": "to plan my job search with DVR",
            "starts_on": days_ago(0).isoformat(),
            "expires_on": "",
            "expires_event": "when my DVR case is closed",
        },
    )
    draft = ConsentDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == _sign_url(enrollment, draft)
    page = staff.get(_sign_url(enrollment, draft)).content.decode()
    assert enrollment.client.full_name in page and "A DVR Pine Office" in page and "when my DVR case is closed" in page
    response = staff.post(
        _sign_url(enrollment, draft), {"method": "typed", "typed_name": "Pat Q Tester", "confirmed": "on"}
    )
    consent = Consent.objects.get()
    assert response.status_code == 302
    assert consent.signed_by == "typed" and consent.signed_name == "Pat Q Tester" and consent.document
    assert consent.expires_on is None and consent.expires_event == "when my DVR case is closed"
    assert not ConsentDraft.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"client.consent_prepare", "client.consent_sign"} <= actions
    assert in_pdf("Pat Q Tester", pdf_text(consent))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "drawn", "signature": ""}, "The signature box is empty"),
        ({"method": "drawn", "signature": signature_data_url(ink=False)}, "The signature box is empty"),
        ({"method": "drawn", "signature": "data:image/png;base64,bm90IGEgcG5n"}, "could not be read"),
        ({"method": "typed", "typed_name": "  ", "confirmed": "on"}, "Type your full name"),
        ({"method": "typed", "typed_name": "Pat Tester"}, "Check the box to confirm"),
        ({}, "Choose one of the options"),
    ],
)
def test_the_signing_page_refuses_a_missing_signature_keeps_what_was_typed_and_saves_nothing(
    world, client_for, data, message
) -> None:
    enrollment = enroll(world)
    draft = _prepare(world, enrollment)
    response = client_for(world.case_manager).post(_sign_url(enrollment, draft), data)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html
    if data.get("typed_name", "").strip():
        assert f'value="{data["typed_name"]}"' in html
    assert not Consent.objects.exists() and ConsentDraft.objects.filter(pk=draft.pk).exists()
    assert not AuditEvent.objects.filter(action="client.consent_sign").exists()


def test_a_drawn_signature_is_kept_with_the_consent_and_every_element_is_in_the_pdf(world, client_for) -> None:
    enrollment = enroll(world)
    draft = _prepare(world, enrollment, expires_event="when my DVR case is closed")
    response = client_for(world.case_manager).post(
        _sign_url(enrollment, draft), {"method": "drawn", "signature": signature_data_url()}
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.signed_by == "drawn" and consent.signature_image
    with consent.signature_image.open("rb") as handle:
        assert handle.read().startswith(b"\x89PNG")
    text = pdf_text(consent)
    for element in (
        enrollment.client.full_name,  # whose information
        "A Pine County Human Services",  # who discloses
        "A DVR Pine Office",  # to whom
        "What may be shared: my work goals",  # what information
        "Why it is shared: to plan my job search with my DVR counselor",  # purpose
        "or when my DVR case is closed, whichever comes first",  # until when (date or event)
        "revoke",  # the right to revoke
        "tell any staff member",  # and how
        "do not depend on signing",  # treatment does not depend on signing
        "Signature of",  # the signature
        "(drawn on the device)",
        "Date signed:",  # and the date
    ):
        assert in_pdf(element, text), element


def test_only_who_may_record_consents_prepares_and_signs(world, client_for) -> None:
    enrollment = enroll(world)
    draft = _prepare(world, enrollment)
    for name, status in (("counselor", 404), ("other_agency_director", 404), ("other_state_director", 404)):
        client = client_for(world.people[name])
        assert client.get(_sign_url(enrollment, draft)).status_code == status, name
        url = reverse("clients:consent_prepare", kwargs={"enrollment_id": enrollment.pk})
        assert client.get(url).status_code == status, name
    # The fidelity reviewer's read-only access never signs (no review here: 404 like anyone else).
    assert client_for(world.reviewer).get(_sign_url(enrollment, draft)).status_code in (403, 404)


def test_discarding_a_release_shares_nothing(world, client_for) -> None:
    enrollment = enroll(world)
    draft = _prepare(world, enrollment)
    url = reverse("clients:consent_draft_discard", kwargs={"enrollment_id": enrollment.pk, "draft_id": draft.pk})
    assert client_for(world.case_manager).post(url).status_code == 302
    assert not ConsentDraft.objects.exists() and not Consent.objects.exists()


# --- The copy, the download, revocation -----------------------------------------------------------


def test_the_pdf_download_is_access_checked_and_audited(world, client_for) -> None:
    enrollment = enroll(world)
    consent = signing.consent_sign(
        actor=world.case_manager,
        enrollment=enrollment,
        terms=dvr_terms(world),
        signature=signing.Signature("typed", typed_name="Pat Tester"),
    )
    url = reverse("clients:consent_document", kwargs={"enrollment_id": enrollment.pk, "consent_id": consent.pk})
    response = client_for(world.case_manager).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="client.consent_download")
    assert event.actor == world.case_manager and event.detail["enrollment"] == enrollment.pk
    for outsider in ("other_agency_director", "other_state_director", "counselor"):
        assert client_for(world.people[outsider]).get(url).status_code in (403, 404), outsider
    assert AuditEvent.objects.filter(action="client.consent_download").count() == 1
    detail = reverse("clients:consent_detail", kwargs={"enrollment_id": enrollment.pk, "consent_id": consent.pk})
    page = client_for(world.case_manager).get(detail).content.decode()
    assert "Download the signed release" in page and "release version 1" in page


def test_revoking_records_who_when_and_how_and_ends_sharing_at_once(world, client_for) -> None:
    enrollment = enroll(world)
    consent = signing.consent_sign(
        actor=world.case_manager,
        enrollment=enrollment,
        terms=dvr_terms(world),
        signature=signing.Signature("typed", typed_name="Pat Tester"),
    )
    detail = reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk})
    assert client_for(world.counselor).get(detail).status_code == 200
    url = reverse("clients:consent_revoke", kwargs={"enrollment_id": enrollment.pk, "consent_id": consent.pk})
    response = client_for(world.case_manager).post(url, {})
    assert response.status_code == 400 and "Choose one of the options" in response.content.decode()
    assert client_for(world.case_manager).post(url, {"how": "verbal"}).status_code == 302
    consent.refresh_from_db()
    assert (consent.revoked_by, consent.revoked_how, consent.revoked_on) == (world.case_manager, "verbal", days_ago(0))
    assert client_for(world.counselor).get(detail).status_code == 404


def test_a_paper_consent_keeps_its_scan_and_a_renamed_file_is_refused(world, client_for) -> None:
    enrollment = enroll(world)
    url = reverse("clients:consent_add", kwargs={"enrollment_id": enrollment.pk})
    fields = {"organization": world.orgs["dvr1"].pk, "scope": "employment", "starts_on": days_ago(1).isoformat()}
    fake = SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client_for(world.case_manager).post(url, {**fields, "scan": fake})
    assert response.status_code == 400 and "does not contain what a .pdf file should" in response.content.decode()
    assert not Consent.objects.exists()
    scan = SimpleUploadedFile("scan.png", signature_png(), content_type="image/png")
    assert client_for(world.case_manager).post(url, {**fields, "scan": scan}).status_code == 302
    consent = Consent.objects.get()
    assert consent.signed_by == "paper" and consent.document_name == "scan.png"


def test_the_consents_section_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries) -> None:
    enrollment = enroll(world)
    for _ in range(3):
        _prepare(world, enrollment)
    services.consent_create(
        actor=world.case_manager,
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    client = client_for(world.case_manager)
    url = reverse("clients:record_consents", kwargs={"enrollment_id": enrollment.pk})
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        _prepare(world, enrollment)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_english_release_keeps_english_dates_whatever_the_staff_language(world) -> None:
    import datetime

    from django.utils import translation

    enrollment = enroll(world)
    terms = dvr_terms(world, starts_on=datetime.date(2026, 12, 7), expires_on=datetime.date(2027, 12, 7))
    template = signing.template_or_default(enrollment.program.state)
    with translation.override("es"):
        text = signing.fill(template, enrollment, terms)
    assert "December 7, 2026" in text and "diciembre" not in text
