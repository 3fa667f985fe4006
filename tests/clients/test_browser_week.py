"""In the browser: the specialist logs employer contacts at a desk and on a phone and sees where their week
stands against the standard of 6; the supervisor drills down from the dashboard to that specialist. axe
checks every page; on the phone no page scrolls sideways and the confirmation is in view after the save."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshub.clients import services
from tests.browsing import CheckedPage
from tests.clients.factories import employer
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def _no_sideways_scroll(ui: CheckedPage) -> None:
    width = ui.page.evaluate("document.documentElement.scrollWidth")
    assert width <= ui.page.viewport_size["width"], f"{ui.page.url} scrolls sideways ({width} px)"


def _log_a_contact(ui: CheckedPage, employer_name: str) -> None:
    ui.page.get_by_label("Employer", exact=True).select_option(label=employer_name)
    ui.page.get_by_label("Purpose").select_option(label="Learn the employer's needs")
    ui.page.get_by_role("button", name="Save contact").click()
    ui.checked()


def test_the_specialist_sees_the_week_grow_and_the_supervisor_drills_down(browser, live_server) -> None:
    world = build_world(with_catalog=False)
    bakery = employer(world, name="Cedar Street Bakery")
    today = timezone.localdate()
    for _ in range(2):  # two face-to-face visits already today: the week so far is 2 whatever the weekday
        services.employer_contact_log(
            actor=world.specialist,
            program=world.programs["p1"],
            employer=bakery,
            contacted_on=today,
            purpose="learn",
        )

    desk = browser.new_context(viewport=DESK)
    try:
        ui = CheckedPage(desk.new_page(), live_server.url)
        ui.page.set_default_timeout(15_000)
        page = ui.sign_in("specialist", PASSWORD)
        week = page.get_by_role("region", name="Employer contacts this week")
        expect(week).to_contain_text("2 of 6 face-to-face employer contacts")
        expect(week.get_by_role("img", name="Face-to-face employer contacts week by week (yours)")).to_be_visible()
        page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Employer contacts").click()
        ui.checked()
        page.get_by_role("link", name="Log an employer contact").first.click()
        ui.checked()
        _log_a_contact(ui, "Cedar Street Bakery")
        expect(page.get_by_role("status").first).to_contain_text(
            "Logged. This week: 3 of 6 face-to-face employer contacts."
        )
        page.get_by_role("link", name="Your last 13 weeks").click()
        ui.checked()
        expect(page.get_by_role("heading", name="Your last 13 weeks")).to_be_in_viewport()
    finally:
        desk.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        ui = CheckedPage(phone.new_page(), live_server.url)
        ui.page.set_default_timeout(15_000)
        page = ui.sign_in("specialist", PASSWORD)
        _no_sideways_scroll(ui)
        week = page.get_by_role("region", name="Employer contacts this week")
        expect(week).to_contain_text("3 of 6 face-to-face employer contacts")
        week.get_by_role("link", name="Log an employer contact").click()
        ui.checked()
        _log_a_contact(ui, "Cedar Street Bakery")
        confirmation = page.get_by_role("status").first
        expect(confirmation).to_contain_text("Logged. This week: 4 of 6 face-to-face employer contacts.")
        expect(confirmation).to_be_in_viewport()
        _no_sideways_scroll(ui)
        ui.goto("/clients/")
        expect(page.get_by_role("region", name="Employer contacts this week")).to_contain_text("4 of 6")
        _no_sideways_scroll(ui)
    finally:
        phone.close()

    for viewport in (DESK, PHONE):
        context = browser.new_context(viewport=viewport)
        try:
            ui = CheckedPage(context.new_page(), live_server.url)
            ui.page.set_default_timeout(15_000)
            page = ui.sign_in("supervisor", PASSWORD)
            ui.goto(f"/ips-dashboard/{world.programs['p1'].pk}/")
            _no_sideways_scroll(ui)
            table = page.get_by_role("region", name="Each specialist")
            expect(table).to_contain_text("This week so far: 4 of 6")
            table.get_by_role("link", name="Specialist Tester").click()
            ui.checked()
            _no_sideways_scroll(ui)
            expect(page.get_by_role("heading", level=1)).to_have_text("Specialist Tester")
            weeks = page.get_by_role("region", name="Employer contacts by week")
            expect(weeks).to_contain_text("This week so far: 4 of 6.")
            expect(page.get_by_role("region", name="Quarter by quarter")).to_be_visible()
        finally:
            context.close()
