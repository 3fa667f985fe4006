"""Consents through the API: sign (typed or drawn), every bad input a precise 400, the PDF download audited,
revocation with how, the state team's release template; outsiders get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.audit.models import AuditEvent
from ipshub.clients import signing
from ipshub.clients.models import Consent, ReleaseTemplate
from tests.api.test_api import assert_error, if_match
from tests.clients.factories import days_ago, enroll, signature_data_url
from tests.world import World

pytestmark = pytest.mark.django_db


def _body(world: World, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "organization": world.orgs["dvr1"].pk,
        "scope": "employment",
        "purpose": "to plan my job search with DVR",
        "starts_on": days_ago(0).isoformat(),
        "expires_on": days_ago(-365).isoformat(),
        "signature_method": "typed",
        "typed_name": "Pat Tester",
        "confirmed": True,
    }
    body.update(changes)
    return body


def test_a_case_manager_records_a_typed_signature_and_the_client_gets_the_pdf(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/consents/"
    response = api(world.case_manager).post(url, _body(world), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["template_version"] == 1 and data["signature_method"] == "typed" and data["signed_name"] == "Pat Tester"
    assert "A DVR Pine Office" in data["release_text"]
    document = api(world.case_manager).get(data["document_url"])
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="client.consent_download", actor=world.case_manager).count() == 1
    listed = api(world.supervisor).get(url).json()
    assert [c["id"] for c in listed] == [data["id"]]
    for outsider in ("other_agency_director", "other_state_director"):
        assert_error(api(world.people[outsider]).get(data["document_url"]), 404)
        assert_error(api(world.people[outsider]).post(url, _body(world), format="json"), 404)


def test_a_drawn_signature_is_accepted_as_a_png_data_url(world: World, api) -> None:
    enrollment = enroll(world)
    body = _body(world, signature_method="drawn", typed_name="", confirmed=False, signature=signature_data_url())
    response = api(world.specialist).post(f"/api/v1/clients/{enrollment.pk}/consents/", body, format="json")
    assert response.status_code == 201, response.content
    assert Consent.objects.get().signed_by == "drawn"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"signature_method": "drawn", "typed_name": "", "signature": ""}, "signature", "signature box is empty"),
        ({"signature_method": "drawn", "signature": "data:image/gif;base64,R0lG"}, "signature", "PNG image"),
        ({"typed_name": ""}, "typed_name", "Type your full name"),
        ({"confirmed": False}, "confirmed", "Check the box"),
        ({"expires_on": days_ago(3).isoformat()}, "expires_on", "can't end before it starts"),
        ({"expires_on": None, "expires_event": ""}, "expires_on", "an end date, or an event"),
        ({"organization": 999999}, "organization", "Choose a DVR office"),
    ],
)
def test_bad_input_is_a_precise_400_and_nothing_is_saved(world: World, api, changes, field, words) -> None:
    enrollment = enroll(world)
    response = api(world.case_manager).post(
        f"/api/v1/clients/{enrollment.pk}/consents/", _body(world, **changes), format="json"
    )
    error = assert_error(response, 400)
    assert words in " ".join(error["fields"][field])
    assert not Consent.objects.exists()


def test_revoking_through_the_api_records_how_and_ends_sharing(world: World, api) -> None:
    enrollment = enroll(world)
    consent = api(world.case_manager).post(f"/api/v1/clients/{enrollment.pk}/consents/", _body(world), format="json")
    url = f"/api/v1/clients/{enrollment.pk}/consents/{consent.json()['id']}/revoke/"
    assert api(world.counselor).get(f"/api/v1/clients/{enrollment.pk}/").status_code == 200
    assert "how" in assert_error(api(world.case_manager).post(url, {}, format="json"), 400)["fields"]
    assert_error(api(world.counselor).post(url, {"how": "verbal"}, format="json"), 403)
    revoked = api(world.case_manager).post(url, {"how": "writing"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["revoked_how"] == "writing"
    assert_error(api(world.counselor).get(f"/api/v1/clients/{enrollment.pk}/"), 404)
    again = assert_error(api(world.case_manager).post(url, {"how": "writing"}, format="json"), 400)
    assert "already revoked" in again["fields"]["how"][0]


def test_the_state_team_reads_and_versions_the_release_template(world: World, api) -> None:
    url = f"/api/v1/release-templates/{world.state_a.pk}/"
    current = api(world.state_lead).get(url).json()
    assert current["is_default"] and current["version"] == 1 and "{recipient}" in current["body"]
    lead = api(world.state_lead)
    bad = lead.put(url, {"body": "Sign here."}, format="json", **if_match(lead, url))
    assert "who receives it" in " ".join(assert_error(bad, 400)["fields"]["body"])
    body = signing.DEFAULT_RELEASE.replace("Permission to share", "Sharing")
    saved = lead.put(url, {"body": body, "change_note": "Shorter title"}, format="json", **if_match(lead, url))
    assert saved.status_code == 201 and saved.json()["version"] == 1 and not saved.json()["is_default"]
    assert ReleaseTemplate.objects.get().change_note == "Shorter title"
    for outsider in ("other_state_lead", "director", "case_manager"):
        assert_error(api(world.people[outsider]).get(url), 404)


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_a_consent_signed_on_paper_is_recorded_with_its_scan(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/consents/paper/"

    def body(**changes: object) -> dict[str, object]:
        fields: dict[str, object] = {
            "organization": world.orgs["dvr1"].pk,
            "scope": "employment",
            "starts_on": days_ago(3).isoformat(),
            "scan": SimpleUploadedFile("release.pdf", PDF, content_type="application/pdf"),
        }
        fields.update(changes)
        return {name: value for name, value in fields.items() if value is not None}

    for outsider in ("other_agency_director", "other_state_lead"):
        assert_error(api(world.people[outsider]).post(url, body(), format="multipart"), 404)
    assert_error(api(world.people["counselor"]).post(url, body(), format="multipart"), 404)
    specialist = api(world.specialist)
    # Every problem at once, in the web form's words; an unknown field named; nothing written.
    error = assert_error(
        specialist.post(
            url,
            body(
                organization=world.orgs["mh1"].pk,
                starts_on=days_ago(-400).isoformat(),
                scan=SimpleUploadedFile("release.pdf", b"not a pdf", content_type="application/pdf"),
                color="blue",
            ),
            format="multipart",
        ),
        400,
    )
    assert set(error["fields"]) >= {"organization", "color"}
    assert_error(specialist.post(url, body(scan=SimpleUploadedFile("x.exe", b"MZ")), format="multipart"), 400)
    assert not Consent.objects.filter(client=enrollment.client).exists()
    made = specialist.post(url, body(), format="multipart")
    assert made.status_code == 201, made.content
    assert made.json()["organization"] == world.orgs["dvr1"].pk
    consent = Consent.objects.get(client=enrollment.client)
    assert consent.scope == "employment" and consent.starts_on == days_ago(3)
    event = AuditEvent.objects.get(action="client.consent_add")
    assert event.object_id == str(consent.pk) and event.detail["scan"] is True
    # Without a scan, as on the web.
    again = specialist.post(url, body(scan=None, organization=world.orgs["provider1"].pk), format="multipart")
    assert again.status_code == 201, again.content


def test_a_release_signed_through_the_api_is_in_the_clients_language_and_says_so(world: World, api) -> None:
    enrollment = enroll(world)
    enrollment.client.preferred_language = "es"
    enrollment.client.save()
    url = f"/api/v1/clients/{enrollment.pk}/consents/"
    body = _body(world, expires_event="cuando se cierre mi caso de DVR")
    body.pop("purpose", None)  # the default purpose, written in the release's language
    response = api(world.case_manager).post(url, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["language"] == "es" and "Por qué se comparte: para planificar" in data["release_text"]
    english = api(world.case_manager).post(url, {**body, "language": "en"}, format="json").json()
    assert english["language"] == "en" and english["release_text"].startswith("Permission to share")
    assert (
        "language"
        in assert_error(api(world.case_manager).post(url, {**body, "language": "fr"}, format="json"), 400)["fields"]
    )
    for outsider in ("other_agency_director", "other_state_director"):
        assert_error(api(world.people[outsider]).get(f"{url}{data['id']}/"), 404)
    template = f"/api/v1/release-templates/{world.state_a.pk}/"
    spanish = api(world.state_lead).get(template + "?language=es")
    assert spanish.status_code == 200 and spanish.json()["language"] == "es"
    assert spanish.json()["body"].startswith("Permiso para compartir") and spanish["ETag"].startswith(
        '"releasetemplatees-'
    )
    assert "language" in assert_error(api(world.state_lead).get(template + "?language=fr"), 400)["fields"]
    assert_error(api(world.people["other_state_lead"]).get(template + "?language=es"), 404)
