"""In the browser, on the demo: the supervisor at 1366×900 sorts and filters the caseload and transfers two
clients with a reason; the specialist at 390×844 sorts and filters a caseload of cards with no sideways
scroll. axe checks every page."""

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Enrollment, EnrollmentEvent
from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_supervisor_transfers_two_clients_and_the_specialist_works_on_a_phone(ui, demo) -> None:
    ui.page.set_viewport_size({"width": 1366, "height": 900})
    page = ui.sign_in("supervisor", DEMO_PASSWORD)
    ui.goto("/clients/")
    table = page.get_by_role("table").filter(has_text="Needs attention")
    # Sort by the last contact: the header link, then its state for screen readers.
    table.get_by_role("link", name="Last contact (sort longest ago first)").click()
    ui.checked()
    expect(table.get_by_role("columnheader", name="Last contact")).to_have_attribute("aria-sort", "ascending")
    expect(table.get_by_role("row").nth(1)).to_contain_text("None yet")  # never contacted: the longest ago
    # Filter: who needs attention, and why.
    page.get_by_label("Needs attention", exact=True).select_option(label="Any reason")
    page.get_by_role("search", name="Search the caseload").get_by_role("button", name="Search").click()
    ui.checked()
    assert "attention=any" in page.url and "sort=contact" in page.url
    expect(table).to_contain_text("Job ended without help toward the next")
    expect(table).to_contain_text("No employer contact within 30 days of referral")
    expect(table.get_by_role("row")).to_have_count(4)  # the header and Abernathy, Ashworth, Obi
    # Transfer two of Jamie's clients to Frankie, with a reason.
    ui.goto("/clients/?specialist=" + str(Person.objects.get(username="specialist").pk))
    page.get_by_label("Choose for transfer Priya Raman").check()
    page.get_by_label("Choose for transfer Grace Delacroix").check()
    page.get_by_role("button", name="Transfer the chosen clients…").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transfer clients to another specialist")
    frankie = Person.objects.get(username="flopez")
    page.get_by_label("Transfer to").select_option(value=str(frankie.pk))
    page.get_by_role("button", name="Transfer").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Say why the clients are moving")  # every error at once
    expect(page.get_by_label("Transfer to")).to_have_value(str(frankie.pk))
    page.get_by_label("Reason").fill("Jamie's caseload is full; Frankie works near both clients.")
    expect(page.get_by_role("group", name="Clients to transfer").get_by_role("checkbox")).to_have_count(2)
    page.get_by_role("button", name="Transfer").click()
    ui.checked()
    expect(page.get_by_role("status").first).to_contain_text("2 clients transferred to Frankie Lopez")
    moved = Enrollment.objects.filter(client__last_name__in=["Raman", "Delacroix"])
    assert {e.specialist_id for e in moved} == {frankie.pk}
    assert EnrollmentEvent.objects.filter(enrollment__in=moved, reason__startswith="Jamie's caseload").count() == 2
    page.context.clear_cookies()
    # One demo for both people (building it is most of the test's time).
    _specialist_on_a_phone(ui)


def _specialist_on_a_phone(ui) -> None:
    ui.page.set_viewport_size({"width": 390, "height": 844})
    page = ui.sign_in("specialist", DEMO_PASSWORD)
    ui.goto("/clients/")
    _no_sideways_scroll(page)
    page.get_by_label("Sort by").select_option(label="Needs attention: most reasons first")
    page.get_by_label("Working", exact=True).select_option(label="Not working")
    page.get_by_role("search", name="Search the caseload").get_by_role("button", name="Search").click()
    ui.checked()
    _no_sideways_scroll(page)
    cards = page.get_by_role("table").filter(has_text="Needs attention").get_by_role("row")
    expect(cards.nth(1)).to_contain_text("Abernathy, Ruth")  # two reasons: first
    expect(cards.nth(1)).to_contain_text("No contact in 30 days")
    first_card = cards.nth(1).bounding_box()
    assert first_card is not None and first_card["width"] <= 390
    page.get_by_label("Needs attention", exact=True).select_option(label="Job ended without help toward the next")
    page.get_by_role("search", name="Search the caseload").get_by_role("button", name="Search").click()
    ui.checked()
    expect(cards).to_have_count(2)  # Henry Ashworth's card below the (hidden) header row
    expect(cards.nth(1)).to_contain_text("Ashworth, Henry")
    _no_sideways_scroll(page)
