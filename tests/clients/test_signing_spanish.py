"""The release in Spanish (issue #24): a Spanish-speaking client reads, signs and gets the PDF of the release
in Spanish, whatever the staff person's interface speaks; the state team keeps a Spanish text beside the
English, each with its own versions; English releases are unchanged; outsiders see nothing."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from ipshub.audit.models import AuditEvent
from ipshub.clients import signing
from ipshub.clients.models import Consent, ConsentDraft, Enrollment, ReleaseTemplate
from ipshub.tenancy.models import Organization
from ipshub.tenancy.roles import OrgKind
from tests.clients.factories import days_ago, dvr_terms, enroll
from tests.clients.test_signing import in_pdf, pdf_text


@pytest.fixture(autouse=True)
def _english_after() -> object:
    """A request leaves its reader's language active in the thread: the next test starts in English again."""
    yield
    translation.activate("en")


def _sign_url(enrollment, draft) -> str:
    return reverse("clients:consent_sign", kwargs={"enrollment_id": enrollment.pk, "draft_id": draft.pk})


def test_the_spanish_default_release_has_every_required_element() -> None:
    assert signing.template_problems(signing.DEFAULT_RELEASES["es"], "es") == []
    # Each language checks its own words: the English words are not the Spanish release's.
    problems = " ".join(signing.template_problems(signing.DEFAULT_RELEASES["es"].replace("revocar", "anular"), "es"))
    assert "'revocar'" in problems
    assert signing.template_problems(signing.DEFAULT_RELEASES["en"], "es")  # no "tratamiento" in English


