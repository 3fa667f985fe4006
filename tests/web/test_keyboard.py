"""Keyboard only: the main flows with Tab, Shift+Tab, Enter, arrow keys and typing — no clicks, no `.fill()`.

At every stop the focused element must be on screen and show a focus indicator (a computed outline, or a
box shadow where there is no outline); every page visited is walked with Tab from the skip link to the end
and back to the skip link, so no element traps the keyboard. axe checks each page (the `ui` fixture)."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ipshub.clients.models import EmployerContact, SupportContact
from ipshub.demo.demo_state import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What is focused, and whether it can be seen. A native radio or checkbox that USWDS hides off screen shows
# its focus on the label's box (`::before`), so that box is checked instead.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {tag: 'BODY', ok: false, name: ''};
  let shown = el, pseudo = null;
  if (el.matches('.usa-checkbox__input, .usa-radio__input')) {
    shown = document.querySelector('label[for="' + CSS.escape(el.id) + '"]') || el;
    pseudo = '::before';
  }
  const style = getComputedStyle(shown, pseudo);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = !!style.boxShadow && style.boxShadow !== 'none';
  const box = shown.getBoundingClientRect();
  const visible = box.width > 0 && box.height > 0 && getComputedStyle(shown).visibility !== 'hidden';
  const onScreen = box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
  let name = el.getAttribute('aria-label') || '';
  if (!name && el.labels && el.labels.length) name = el.labels[0].innerText;
  if (!name) name = el.innerText || '';
  if (!name) { const img = el.querySelector('img[alt]'); if (img) name = img.alt; }
  name = name.replace(/\\(required\\)/, '').replace(/\\s+/g, ' ').trim();
  return {tag: el.tagName, id: el.id, name: name, href: el.getAttribute('href'),
          inMain: !!el.closest('main'), indicator: outline || shadow, visible: visible, onScreen: onScreen,
          ok: (outline || shadow) && visible && onScreen};
}"""
SKIP_LINK = "Skip to main content"


class Keyboard:
    """Drives a page with the keyboard only and checks the visible focus at every stop."""

    def __init__(self, ui) -> None:
        self.ui = ui
        self.page = ui.page
        self.keys = ui.page.keyboard

    def focused(self) -> dict:
        """The focused element, once it is on screen with its indicator (the skip link slides in)."""
        try:
            self.page.wait_for_function(f"() => ({FOCUS_JS})().ok", polling=50, timeout=3_000)
        except PlaywrightError:
            state = self.page.evaluate(FOCUS_JS)
            raise AssertionError(f"focus is not visible on {self.page.url}: {state}") from None
        return self.page.evaluate(FOCUS_JS)

    def tab(self, back: bool = False) -> dict:
        self.keys.press("Shift+Tab" if back else "Tab")
        return self.focused()

    def tab_to(self, name: str | re.Pattern, *, back: bool = False, limit: int = 120) -> dict:
        """Tab (or Shift+Tab) until the focused element has this accessible name; every stop is checked."""
        seen = []
        for _ in range(limit):
            self.keys.press("Shift+Tab" if back else "Tab")
            state = self.page.evaluate(FOCUS_JS)
            if state["tag"] == "BODY":  # past the last element: the browser's own controls, then the page again
                seen.append("(browser)")
                continue
            state = self.focused()
            seen.append(state["name"])
            if name.search(state["name"]) if isinstance(name, re.Pattern) else state["name"] == name:
                return state
        raise AssertionError(f"{name!r} is not reachable with the keyboard on {self.page.url}; stops: {seen}")

    def activate(self, key: str = "Enter") -> None:
        """Press a key that loads a new page, then let axe check it."""
        with self.page.expect_navigation():
            self.keys.press(key)
        self.ui.checked()

    def walk_whole_page(self) -> list[str]:
        """Tab to the skip link, then through every stop and around to the skip link again: no keyboard
        trap, every stop visible. Shift+Tab from the next stop comes back to the skip link, where it ends."""
        stops = [self.tab_to(SKIP_LINK)["name"]]
        for _ in range(400):
            self.keys.press("Tab")
            state = self.page.evaluate(FOCUS_JS)
            if state["tag"] == "BODY":
                continue
            state = self.focused()
            if state["name"] == SKIP_LINK:
                break
            stops.append(state["name"])
        else:
            raise AssertionError(f"Tab never came back to the skip link on {self.page.url}: {stops[-10:]}")
        assert len(stops) > 3, stops
        # Back: Shift+Tab from the skip link's next stop returns to it; from the last stop back one.
        self.tab_to(stops[1])
        assert self.tab(back=True)["name"] == SKIP_LINK
        return stops


