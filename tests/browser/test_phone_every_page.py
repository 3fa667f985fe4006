"""At phone width (390×844), no page scrolls sideways: each demo role signs in and walks every page it can reach.

The walk starts at the role's home page and follows every same-site link it finds (navigation, tables, cards),
breadth first, opening each kind of page (each URL pattern) once per party (the state team, the mental health
agency, the provider, DVR: the roles of one party share their pages' templates): the first one found by the
party's first role, then what its other roles reach beyond that. Each role's home page is always opened (the
start of its links). A page fails
when the document is wider than the screen; the message names the elements that stick out. Wide content
belongs in a container that scrolls by itself (a table in `.usa-table-container--scrollable`) or turns into
cards; the page itself never scrolls sideways. Downloads (exports, PDFs, the calendar feed: links marked
`download` or `data-busy`) are not pages.

The walk also proves what every role sees first: their home page greets them by name and agency.
"""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Error, Page

from ipshub.demo.demo_state import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Never followed: they are no page (the API, files, feeds) or end the walk (signing out).
NOT_WALKED_PREFIXES = ("/api/", "/static/", "/media/", "/accounts/logout")
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


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download]):not([data-busy])", "els => els.map((e) => e.getAttribute('href'))"
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, a mailto: or tel: link, or an in-page anchor
        if parts.path.startswith(NOT_WALKED_PREFIXES):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _walk(page: Page, base_url: str, checked: set[str]) -> tuple[dict[str, str], list[str]]:
    """Every page reachable from home, one per route, but for the routes in `checked` (already opened by the
    party's earlier roles; home is opened whatever): {route: path}, and the overflow failures."""
    seen: dict[str, str] = {}
    failures: list[str] = []
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        route = _route_name(urlsplit(path).path)
        if route is None or route in seen or (route in checked and path != "/"):
            continue
        seen[route] = path
        try:
            response = page.goto(base_url + path, wait_until="load")
        except Error as error:  # a download starts instead of a page
            if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
                continue
            raise
        if response is None or not response.ok or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow:
            failures.append(f"{path} ({route}): " + "; ".join(overflow))
        queue.extend(_links(page))
    return seen, failures


def test_no_page_scrolls_sideways_on_a_phone_for_any_demo_role(browser: Browser, live_server, demo) -> None:
    failures: list[str] = []
    checked_by_party: dict[str, set[str]] = {}
    for login in DEMO_LOGINS:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(login.username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading.startswith(f"Welcome, {login.first_name}"), f"{login.username} landed on {heading!r}"
        assert login.organization in page.locator(".usa-intro").first.inner_text()
        checked = checked_by_party.setdefault(login.organization, set())
        seen, role_failures = _walk(page, live_server.url, checked)
        checked.update(seen)
        failures += [f"{login.username}: {failure}" for failure in role_failures]
        context.close()
    # The walk reached real work, not just the home pages: every party opens dozens of kinds of pages.
    walked = {party: len(routes) for party, routes in checked_by_party.items()}
    assert len(walked) == 4 and min(walked.values()) >= 15, walked
    assert not failures, "Pages wider than a 390 px phone:\n" + "\n".join(failures)
