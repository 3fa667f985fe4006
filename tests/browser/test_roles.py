"""Demo roles sign in, land on their own home page and browse the catalog; axe checks each page."""

import pytest
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_role_signs_in_and_browses_the_catalog(ui, demo) -> None:
    # Every role's sign-in and greeting is proved by the phone walk (test_phone_every_page.py), which opens
    # every page each demo role reaches; here one person reads the catalog the way every role can.
    login = next(login for login in DEMO_LOGINS if login.username == "casemanager")
    page = ui.sign_in(login.username, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Welcome, {login.first_name}")
    expect(page.locator(".usa-intro").first).to_contain_text(login.organization)

    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Catalog").click()
    ui.checked()
    page.get_by_role("link", name="Browse the stages").click()
    ui.checked()
    expect(page.locator(".usa-process-list__item")).to_have_count(10)
    page.get_by_role("link", name="Assess readiness to implement").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess readiness to implement")

    ui.goto("/catalog/questions/")
    expect(page.locator("main ol.usa-list > li")).to_have_count(12)
    ui.goto("/catalog/roles/")
    expect(page.locator("tfoot td").last).to_have_text("98")
    page.get_by_role("button", name="Sign out").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to IPS Hub")


def test_role_home_pages_differ(ui, demo) -> None:
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Programs in your state")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Harbor City IPS")
    page.get_by_role("button", name="Sign out").click()
    page = ui.sign_in("specialist", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Your programs")).to_be_visible()
    # In the rest of the home page (loaded once shown), folded: the summary names the program and the party.
    expect(page.get_by_text("Pine County IPS · Employment service provider: what it does now")).to_be_visible()
    expect(page.get_by_role("table").first).not_to_contain_text("Harbor City IPS")


def test_wrong_password_gets_a_clear_message(ui, demo) -> None:
    ui.goto("/accounts/login/")
    ui.page.get_by_label("Username").fill("director")
    ui.page.get_by_label("Password").fill("not-the-password")
    ui.page.get_by_role("button", name="Sign in").click()
    page = ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value("director")
