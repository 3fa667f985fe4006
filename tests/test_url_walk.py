"""Walk every URL pattern: each view must be behind the access layer or on a short, reviewed list,
and every object URL must answer 404 to people of another agency and another state."""

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ipshub.api.services import token_create
from ipshub.lib.contributions import area_names
from tests.world import World

# Reviewed: pages anyone may reach without signing in.
# The calendar feed authenticates with its own secret token (a wrong one is 404) or the session.
PUBLIC = {"login", "logout", "health", "ping", "collaboration:calendar_feed"}
# Reviewed: signed-in pages that show no tenant-owned data (or read it only through the access layer
# inside a selector, like the home page).
NON_TENANT = {
    "home",
    "home_more",
    "search",
    "accounts:account",
    "accounts:mfa_verify",
    "accounts:mfa_setup",
    "accounts:mfa_enrol",
    "accounts:mfa_enrol_email",
    "accounts:backup_codes_renew",
    "accounts:password_change",
    "catalog:index",
    "catalog:roadmap",
    "catalog:stage_detail",
    "catalog:questions",
    "catalog:roles",
    # Field work offline: the page (the person's own offline pack inline), its pack-free shell and its worker.
    "web:field",
    "web:field_shell",
    "web:field_service_worker",
    # The API's shape and its human-readable page, and the catalog through the API.
    "api:me-language",  # the person's own interface language
    "api:schema",
    "api:docs",
    "api:catalog-stage-list",
    "api:catalog-question-list",
    "api:catalog-responsibility-list",
    "api:training-course-list",
}
# Reviewed: the pages a person signed in with only a password may reach (besides PUBLIC): the second factor's
# (verify, and first set-up behind the one-time enrolment code).
SECOND_FACTOR = {"accounts:mfa_verify", "accounts:mfa_setup", "accounts:mfa_enrol", "accounts:mfa_enrol_email"}
# The API answers anything under /api/v1/ that matches no endpoint with a JSON 404 (401 without a token).
API_FALLBACK = {"api:not-found"}
# Outsiders to program P1 and everything in it.
OUTSIDERS = (
    "other_agency_director",
    "other_agency_specialist",
    "other_state_admin",
    "other_state_lead",
    "other_state_director",
)


@dataclass
class Route:
    name: str
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]


def _walk(patterns: list, namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            converters = getattr(entry.pattern, "converters", {})
            yield Route(f"{namespace}{entry.name}" if entry.name else "", entry.callback, tuple(converters))


def routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if not r.name.startswith("static")]


def is_api(route: Route) -> bool:
    """API endpoints sign in with a personal token (Authorization: Token <key>), not a session."""
    return getattr(route.callback, "ipshub_api", False)


def clients_for(person, client_for) -> Callable[[Route], Client]:
    """The person's door to each route: a signed-in session for pages, a token for API endpoints."""
    session = client_for(person)
    api = Client(headers={"Authorization": f"Token {token_create(actor=person, person=person, name='walk')[1]}"})
    return lambda route: api if is_api(route) else session


def object_ids(world: World) -> dict[str, int]:
    """A foreign object for every URL keyword: all belong to program P1 in state A.

    Each area adds its own keywords in tests/<area>/url_objects.py: `object_ids(world) -> dict`."""
    director = world.people["director"]
    ids = {
        "program_id": world.programs["p1"].pk,
        "organization_id": world.orgs["mh1"].pk,
        "person_id": director.pk,
        "membership_id": director.memberships.get().pk,
        "stage_number": 1,
    }
    for area in (*area_names(), "api"):
        try:
            module = importlib.import_module(f"tests.{area}.url_objects")
        except ModuleNotFoundError:
            continue
        found = module.object_ids(world)
        # One keyword, one kind of record: two areas naming different records with the same keyword would
        # send one area's routes the other's ids (on SQLite the ids often agree by chance; on PostgreSQL not).
        clash = sorted(key for key in set(found) & set(ids) if found[key] != ids[key])
        assert not clash, f"tests/{area}/url_objects.py reuses URL keyword(s) {clash}: give its routes their own"
        ids.update(found)
    return ids


def url_for(route: Route, ids: dict[str, int]) -> str:
    missing = [k for k in route.kwargs if k not in ids]
    assert not missing, f"{route.name}: add an object for URL keyword(s) {missing} to object_ids()"
    return reverse(route.name, kwargs={k: ids[k] for k in route.kwargs})


def test_every_route_is_named_and_behind_the_access_layer() -> None:
    problems = []
    for route in routes():
        if not route.name:
            problems.append(f"unnamed route with view {route.callback!r}")
            continue
        marker = getattr(route.callback, "ipshub_access", None)
        if route.name in PUBLIC:
            continue
        if marker == "non_tenant" and route.name not in NON_TENANT:
            problems.append(f"{route.name} is marked non-tenant but is not on the reviewed list")
        elif marker not in ("scoped", "non_tenant"):
            problems.append(f"{route.name} is neither @scoped_view nor on the reviewed public list")
    assert not problems, "\n".join(problems)
    assert len(routes()) > 15


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    client = Client()
    ids = object_ids(world)
    for route in routes():
        if route.name in PUBLIC:
            continue
        response = client.get(url_for(route, ids))
        if is_api(route):
            # An API client is told to authenticate, not redirected to a sign-in page.
            assert response.status_code == 401, f"{route.name}: {response.status_code}"
            assert response["WWW-Authenticate"] == "Token", route.name
            continue
        assert response.status_code in (302, 405), f"{route.name}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), route.name


