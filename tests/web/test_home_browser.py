"""The first screen of home shows the person's own work, on a laptop and on a phone; axe finds nothing.

As the demo's specialist, supervisor, director and state lead, at 1366×900 and 390×844: the "Needs you now"
heading and its first item lie inside the viewport without scrolling, above the caseload or programs; the rest
of the page (loaded once shown) passes axe too."""

import pytest
from playwright.sync_api import Browser, Page, expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from tests.browsing import CheckedPage, check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ((1366, 900), (390, 844))
# The section that follows "Needs you now" for each person: their caseload or their programs.
NEXT_SECTION = {
    "specialist": "Your caseload",
    "supervisor": "Your IPS unit",
    "director": "Your programs",
    "statelead": "Implementation board",
}


def _inside(page: Page, selector: str, height: int) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{selector} is not on the first screen: {box}"
    return box


@pytest.mark.parametrize("username", list(NEXT_SECTION))
def test_the_first_screen_of_home_shows_the_persons_own_work(browser: Browser, live_server, demo, username) -> None:
    for width, height in VIEWPORTS:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        ui = CheckedPage(page, live_server.url)
        try:
            ui.sign_in(username, DEMO_PASSWORD)  # lands on home; axe checks it
            assert page.evaluate("window.scrollY") == 0
            # Nothing wider than the screen (no sideways scrolling on a phone).
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            heading = _inside(page, "#needs-heading", height)
            first = _inside(page, "#needs li, #needs .ipshub-needs__clear", height)
            assert heading["y"] < first["y"]
            # Their own work comes before their caseload or programs.
            following = page.get_by_role("heading", name=NEXT_SECTION[username], exact=True)
            expect(following).to_be_attached()
            following_box = following.bounding_box()
            assert following_box is not None and following_box["y"] > first["y"]
            # The rest of the page comes once it is shown (at once beside the main column on a wide screen, when
            # scrolled to on a phone): axe checks the whole page then.
            page.mouse.wheel(0, 20_000)
            expect(page.get_by_role("heading", name="The IPS catalog")).to_be_visible()
            check_axe(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            context.close()
