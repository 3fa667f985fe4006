"""The running fidelity estimate and the outcomes compute page in a browser (axe checks every page)."""

import pytest
from playwright.sync_api import expect

from ipshub.clients import services
from tests.clients import factories as cf
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_sees_the_estimate_and_computes_a_quarter(ui) -> None:
    world = build_world()
    p1 = world.programs["p1"]
    enrollment = cf.enroll(world, referred=30)
    services.employer_contact_log(
        actor=world.specialist,
        program=p1,
        contacted_on=cf.days_ago(10),
        purpose="client",
        employer=cf.employer(world),
        enrollment=enrollment,
    )
    page = ui.sign_in("supervisor", PASSWORD)
    ui.goto(f"/fidelity/programs/{p1.pk}/estimate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Running fidelity estimate: Program P1")
    expect(page.get_by_role("table")).to_contain_text("Average days from entry to first employer contact")
    ui.field("To").fill("2000-01-01")
    page.get_by_role("button", name="Show").click()
    ui.checked()
    expect(page.locator("body")).to_contain_text("swap the dates")

    # Issue 26: the specialists' time behind items 1 and 2, recorded from the estimate's page.
    ui.goto(f"/fidelity/programs/{p1.pk}/estimate/")
    page.get_by_role("link", name="the specialists' time").click()
    ui.checked()
    ui.field("Employment specialist").select_option(label="Specialist Tester")
    ui.field("Full-time equivalent on this program").fill("1.5")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.locator("body")).to_contain_text("Enter 1 or less.")
    expect(page.locator("body")).to_contain_text("Enter a number.")
    ui.field("Full-time equivalent on this program").fill("0.5")
    ui.field("Percent of that time on employment services").fill("90")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("0.50")

    ui.goto(f"/outcomes/programs/{p1.pk}/")
    page.get_by_role("link", name="Compute from client records").click()
    ui.checked()
    page.get_by_role("button", name="Compute from client records").click()
    ui.checked()
    expect(page.locator("body")).to_contain_text("computed from the client records into a draft")
