"""A person makes an API token in the browser, uses it once, reads the docs page, and revokes it."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from ipshub.api.models import ApiToken
from ipshub.tenancy.models import Person
from ipshub.tenancy.services import person_language_set
from tests.browsing import PHONE
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _api_status(base: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(base + "/api/v1/me/", headers={"Authorization": f"Token {key}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_person_makes_uses_and_revokes_a_token(ui, live_server) -> None:
    build_world()
    page = ui.sign_in("director", PASSWORD)
    ui.goto("/account/tokens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    # Bad input first: the form says what is wrong.
    ui.field("Expires on").fill("2020-01-01")
    page.get_by_role("button", name="Make token").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Name: Fill in this field.")
    ui.field("Name").fill("Nightly EHR export")
    page.get_by_role("button", name="Make token").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Choose an expiry date after today")
    ui.field("Expires on").fill("")
    page.get_by_role("button", name="Make token").click()
    ui.checked()
    key = page.get_by_label("Token key").input_value()
    assert key.startswith("ipsh_")
    expect(page.get_by_role("table")).to_contain_text("Nightly EHR export")
    status, body = _api_status(live_server.url, key)
    assert status == 200 and body["person"]["username"] == "director"
    # The key is shown once only.
    ui.goto("/account/tokens/")
    assert key not in page.content()
    expect(page.get_by_role("table")).to_contain_text("Active")

    page.get_by_role("link", name="IPS Hub API").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("IPS Hub API")
    expect(page.get_by_role("heading", name="GET /api/v1/programs/{program_id}/", exact=True)).to_be_visible()
    # In Spanish, on a phone: the descriptions are Spanish, the identifiers the same, nothing wider than the page.
    person_language_set(person=Person.objects.get(username="director"), language="es")
    page.set_viewport_size(PHONE)
    ui.goto("/api/v1/docs/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Operaciones")).to_be_visible()
    expect(
        page.get_by_text("Derivar a un cliente a un programa (su equipo de salud mental o unidad IPS)").first
    ).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/v1/clients/", exact=True)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    person_language_set(person=Person.objects.get(username="director"), language="en")
    page.set_viewport_size({"width": 1280, "height": 800})

    ui.goto("/account/tokens/")
    page.get_by_role("button", name="Revoke the token Nightly EHR export").click()
    ui.checked()
    expect(page.get_by_role("status")).to_contain_text("was revoked")
    expect(page.get_by_role("table")).to_contain_text("Revoked")
    assert ApiToken.objects.get().revoked_at is not None
    status, body = _api_status(live_server.url, key)
    assert status == 401 and body["error"]["code"] == "authentication_failed"
