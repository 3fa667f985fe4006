"""axe-core (WCAG 2.1 AA) on every GET page of the product, seen by an insider who may open it; and at a
phone's width (390 px) the same page must not scroll sideways.

The URL walk's machinery enumerates every URL pattern and fills each `<thing>_id` keyword with an object of
program P1 (tests/<area>/url_objects.py). For each URL the Django test client finds the first insider who gets
200 with text/html; the browser then signs in once per persona and axe-checks (plus the CSP check) each page.
Only what cannot be an HTML page is skipped, each with its reason."""

from collections import defaultdict
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browsing import AxeViolations, wider_than_a_phone
from tests.test_url_walk import INSIDERS, Route, clients_for, is_api, object_ids, routes, url_for
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reviewed: routes that are never an HTML page, skipped without asking anyone.
NOT_PAGES = {
    "logout": "signs out (POST only); the sign-in page it leads to is checked by every sign-in",
    "health": "a probe for the load balancer, not a page",
    "ping": "a probe for the idle-timeout script, not a page",
    "collaboration:calendar_feed": "an iCalendar feed (text/calendar)",
}
# Pages for people who are not signed in (a signed-in person is sent on): checked before any sign-in.
SIGNED_OUT_PAGES = {"login"}
# Pages only a person with a confirmed authenticator sees (others are sent to set-up): checked as this persona,
# who is given one.
MFA_PAGES = {"accounts:mfa_verify": "case_manager"}
# Why a route that the insiders ask for is still skipped: these are the only acceptable answers.
POST_ONLY = "POST-only endpoint (every insider gets 405 on GET)"
DOWNLOAD = "a download, not a page"
API = "the JSON API under /api/ (its HTML docs page is checked)"


def _first_html_reader(
    route: Route, url: str, client_sets: list[tuple[str, Callable[[Route], Client]]]
) -> tuple[str | None, str]:
    """The first insider who gets 200 text/html, or None with the reason the route is no page."""
    statuses = []
    for name, client_of in client_sets:
        response = client_of(route).get(url)
        statuses.append(response.status_code)
        if response.status_code == 200:
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                return name, ""
            return None, f"{DOWNLOAD} ({content_type or 'file'})"
    if set(statuses) == {405}:
        return None, POST_ONLY
    # Neither a page nor a reviewed non-page: the test reports it.
    return None, f"no insider reached it: {statuses}"


def test_every_page_passes_axe(ui, world: World, client_for) -> None:
    ids = object_ids(world)
    client_sets = [(name, clients_for(world.people[name], client_for)) for name in INSIDERS]

    pages_by_person: dict[str, list[tuple[str, str]]] = defaultdict(list)
    skipped: list[tuple[str, str]] = []
    unreachable: list[str] = []
    for route in routes():
        if route.name in NOT_PAGES:
            skipped.append((route.name, NOT_PAGES[route.name]))
            continue
        if route.name in SIGNED_OUT_PAGES:
            pages_by_person[""].append((route.name, url_for(route, ids)))
            continue
        if route.name in MFA_PAGES:
            holder = world.people[MFA_PAGES[route.name]]
            TOTPDevice.objects.create(user=holder, name="Authenticator app", confirmed=True)
            pages_by_person[holder.username].append((route.name, url_for(route, ids)))
            continue
        if is_api(route):
            skipped.append((route.name, API))
            continue
        url = url_for(route, ids)
        reader, reason = _first_html_reader(route, url, client_sets)
        if reader:
            pages_by_person[reader].append((route.name, url))
        elif reason == POST_ONLY or reason.startswith(DOWNLOAD):
            skipped.append((route.name, reason))
        else:
            unreachable.append(f"{route.name} ({url}): {reason}")
    assert not unreachable, "Routes that are neither a page nor a reviewed non-page:\n" + "\n".join(unreachable)

    failures: list[str] = []
    checked = 0
    # Signed out first, then one sign-in per persona in the walk's order.
    for person in ("", *INSIDERS, *MFA_PAGES.values()):
        pages = pages_by_person.get(person)
        if not pages:
            continue
        if person:
            ui.page.context.clear_cookies()
            try:
                ui.sign_in(person, PASSWORD)  # axe-checks the sign-in page and the home page it lands on
            except (AxeViolations, AssertionError) as error:
                failures.append(f"sign-in or home page of {person}: {error}")
                ui.csp_errors.clear()
        for name, url in pages:
            try:
                response = ui.page.goto(ui.base_url + url)
                assert response is not None and response.status == 200, (
                    f"{name} ({url}) answered {response.status if response else 'nothing'} in the browser"
                )
                assert ui.page.url == ui.base_url + url, f"{name} ({url}) led to {ui.page.url} in the browser"
                ui.checked()
                overflow = wider_than_a_phone(ui.page)
                assert not overflow, f"{name} ({url}) is wider than a 390 px phone: " + "; ".join(overflow)
            except (AxeViolations, AssertionError) as error:
                failures.append(f"{name} as {person}: {error}")
                ui.csp_errors.clear()
            checked += 1

    print(f"\naxe: {checked} pages checked, {len(skipped)} skipped")
    for name, reason in skipped:
        print(f"  skipped {name}: {reason}")
    assert checked >= 100, f"only {checked} pages reached the browser"
    assert not failures, f"{len(failures)} page(s) fail axe or CSP:\n" + "\n\n".join(failures)
