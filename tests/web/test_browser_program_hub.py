"""The program's hub as the state lead, and a statewide view as the trainer, in the browser (axe on each page,
and both laid out at a phone's width)."""

import pytest
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Program
from tests.browsing import wider_than_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_state_lead_reads_a_hub_and_the_trainer_a_statewide_view(ui, demo) -> None:
    program = Program.objects.get(name="Harbor City IPS")
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    ui.goto(f"/programs/{program.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor City IPS")
    for panel in ("Implementation", "Fidelity", "Outcomes", "Meetings", "Technical assistance"):
        expect(page.get_by_role("heading", name=panel, exact=True)).to_be_visible()
    assert wider_than_a_phone(page) == []
    page.get_by_role("link", name="Outcomes", exact=True).last.click()
    ui.checked()
    assert page.url.endswith(f"/outcomes/programs/{program.pk}/")

    page.context.clear_cookies()
    page = ui.sign_in("trainer", DEMO_PASSWORD)
    page.get_by_role("link", name="Statewide").first.click()
    ui.checked()
    page.get_by_role("link", name="Technical-assistance activity").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technical-assistance activity")
    expect(page.get_by_role("table").first).to_be_visible()
    assert wider_than_a_phone(page) == []
    for other in ("/statewide/training-gaps/", "/statewide/fidelity-schedule/"):  # axe on the other two views
        ui.goto(other)
        assert wider_than_a_phone(page) == [], other
