"""At phone width (390×844), with the demo's data, no page scrolls sideways: each demo role signs in on a phone.

Every role's home page is checked. The first role of each party (the state team, the mental health agency, the
provider, DVR: the roles of one party share their pages' templates) then opens every page its home page links to
(the navigation, the work listed, the caseload or programs), each kind of page (each URL pattern) once. The axe
walk (test_axe_every_page.py) checks every page of every route at phone width, with the test world's records;
this walk adds the demo's fuller, longer ones where people meet them first. A page fails
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
from django.utils import translation
from playwright.sync_api import Browser, Error, Page

from ipshub.demo.demo_state import DEMO_LOGINS, DEMO_PASSWORD
from ipshub.tenancy.models import Person
from tests.browsing import PHONE, wider_than_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Never followed: they are no page (the API, files, feeds) or end the walk (signing out).
NOT_WALKED_PREFIXES = ("/api/", "/static/", "/media/", "/accounts/logout")


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


def _walk(page: Page, base_url: str, *, follow: bool) -> tuple[dict[str, str], list[str]]:
    """Home, and when `follow`, every page it links to, one per route: {route: path}, and the overflow failures."""
    seen: dict[str, str] = {}
    failures: list[str] = []
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        route = _route_name(urlsplit(path).path)
        if route is None or route in seen:
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
        overflow = wider_than_the_screen(page)
        if overflow:
            failures.append(f"{path} ({route}): " + "; ".join(overflow))
        if follow and path == "/":  # what home links to, not what those pages link to in turn
            queue.extend(_links(page))
    return seen, failures


def welcome(username: str, first_name: str) -> str:
    """The home page's greeting in the person's own language (the demo has a Spanish-speaking specialist)."""
    with translation.override(Person.objects.get(username=username).language or "en"):
        return translation.gettext("Welcome, %(name)s") % {"name": first_name}


def test_no_page_scrolls_sideways_on_a_phone_for_any_demo_role(browser: Browser, live_server, demo) -> None:
    failures: list[str] = []
    walked_by_party: dict[str, int] = {}
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
        assert heading == welcome(login.username, login.first_name), f"{login.username} landed on {heading!r}"
        assert login.organization in page.locator(".usa-intro").first.inner_text()
        first_of_party = login.organization not in walked_by_party
        seen, role_failures = _walk(page, live_server.url, follow=first_of_party)
        if first_of_party:
            walked_by_party[login.organization] = len(seen)
        failures += [f"{login.username}: {failure}" for failure in role_failures]
        context.close()
    # The walk reached real work, not just the home pages: every party opens many kinds of pages.
    print(f"\nphone walk: kinds of pages per party {walked_by_party}")
    assert len(walked_by_party) == 4 and min(walked_by_party.values()) >= 8, walked_by_party
    assert not failures, "Pages wider than a 390 px phone:\n" + "\n".join(failures)
