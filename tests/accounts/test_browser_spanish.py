"""In the browser, in Spanish (issue #24): the sign-in page follows the browser's language; Frankie Lopez, the
demo's specialist who works in Spanish, signs in and finds home and the caseload in Spanish, on a desk and on a
phone. axe checks every page (the `lang` attribute included)."""

import pytest
from playwright.sync_api import Browser, expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from tests.browsing import PHONE, CheckedPage, wider_than_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_spanish_specialist_works_in_spanish(browser: Browser, live_server, demo) -> None:
    context = browser.new_context(locale="es-MX", extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
    ui = CheckedPage(context.new_page(), live_server.url)
    page = ui.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inicie sesión en IPS Hub")
    page.get_by_label("Nombre de usuario").fill("flopez")
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    ui.checked()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    nav = page.get_by_role("navigation", name="Navegación principal")
    expect(nav.get_by_role("link", name="Inicio")).to_be_visible()
    expect(page.get_by_role("link", name="Saltar al contenido principal")).to_be_attached()
    expect(page.get_by_role("heading", name="Necesita su atención ahora")).to_be_visible()
    nav.get_by_role("link", name="Casos asignados").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casos asignados")
    expect(page.get_by_role("link", name="Registrar un contacto con un empleador").first).to_be_visible()
    expect(page.get_by_role("search", name="Buscar en los casos asignados")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Villanueva")  # data stays as typed
    assert not wider_than_a_phone(page)
    # The employer contact form: labels, and every error at once, in Spanish.
    page.get_by_role("link", name="Registrar un contacto con un empleador").first.click()
    ui.checked()
    page.get_by_role("button", name="Guardar contacto").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Elija el empleador o escriba el nombre de un empleador nuevo.")
    expect(page.get_by_label("O un empleador nuevo")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Menú").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    context.close()
