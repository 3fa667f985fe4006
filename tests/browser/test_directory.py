"""An administrator manages organizations, people, memberships and programs in the browser."""

import pytest
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Organization, Person, Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_an_organization_a_person_and_a_program(ui, demo) -> None:
    page = ui.sign_in("admin", DEMO_PASSWORD)
    page.get_by_role("link", name="Organizations").first.click()
    ui.checked()
    page.get_by_role("link", name="Add an organization").click()
    ui.checked()
    # Bad input first: the form says what is wrong and keeps what was typed.
    page.get_by_label("Kind of organization").select_option(label="Employment service provider")
    page.get_by_label("Region").fill("East")
    page.get_by_label("Tribal mental health agency").check()
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Name: Fill in this field.")
    expect(page.get_by_role("alert")).to_contain_text("Only a mental health agency can be marked tribal.")
    expect(page.get_by_label("Region")).to_have_value("East")
    ui.field("Name").fill("Eastside Employment Co-op")
    page.get_by_label("Tribal mental health agency").uncheck()
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Employment Co-op")
    assert Organization.objects.filter(name="Eastside Employment Co-op", region="East").exists()

    ui.goto("/directory/people/new/")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Vega")
    page.get_by_label("Username").fill("rvega")
    page.get_by_label("Email").fill("rvega@westmark.example")
    page.get_by_label("Organization").select_option(label="Eastside Employment Co-op")
    page.get_by_label("Role").select_option(label="DVR counselor")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("can't have the role 'DVR counselor'")
    expect(page.get_by_label("Username")).to_have_value("rvega")
    page.get_by_label("Role").select_option(label="IPS supervisor")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Vega")
    page.get_by_label("Organization").select_option(label="Summit Employment Partners")
    page.get_by_label("Role").select_option(label="Employment specialist")
    page.get_by_role("button", name="Add role").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("Summit Employment Partners")
    assert Person.objects.get(username="rvega").memberships.count() == 2

    ui.goto("/programs/new/")
    ui.field("Name").fill("Eastside IPS")
    page.get_by_label("Mental health agency").select_option(label="Harbor City Behavioral Health")
    page.get_by_label("Employment service provider").select_option(label="Eastside Employment Co-op")
    page.get_by_label("DVR Harbor Office").check()
    page.get_by_label("Assigned state trainer").select_option(label="Lee Santos")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside IPS")
    expect(page.locator(".usa-intro")).to_contain_text("Prior to implementation")
    program = Program.objects.get(name="Eastside IPS")
    assert [o.name for o in program.dvr_offices.all()] == ["DVR Harbor Office"]


def test_state_lead_overrides_a_phase_with_a_reason(ui, demo) -> None:
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    program = Program.objects.get(name="Harbor City IPS")
    ui.goto(f"/programs/{program.pk}/")
    page.get_by_role("link", name="program's implementation page").click()
    ui.checked()
    page.get_by_label("Move to phase").select_option(label="Implementation")
    page.get_by_label("Effective on").fill("2000-01-01")
    page.get_by_role("button", name="Override the phase").click()
    ui.checked()
    expect(page.get_by_role("alert").first).to_contain_text("Fill in this field.")
    page.get_by_label("Effective on").fill(program.phase_since.isoformat())
    page.get_by_label("Reason").fill("Kick-off held; first referral recorded on paper.")
    page.get_by_role("button", name="Override the phase").click()
    ui.checked()
    ui.goto(f"/programs/{program.pk}/")
    expect(page.locator(".usa-intro")).to_contain_text("Implementation since")
    expect(page.get_by_role("table")).to_contain_text("Kick-off held")