@pytest.mark.once  # the second-factor gate is a middleware, the same on both databases
@pytest.mark.django_db
def test_a_password_alone_reaches_nothing_but_the_second_factor(world: World, settings) -> None:
    """Every page is behind the second factor: signed in with a password only (two-factor sign-in
    required), every URL but the public and second-factor pages sends the person to the second factor, and
    every API endpoint refuses the session (it takes only tokens) with a JSON 401."""
    settings.IPSHUB_MFA_REQUIRED = True
    person = world.people["director"]
    client = Client()
    client.force_login(person)  # the password step: no device verified in this session
    ids = object_ids(world)
    second_factor = {reverse(name) for name in SECOND_FACTOR}
    checked = 0
    for route in routes():
        if route.name in PUBLIC | SECOND_FACTOR:
            continue
        url = url_for(route, ids)
        redirected = False
        for method in (client.get, client.post):
            response = method(url)
            checked += 1
            if is_api(route):
                assert response.status_code == 401, f"{route.name}: {response.status_code}"
                assert response["Content-Type"] == "application/json", route.name
            elif response.status_code != 405:  # a method the page does not take shows nothing
                assert response.status_code == 302, f"{route.name} ({url}): {response.status_code}"
                assert response["Location"] in second_factor, f"{route.name}: sent to {response['Location']}"
                redirected = True
        assert redirected or is_api(route), f"{route.name}: neither method reached the second-factor gate"
    assert checked > 100
    assert client.get(reverse("api:docs"))["Location"] in second_factor  # the page finding 5 was about
    # The second factor's own page still opens (a set's order varies between runs: name the page).
    assert client.get(reverse("accounts:mfa_verify")).status_code in (200, 302)


# With PostgreSQL the access matrix (test_access_matrix.py) asks every outsider the same and more (GET and POST
# of every object-taking route, objects of another agency and of another state); the access layer's filters are
# the same ORM on both engines. Without PostgreSQL (everything on SQLite) this walk asks it: marked `once`, it
# stays out of the SQLite pass that runs beside a PostgreSQL one.
ASKED_ON_POSTGRESQL_BY_THE_ACCESS_MATRIX = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="on PostgreSQL the access matrix asks every outsider the same"
)
# On PostgreSQL the axe walk (tests/browser/test_axe_every_page.py) opens every page as the first insider who
# reaches it and fails on a page nobody reaches: the positive control for pages; the API is walked on both.
ASKED_ON_POSTGRESQL_BY_THE_AXE_WALK = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="on PostgreSQL the axe walk opens every page as an insider"
)


@ASKED_ON_POSTGRESQL_BY_THE_ACCESS_MATRIX
@pytest.mark.once
@pytest.mark.django_db
def test_outsiders_get_404_on_every_object_url(world: World, client_for) -> None:
    ids = object_ids(world)
    object_routes = [r for r in routes() if r.name not in PUBLIC | NON_TENANT and r.kwargs]
    assert len(object_routes) >= 8
    tried = 0
    for name in OUTSIDERS:
        client_of = clients_for(world.people[name], client_for)
        for route in object_routes:
            url = url_for(route, ids)
            client = client_of(route)
            for method in (client.get, client.post):
                response = method(url)
                tried += 1
                assert response.status_code in (404, 405), (
                    f"{name} got {response.status_code} from {route.name} ({url})"
                )
    assert tried >= 80


# The positive control signs in as each of these until one reaches the page.
INSIDERS = ("admin", "state_lead", "director", "supervisor", "specialist", "counselor", "trainer", "reviewer")
# Reviewed: endpoints whose GET needs query parameters (without them: a 400 naming each).
REQUIRED_QUERY = {"api:program-fidelity-estimate": "?start=2026-01-01&end=2026-06-30"}


def _insiders_reach(world: World, client_for, *, api: bool) -> None:
    """The positive control: the objects above are real and reachable by someone entitled to them, so the
    outsiders' 404s are the access layer's doing."""
    ids = object_ids(world)
    client_sets = [clients_for(world.people[name], client_for) for name in INSIDERS]
    reached = 0
    for route in routes():
        if route.name in PUBLIC or route.name == "accounts:mfa_verify":  # redirects to set-up: no device yet
            continue
        if is_api(route) != api:
            continue
        url = url_for(route, ids) + REQUIRED_QUERY.get(route.name, "")
        statuses = []
        for client_of in client_sets:  # until someone reaches it (the fallback must answer 404 to everyone)
            statuses.append(client_of(route).get(url).status_code)
            if statuses[-1] in (200, 405) and route.name not in API_FALLBACK:
                break
        if route.name in API_FALLBACK:
            assert set(statuses) == {404}, f"{route.name}: {statuses}"
        else:
            assert 200 in statuses or 405 in statuses, f"{route.name}: nobody reached it ({statuses})"
        reached += 1
    assert reached >= 40


@ASKED_ON_POSTGRESQL_BY_THE_AXE_WALK
@pytest.mark.django_db
def test_insiders_reach_every_page(world: World, client_for) -> None:
    _insiders_reach(world, client_for, api=False)


@pytest.mark.django_db
def test_insiders_reach_every_api_endpoint(world: World, client_for) -> None:
    _insiders_reach(world, client_for, api=True)
