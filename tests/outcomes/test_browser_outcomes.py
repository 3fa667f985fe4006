"""The quarterly report round trip in a browser: submit, return, correct, accept, see it on the dashboard."""

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(ui) -> None:  # type: ignore[no-untyped-def]
    ui.page.get_by_role("button", name="Sign out").click()
    ui.checked()


def test_supervisor_submits_state_returns_supervisor_corrects_state_accepts(ui) -> None:
    world = build_world()
    p1 = world.programs["p1"]
    page = ui.sign_in("supervisor", PASSWORD)
    ui.goto(f"/outcomes/programs/{p1.pk}/")
    page.get_by_role("link", name="Enter quarterly figures").click()
    ui.checked()
    ui.field("Year").fill("2025")
    ui.field("Quarter").select_option("1")
    ui.field("People served").fill("40")
    ui.field("People who worked in a competitive job").fill("22")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program P1: 2025 Q1")
    page.get_by_role("button", name="Submit to the state team").click()
    ui.checked()
    expect(page.locator(".usa-intro")).to_contain_text("Submitted for review")
    sign_out(ui)

    page = ui.sign_in("state_lead", PASSWORD)
    ui.goto("/outcomes/?end=2025-Q1&quarters=4")
    page.get_by_role("link", name="Program P1, 2025 Q1").click()
    ui.checked()
    page.get_by_text("Return it to the program with comments").click()
    ui.field("Comments").fill("Worked looks high for 40 served; please check the job list.")
    page.get_by_role("button", name="Record the decision").click()
    ui.checked()
    expect(page.locator(".usa-intro")).to_contain_text("Returned for changes")
    sign_out(ui)

    page = ui.sign_in("supervisor", PASSWORD)
    ui.goto(f"/outcomes/programs/{p1.pk}/")
    page.get_by_role("link", name="2025 Q1").click()
    ui.checked()
    expect(page.get_by_role("alert").or_(page.locator(".usa-alert")).first).to_contain_text("Worked looks high")
    page.get_by_role("link", name="Edit figures").click()
    ui.checked()
    ui.field("People who worked in a competitive job").fill("18")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    page.get_by_role("button", name="Submit to the state team").click()
    ui.checked()
    sign_out(ui)

    page = ui.sign_in("state_lead", PASSWORD)
    ui.goto("/outcomes/?end=2025-Q1&quarters=4")
    page.get_by_role("link", name="Program P1, 2025 Q1").click()
    ui.checked()
    page.get_by_text("Accept the report").click()
    page.get_by_role("button", name="Record the decision").click()
    ui.checked()
    expect(page.locator(".usa-intro")).to_contain_text("Accepted")
    ui.goto("/outcomes/?end=2025-Q1&quarters=4")
    totals = page.get_by_role("table", name="State totals by quarter")
    expect(totals).to_contain_text("45.0%")
    expect(page.get_by_role("table", name="Program P1")).to_contain_text("Accepted")
    ui.goto("/outcomes/benchmarks/")
    ui.goto(f"/outcomes/programs/{p1.pk}/goals/")