def _sign_in(kb: Keyboard, username: str) -> None:
    kb.ui.goto("/accounts/login/")
    state = kb.focused()  # the username field has focus as the page opens
    assert state["name"] == "Username", state
    kb.keys.type(username)
    assert kb.tab()["name"] == "Password"
    kb.keys.type(DEMO_PASSWORD)
    assert kb.tab()["name"] == "Sign in"
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _sign_out(kb: Keyboard) -> None:
    kb.tab_to(re.compile(r"^Sign out"))
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_have_text("Sign in to IPS Hub")


def test_a_specialist_works_the_caseload_with_the_keyboard_only(ui, demo) -> None:
    kb = Keyboard(ui)
    _sign_in(kb, "specialist")
    kb.walk_whole_page()

    # The skip link (where the walk ends) jumps past the header: the next Tab lands inside the main content.
    assert kb.focused()["name"] == SKIP_LINK
    kb.keys.press("Enter")
    assert kb.page.evaluate("() => document.activeElement.id") == "main-content"
    assert kb.tab()["inMain"]

    # "/" jumps to the search box from anywhere.
    kb.keys.press("/")
    assert kb.focused()["id"] == "site-search"
    kb.keys.type("Pine County")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_have_text("Search")
    kb.tab_to("Pine County IPS")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_contain_text("Pine County IPS")

    # Caseload → log an employer contact.
    kb.tab_to("Caseload")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_have_text("Caseload")
    stops = kb.walk_whole_page()
    assert "Abernathy, Ruth" in stops
    contacts = EmployerContact.objects.count()
    kb.tab_to("Log an employer contact")
    kb.activate()
    kb.walk_whole_page()
    kb.tab_to("Employer")
    kb.keys.type("Cedar")  # type-ahead picks the option in a closed select
    kb.tab_to("Purpose")
    kb.keys.type("Learn")
    kb.tab_to("Save contact")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_have_text("Employer contact log")
    assert EmployerContact.objects.count() == contacts + 1
    contact = EmployerContact.objects.order_by("-id").first()
    assert contact is not None
    assert (contact.employer.name, contact.purpose) == ("Cedar Street Bakery", "learn")

    # Caseload → a client → log a support contact by phone (arrow keys choose the radio button).
    kb.tab_to("Caseload")
    kb.activate()
    kb.tab_to("Bell, Marcus")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_have_text("Marcus Bell")
    kb.tab_to("Log support contact")
    kb.activate()
    kb.walk_whole_page()
    assert kb.tab_to("In person")["tag"] == "INPUT"
    kb.keys.press("ArrowDown")
    assert kb.focused()["name"] == "Phone"
    kb.tab_to("Note")
    kb.keys.type("Checked in after the first week.")
    kb.tab_to("Save")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_have_text("Marcus Bell")
    support = SupportContact.objects.order_by("-id").first()
    assert support is not None
    assert (support.kind, support.note) == ("phone", "Checked in after the first week.")
    assert support.enrollment.client.last_name == "Bell"
    _sign_out(kb)


def test_a_supervisor_opens_the_dashboard_with_the_keyboard_only(ui, demo) -> None:
    kb = Keyboard(ui)
    _sign_in(kb, "supervisor")
    kb.tab_to("IPS dashboard")
    kb.activate()
    kb.walk_whole_page()
    kb.tab_to("Pine County IPS")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_contain_text("Pine County IPS")
    kb.walk_whole_page()
    _sign_out(kb)


def test_a_state_lead_opens_the_board_and_a_program_with_the_keyboard_only(ui, demo) -> None:
    kb = Keyboard(ui)
    _sign_in(kb, "statelead")
    kb.tab_to("State board")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_contain_text("board")
    kb.walk_whole_page()
    # Filter the board by phase from the keyboard: type-ahead in the select, then the Filter button.
    kb.tab_to("Phase")
    kb.keys.type("Impl")
    kb.tab_to("Filter")
    kb.activate()
    expect(kb.page.get_by_role("main")).not_to_contain_text("Harbor City IPS")
    kb.tab_to("Lake County IPS")
    kb.activate()
    expect(kb.page.get_by_role("heading", level=1)).to_contain_text("Lake County IPS")
    kb.walk_whole_page()
    _sign_out(kb)
