"""In the browser, in Spanish (issue #24): the demo's IPS supervisor and state lead, their language set to Spanish
on their profile, go through their daily pages. Each page says `lang="es"`, shows its interface in Spanish (data
stays as typed) and passes axe."""

import pytest
from playwright.sync_api import Browser, Page, expect

from ipshub.clients.models import Enrollment
from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.services import person_language_set
from tests.browsing import CheckedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def spanish(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    nav = page.get_by_role("navigation", name="Navegación principal")
    expect(nav.get_by_role("link", name="Inicio")).to_be_visible()


def signed_in_in_spanish(browser: Browser, base_url: str, username: str) -> CheckedPage:
    person_language_set(person=Person.objects.get(username=username), language="es")
    # An English browser: the profile's language wins once signed in.
    ui = CheckedPage(browser.new_context().new_page(), base_url)
    ui.sign_in(username, DEMO_PASSWORD)
    spanish(ui.page)
    return ui


def test_the_supervisor_and_the_state_lead_in_spanish(browser: Browser, live_server, demo) -> None:
    # The supervisor's day: home, the dashboard and a specialist's page, the caseload, a client, the employers.
    ui = signed_in_in_spanish(browser, live_server.url, "supervisor")
    page = ui.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Morgan")
    ui.goto("/ips-dashboard/")
    spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Paneles de supervisión de IPS")
    page.get_by_role("main").get_by_role("link").first.click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Panel de IPS:")
    expect(page.get_by_role("heading", name="Cada especialista")).to_be_visible()
    expect(page.get_by_role("button", name="Mostrar")).to_be_visible()
    page.get_by_role("link", name="Jamie Patel").click()
    ui.checked()
    spanish(page)
    expect(page.get_by_role("heading", name="Lista de casos hoy")).to_be_visible()
    expect(page.get_by_text("Cómo se cuenta cada cifra")).to_be_visible()
    ui.goto("/clients/")
    spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Casos asignados")
    expect(page.get_by_role("table", name="Lista de casos abierta por especialista de empleo")).to_be_visible()
    client = Enrollment.objects.filter(specialist__username="specialist").first()
    assert client is not None
    ui.goto(f"/clients/{client.pk}/")
    spanish(page)
    sections = page.get_by_role("navigation", name="Secciones del expediente del cliente")
    expect(sections.get_by_role("link", name="Consentimientos")).to_be_visible()
    sections.get_by_role("link", name="Consentimientos").click()
    ui.checked()
    expect(page.get_by_role("heading", name="Consentimientos para compartir")).to_be_visible()
    ui.goto("/employers/")
    spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Empleadores")
    page.context.close()

    # The state lead: the state board and one program's overview.
    ui = signed_in_in_spanish(browser, live_server.url, "statelead")
    page = ui.page
    ui.goto("/implementation/")
    spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel estatal")
    pine = Program.objects.get(name="Pine County IPS")
    ui.goto(f"/implementation/programs/{pine.pk}/")
    spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pine County IPS")
    expect(page.get_by_role("heading", name="Responsabilidades")).to_be_visible()
    expect(page.get_by_role("navigation", name="Secciones del programa")).to_be_visible()
    page.context.close()
