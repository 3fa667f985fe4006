"""The interface's language: the person's saved choice, else the browser's, else English (issue #24)."""

import pytest
from django.test import Client

from ipshub.audit.models import AuditEvent
from tests.world import World


@pytest.mark.django_db
def test_the_sign_in_page_follows_the_browser_and_falls_back_to_english() -> None:
    page = Client().get("/accounts/login/", headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert page["Content-Language"] == "es"
    assert '<html lang="es">' in page.content.decode()
    assert "Inicie sesión en IPS Hub" in page.content.decode()
    english = Client().get("/accounts/login/", headers={"accept-language": "vi"}).content.decode()
    assert '<html lang="en">' in english and "Sign in to IPS Hub" in english


@pytest.mark.django_db
def test_a_person_chooses_spanish_and_the_next_page_is_in_spanish(world: World, client_for) -> None:
    specialist = world.people["specialist"]
    client = client_for(specialist)
    page = client.get("/accounts/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in page and "Save language" in page
    answer = client.post("/accounts/", {"language": "es"})
    assert answer.status_code == 302
    specialist.refresh_from_db()
    assert specialist.language == "es"
    assert AuditEvent.objects.filter(action="person.language", actor=specialist).exists()
    # The saved language wins over the browser's.
    page = client.get("/accounts/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="es">' in page and "Su cuenta" in page and "Se guardó su idioma." in page
    assert ">Inicio<" in client.get("/", headers={"accept-language": "en"}).content.decode()
    # Back to the browser's language.
    client.post("/accounts/", {"language": ""})
    page = client.get("/accounts/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_a_language_not_offered_is_refused_with_the_typed_value_kept(world: World, client_for) -> None:
    client = client_for(world.people["specialist"])
    answer = client.post("/accounts/", {"language": "xx"})
    assert answer.status_code == 400
    assert "Choose one of the options in the list." in answer.content.decode()
    world.people["specialist"].refresh_from_db()
    assert world.people["specialist"].language == ""