@pytest.mark.django_db(transaction=True)
def test_a_spanish_speaking_demo_client_signs_the_release_in_spanish_and_gets_a_spanish_pdf(demo, client_for) -> None:
    enrollment = Enrollment.objects.select_related("client", "program", "specialist").filter(
        client__preferred_language="es", specialist__isnull=False
    )[0]
    staff = client_for(enrollment.specialist)
    office = Organization.objects.filter(state_id=enrollment.program.state_id, kind=OrgKind.DVR_OFFICE)[0]
    prepare = reverse("clients:consent_prepare", kwargs={"enrollment_id": enrollment.pk})
    page = staff.get(prepare).content.decode()
    assert '<option value="es" selected>Español</option>' in page  # the client's preferred language
    response = staff.post(
        prepare,
        {
            "language": "es",
            "organization": office.pk,
            "scope": "employment",
            "purpose": "",  # the usual purpose, in the release's language
            "starts_on": days_ago(0).isoformat(),
            "expires_on": "",
            "expires_event": "cuando se cierre mi caso de DVR",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ConsentDraft.objects.get(enrollment=enrollment)
    assert draft.language == "es" and draft.template.language == "es"
    # The page the client reads speaks Spanish, though the staff person's interface is English.
    page = staff.get(_sign_url(enrollment, draft), headers={"accept-language": "en"}).content.decode()
    assert '<html lang="es">' in page
    assert "Lea esta autorización y luego fírmela" in page and "Escriba su nombre completo" in page
    assert f"Yo, {enrollment.client.full_name}, permito que" in page
    assert "Please read this release" not in page
    name = enrollment.client.full_name
    response = staff.post(_sign_url(enrollment, draft), {"method": "typed", "typed_name": name, "confirmed": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get(client=enrollment.client, signed_by="typed")
    assert consent.language == "es" and consent.release_text.startswith("Permiso para compartir mi información")
    text = pdf_text(consent)
    for words in (
        "Autorización para compartir información",
        f"Yo, {name}, permito que {enrollment.client.agency.name} comparta información sobre mí con {office.name}",
        "Lo que se puede compartir: mis metas de trabajo",
        "Por qué se comparte: para planificar y coordinar mis servicios de empleo",
        "termina cuando se cierre mi caso de DVR",
        "Puedo revocar (retirar) este permiso",
        "Mi tratamiento, el pago",
        f"Firma de {name}:",
        "Fecha de la firma:",
        "leída y firmada en Español",  # the PDF records the language signed
    ):
        assert in_pdf(words, text), words
    assert not in_pdf("Permission to share", text) and not in_pdf("Date signed", text)
    event = AuditEvent.objects.get(action="client.consent_sign", object_id=str(consent.pk))
    assert event.detail["language"] == "es"
    # The staff person's page after signing is in their own language, and names the language signed.
    page = staff.get(response["Location"], headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in page and "read and signed in Español" in page


@pytest.mark.django_db
def test_an_english_release_stays_english_and_its_pdf_says_so(world) -> None:
    enrollment = enroll(world)  # no preferred language: English
    consent = signing.consent_sign(
        actor=world.case_manager,
        enrollment=enrollment,
        terms=dvr_terms(world),
        signature=signing.Signature("typed", typed_name="Pat Tester"),
    )
    assert consent.language == "en" and consent.release_text == signing.fill(
        consent.template, enrollment, dvr_terms(world)
    )
    text = pdf_text(consent)
    assert in_pdf("Permission to share my information", text) and in_pdf("read and signed in English", text)
    assert not in_pdf("Autorización", text)


@pytest.mark.django_db
def test_the_state_team_keeps_a_spanish_release_with_its_own_versions(world, client_for) -> None:
    lead = client_for(world.state_lead)
    url = reverse("clients:release_template", kwargs={"state_id": world.state_a.pk}) + "?language=es"
    page = lead.get(url).content.decode()
    assert "Permiso para compartir mi información" in page and "revocar" in page
    body = signing.DEFAULT_RELEASES["es"].replace("Permiso para compartir", "Su permiso para compartir")
    response = lead.post(url, {"body": body, "change_note": "Título", "version": "0"})
    assert response.status_code == 302 and response["Location"] == url
    saved = ReleaseTemplate.objects.get()
    assert (saved.language, saved.version) == ("es", 1)
    # English is untouched (still the default), and a Spanish text missing "tratamiento" is refused.
    assert signing.current_template(world.state_a, "en") is None
    response = lead.post(url, {"body": body.replace("tratamiento", "cuidado"), "version": "1"})
    assert response.status_code == 400 and "tratamiento" in response.content.decode()
    assert client_for(world.state_lead).get(url.replace("=es", "=fr")).status_code == 404
    # A Spanish-speaking client's release is prepared on the state's Spanish text.
    enrollment = enroll(world)
    enrollment.client.preferred_language = "es"
    enrollment.client.save()
    draft = signing.consent_draft_prepare(
        actor=world.case_manager, enrollment=enrollment, terms=dvr_terms(world, language="es")
    )
    assert draft.template == saved and draft.release_text.startswith("Su permiso para compartir")


@pytest.mark.django_db
def test_outsiders_see_nothing_of_a_spanish_release(world, client_for) -> None:
    enrollment = enroll(world)
    draft = signing.consent_draft_prepare(
        actor=world.case_manager, enrollment=enrollment, terms=dvr_terms(world, language="es")
    )
    consent = signing.consent_sign(
        actor=world.case_manager,
        enrollment=enrollment,
        terms=dvr_terms(world, language="es"),
        signature=signing.Signature("typed", typed_name="Pat Tester"),
    )
    document = reverse("clients:consent_document", kwargs={"enrollment_id": enrollment.pk, "consent_id": consent.pk})
    spanish = reverse("clients:release_template", kwargs={"state_id": world.state_a.pk}) + "?language=es"
    for name in ("other_agency_director", "other_agency_specialist", "other_state_director", "other_state_lead"):
        client = client_for(world.people[name])
        assert client.get(_sign_url(enrollment, draft)).status_code == 404, name
        assert client.get(document).status_code == 404, name
        assert client.get(spanish).status_code == 404, name


@pytest.mark.django_db
def test_the_caseload_export_is_in_the_readers_language(world, client_for) -> None:
    enroll(world, last="Baker")
    world.supervisor.language = "es"
    world.supervisor.save()
    response = client_for(world.supervisor).get(reverse("clients:caseload_export"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Número de expediente", "Apellido", "Nombre", "Estado"], rows[0]
    assert rows[0][9] == "Días desde el último contacto" and rows[1][1] == "Baker"
    assert rows[1][7] in ("Sí", "No")
