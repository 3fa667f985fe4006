"""Every response that shows a client's name leaves an audit event naming that client (audit/disclosure.py).

The walk signs in as every persona of the test world (insiders of every role, people of another agency
and another state), requests every URL pattern (pages with a session, API endpoints with a token), follows
every export link a page offers and every API export in CSV and in XLSX, and reads each response the way a
person would get it (HTML, JSON, CSV, the cells of an XLSX). Whenever a client's name is in it, an audit
event of that request by that person must name the client. Clients get names no page could show by chance.
"""

import io
import os
import re
from collections.abc import Iterator

import openpyxl
import pytest
from django.db import connection
from django.test import Client as HttpClient

from ipshub.audit.models import AuditEvent
from ipshub.clients import services
from ipshub.clients.models import Client, Enrollment
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.test_url_walk import PUBLIC, Route, clients_for, object_ids, routes, url_for
from tests.world import PERSONAS, World

# The disclosure record is made by the ORM and a middleware, the same on both databases: walked once, in the SQLite
# pass (SQLite in memory answers a quarter faster); on PostgreSQL alone when there is no SQLite pass.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor == "postgresql" and os.environ.get("IPSHUB_SQLITE_PASS") == "1",
        reason="walked once, in the SQLite pass that scripts/test runs before this one",
    ),
]

HREF = re.compile(r'href="([^"]+)"')


def _named_world(world: World) -> tuple[dict[str, int], dict[int, tuple[str, str]]]:
    """The URL walk's objects, and clients in every program, some shared with DVR under consent, with jobs;
    then every client renamed to two tokens that appear nowhere else. Returns (URL ids, client names)."""
    ids = object_ids(world)
    bakery = employer(world, name="Harbor Bakery")
    for program, referrer, supervisor, specialist in (
        ("p1", "case_manager", "supervisor", "specialist"),
        ("p1", "director", "supervisor", "specialist"),
        ("p2", "other_agency_director", None, None),
    ):
        enrollment = enroll(world, program=program, referrer=referrer, supervisor=supervisor, specialist=specialist)
        if program == "p1":
            services.consent_create(
                actor=world.people["case_manager"],
                enrollment=enrollment,
                organization=world.orgs["dvr1"],
                scope="employment",
                starts_on=days_ago(5),
            )
            start_job(world.people["specialist"], enrollment, bakery, started=10)
    names = {}
    for client in Client.objects.order_by("pk"):
        first, last = f"Zorvyn{client.pk}q", f"Quillfeather{client.pk}k"
        Client.objects.filter(pk=client.pk).update(first_name=first, last_name=last, preferred_name="")
        names[client.pk] = (first, last)
    assert len(names) >= 4
    return ids, names


def _text(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if "pdf" in content_type:
        return ""  # PDFs are reports of aggregates and implementation; no client row reaches them
    return body.decode("utf-8", errors="replace")


def _requests(route: Route, url: str) -> Iterator[str]:
    yield url
    if "export" in route.name and route.name.startswith("api:"):
        for file_format in ("csv", "xlsx"):
            yield f"{url}?program={{p1}}&file_format={file_format}"


def _export_links(html: str) -> set[str]:
    return {
        link.replace("&amp;", "&")
        for link in HREF.findall(html)
        if link.startswith("/") and ("format=" in link or "export" in link)
    }


def _enrollments_of(client_ids: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {c: set() for c in client_ids}
    for pk, client_id in Enrollment.objects.filter(client_id__in=client_ids).values_list("pk", "client_id"):
        found[client_id].add(pk)
    return found


def _recorded(events: list[AuditEvent], client_id: int, enrollments: set[int]) -> bool:
    for event in events:
        detail = event.detail or {}
        named_enrollments = set(detail.get("enrollments") or [])
        if isinstance(detail.get("enrollment"), int):
            named_enrollments.add(detail["enrollment"])
        if client_id in (detail.get("clients") or []) or named_enrollments & enrollments:
            return True
    return False


# Two halves of the personas, so the two test workers share the walk. The other state's people are not walked:
# the named world holds no client of their state, so no response could show them a name (that they reach
# nothing of state A is the access matrix's proof).
WALKERS = {
    "the mental health agency, the provider and the other agency": (
        "director",
        "case_manager",
        "supervisor",
        "specialist",
        "other_agency_director",
        "other_agency_specialist",
    ),
    "the state team and DVR": ("admin", "state_lead", "trainer", "reviewer", "dvr_supervisor", "counselor"),
}
assert sorted(sum(WALKERS.values(), ())) == sorted(p for p in PERSONAS if not p.startswith("other_state_"))


@pytest.mark.parametrize("walkers", WALKERS.values(), ids=WALKERS.keys())
def test_every_response_showing_a_client_name_is_audited(world: World, client_for, walkers: tuple[str, ...]) -> None:
    walk_ids, names = _named_world(world)
    enrollments = _enrollments_of(set(names))
    p1 = world.programs["p1"].pk
    problems: list[str] = []
    disclosed = 0
    for name in walkers:
        person = world.people[name]
        door = clients_for(person, client_for)
        seen: set[str] = set()
        for route in routes():
            if route.name in PUBLIC:
                continue
            for url in _requests(route, url_for(route, walk_ids)):
                queue = [url.replace("{p1}", str(p1))]
                while queue:
                    target = queue.pop()
                    if target in seen:
                        continue
                    seen.add(target)
                    client: HttpClient = door(route)
                    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                    response = client.get(target)
                    if response.status_code != 200:
                        continue
                    text = _text(response)
                    if "text/html" in response.get("Content-Type", ""):
                        queue.extend(_export_links(text) - seen)
                    shown = [c for c, (first, last_name) in names.items() if first in text or last_name in text]
                    if not shown:
                        continue
                    disclosed += 1
                    events = list(AuditEvent.objects.filter(pk__gt=last, actor=person))
                    for client_id in shown:
                        if not _recorded(events, client_id, enrollments[client_id]):
                            problems.append(f"{name} saw client {client_id} at {target} with no audit event")
    assert not problems, "\n".join(problems[:40])
    # The positive control: the walk did reach pages and files that show clients.
    assert disclosed >= 10
