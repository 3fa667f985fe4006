"""Browser tests: Playwright drives Debian's Chromium; axe-core checks every page a test visits.

The fixtures `browser` and `ui` are offered to every test folder by tests/conftest.py."""

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright

from ipshub.demo.chromium import CHROMIUM_ARGS

AXE_JS = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str:
    path = os.environ.get("IPSHUB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        # Browser tests never skip: a missing browser is a set-up error with its fix.
        pytest.fail(
            "Chromium is missing: install it with `apt-get install -y chromium` "
            "(or set IPSHUB_CHROMIUM to a Chromium binary).",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright per test process: a second `sync_playwright()` while one runs fails ("Sync API inside the
    asyncio loop"), so a test that needs its own kind of browser (a persistent profile) launches it from this."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci`.", pytrace=False)
    browser = playwright_driver.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


# A phone's screen (an iPhone 12 to 15, portrait): no page may be wider.
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
# The elements wider than the screen, outermost first, skipping those inside a container that scrolls itself.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrollsItself = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || scrollsItself(el)) continue;
    if (out.some((o) => o.el.contains(el))) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    out.push({el, text: name + " (right edge " + Math.round(box.right) + " px)"});
    if (out.length >= 5) break;
  }
  return [document.documentElement.scrollWidth + " px wide"].concat(out.map((o) => o.text));
}"""


def wider_than_the_screen(page: Page) -> list[str]:
    """Empty when the page fits its screen's width; else its width and the elements that stick out."""
    overflow: list[str] = page.evaluate(OVERFLOW_JS)
    return overflow


def wider_than_a_phone(page: Page) -> list[str]:
    """The page laid out again at a phone's width, checked, then put back at its own size."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        return wider_than_the_screen(page)
    finally:
        if size:
            page.set_viewport_size(size)


class AxeViolations(AssertionError):
    pass


def check_axe(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A and AA) on the current page; fail with every violation listed."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Served by the app itself in test mode (settings_test), so the page's CSP allows it.
        page.add_script_tag(url="/static/axe-core/axe.min.js")
    # Only violations are reported in full (axe's `resultTypes`): every rule still runs on every node, but the
    # passes are not gathered and sent back node by node, which was a quarter of each check's time.
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    if violations:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ]
        raise AxeViolations(
            f"axe found {len(violations)} violation(s) on {page.url}:\n" + json.dumps(summary, indent=2)
        )


class CheckedPage:
    """A Playwright page that runs axe after every navigation the test makes through it."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        # Content-Security-Policy refusals show up as console errors: any is a failure.
        self.csp_errors: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.checked()
        return self.page

    def checked(self) -> Page:
        self.page.wait_for_load_state("load")
        assert not self.csp_errors, f"CSP violations on {self.page.url}: {self.csp_errors}"
        check_axe(self.page)
        self.visited.append(self.page.url)
        return self.page

    def sign_in(self, username: str, password: str) -> Page:
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        return self.checked()

    def field(self, label: str) -> Locator:
        """The form control labelled exactly `label` (the label may also carry the "(required)" mark)."""
        return self.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*(\(required\))?\s*$"))

    def __getattr__(self, name: str):
        return getattr(self.page, name)


@pytest.fixture
def ui(browser: Browser, live_server) -> Iterator[CheckedPage]:
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield CheckedPage(page, live_server.url)
    context.close()
