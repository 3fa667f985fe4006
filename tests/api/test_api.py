"""The API reads through the access layer and writes through the services: outsiders get 404, readers
403 on writes, bad input a 400 in the one error shape, and lists a fixed number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.lib import translations
from ipshub.tenancy.models import Organization, Person, Program
from ipshub.tenancy.roles import OrgKind
from tests.test_url_walk import OUTSIDERS, REQUIRED_QUERY, is_api, object_ids, routes, url_for
from tests.world import World

pytestmark = pytest.mark.django_db

# Endpoints that only take POST: GET answers 405 before any lookup, for insiders and outsiders alike.
WRITE_ONLY = {
    "api:job-end",
    "api:job-change",
    "api:outcome-report-submit",
    "api:enrollment-consent-revoke",
    # The client record's own steps (api/record_views.py).
    "api:enrollment-status",
    "api:enrollment-client-language",
    "api:enrollment-close",
    "api:enrollment-reopen",
    "api:job-next-help",
    # The case file's writes and its search (a POST: search words never go in a URL).
    "api:client-note-search",
    "api:client-note-correct",
    "api:client-note-addenda",
    "api:client-document-remove",
    # The steps of a fidelity review (api/fidelity_views.py).
    "api:review-reschedule",
    "api:review-cancel",
    "api:review-team",
    "api:review-agenda",
    "api:review-agenda-standard",
    "api:review-scores-submit",
    "api:review-consensus",
    "api:review-consensus-complete",
    "api:review-report-deliver",
    "api:review-actions-from-recommendations",
    # Review preparation (api/fidelity_prep_views.py): answering a requested document, marking a step.
    "api:document-request-answer",
    "api:prep-task-done",
    "api:document-upload-detail",  # DELETE only
    "api:self-assessment-item",  # #26: one self-assessment item saved as it is scored (POST only)
    "api:review-chart-sample-size",  # #26: the reviewers choose the chart sample (POST only)
    # The writes of the collaboration pages (api/collaboration_views.py).
    "api:series-meeting-create",
    "api:meeting-decision-add",
    "api:meeting-follow-up-add",
    "api:follow-up-status",
    "api:follow-up-convert",
    "api:invitee-answer",
    "api:invitee-detail",  # DELETE only
    # The directory's (api/directory_views.py).
    "api:person-membership-end",
    # DVR's steps (api/dvr_views.py).
    "api:dvr-authorization-extend",
    "api:dvr-authorization-review",
    "api:dvr-authorization-paid",
    "api:enrollment-dvr-authorize",
    "api:enrollment-consent-paper",
    # The implementation pages' actions (api/roadmap_views.py) and taking back a data request's file.
    "api:program-kickoff",
    "api:program-phase",
    "api:data-answer-detail",
    # The steps of the outcome pages (api/outcome_views.py).
    "api:outcome-report-compute",
    "api:outcome-report-correct",
    "api:outcome-report-return",
    "api:outcome-report-accept",
    "api:outcome-upload-list",
    "api:outcome-upload-commit",
    # Learning-community exchange (api/exchange_views.py).
    "api:outcome-aggregate-file-list",
    "api:outcome-aggregate-file-import",
}
# Object endpoints whose insider is not the director of program P1: a state's minimum wage and release template
# are its state team's.
INSIDER_OF = {
    "api:minimum-wage-detail": "state_lead",
    "api:release-template": "state_lead",
    "api:review-scores": "reviewer",  # a reviewer's own scores
    "api:training-completion-detail": "supervisor",  # the walk's completion is a specialist's of the provider
    # A library resource's own address is its curators' (the program's people read its file through the program).
    "api:resource-detail": "state_lead",
    "api:resource-file": "state_lead",
    "api:outcome-benchmarks": "state_lead",  # a state's outcome benchmarks and roll-up
    "api:state-outcomes": "state_lead",
    # Learning-community exchange: a state team's checked aggregate file and its pooled roll-up.
    "api:outcome-aggregate-file-detail": "state_lead",
    "api:state-outcomes-pooled": "state_lead",
    # A DVR authorization is its office's and its provider's; the director of P1's mental health agency sees none.
    "api:dvr-authorization-detail": "counselor",
    "api:dvr-authorization-report": "specialist",  # the report form's start is the provider's
    "api:state-dvr-money": "state_lead",
    "api:state-dvr-catalog": "state_lead",
}


def _names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status and error["message"]
    if code:
        assert error["code"] == code
    return error


def current_etag(client, url: str) -> str:
    """The ETag of the record as its GET answers it now (an update sends it back as If-Match)."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def if_match(client, url: str) -> dict[str, str]:
    """The header of an update made on the record as it is now."""
    return {"HTTP_IF_MATCH": current_etag(client, url)}


# --- Scope ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "programs"),
    [
        ("state_lead", ["Program P1", "Program P2"]),
        ("director", ["Program P1"]),
        ("specialist", ["Program P1"]),
        ("counselor", ["Program P1"]),
        ("other_agency_director", ["Program P2"]),
        ("other_state_lead", ["Program PB"]),
    ],
)
def test_each_person_lists_the_programs_the_web_shows_them(world: World, api, persona, programs) -> None:
    assert _names(api(world.people[persona]).get("/api/v1/programs/")) == programs


def test_outsiders_get_404_on_every_object_endpoint(world: World, api) -> None:
    ids = object_ids(world)
    object_routes = [r for r in routes() if is_api(r) and r.kwargs]
    assert {r.name for r in object_routes} >= {
        "api:program-detail",
        "api:organization-detail",
        "api:person-detail",
    }
    for name in OUTSIDERS:
        client = api(world.people[name])
        for route in object_routes:
            url = url_for(route, ids)
            for method in ("get", "patch", "put", "delete", "post"):
                response = getattr(client, method)(url, {}, format="json")
                assert response.status_code in (404, 405), f"{name} {method} {url}: {response.status_code}"
                if method == "get" and route.name not in WRITE_ONLY:
                    assert_error(response, 404, "not_found")
    # The positive control: the same URLs answer the people of program P1.
    insiders: dict = {}  # one token each: a person may hold only so many
    for route in object_routes:
        name = INSIDER_OF.get(route.name, "director")
        if name not in insiders:
            insiders[name] = api(world.people[name])
        insider = insiders[name]
        # Write-only endpoints (ending a job, submitting a report) answer GET with 405, never 404.
        expected = 405 if route.name in WRITE_ONLY else 200
        assert insider.get(url_for(route, ids) + REQUIRED_QUERY.get(route.name, "")).status_code == expected, route.name


def test_people_and_organizations_follow_the_directory_rules(world: World, api) -> None:
    specialist = api(world.people["specialist"])
    people = {row["username"] for row in specialist.get("/api/v1/people/?page_size=100").json()["results"]}
    assert "supervisor" in people and "other_agency_director" not in people and "other_state_lead" not in people
    orgs = {row["name"] for row in specialist.get("/api/v1/organizations/").json()["results"]}
    assert "A Pine County Human Services" in orgs and "A Harbor Behavioral Health" not in orgs
    assert all(not name.startswith("B ") for name in orgs)


def test_only_administrators_read_the_audit_log(world: World, api) -> None:
    admin = api(world.people["admin"])
    api(world.people["state_lead"]).post(
        "/api/v1/programs/", {"name": "Audited", "mh_agency": world.orgs["mh2"].pk}, format="json"
    )
    response = admin.get("/api/v1/audit-events/?action=program.")
    assert response.status_code == 200
    assert [row["action"] for row in response.json()["results"]] == ["program.create"]
    assert api(world.people["other_state_admin"]).get("/api/v1/audit-events/?action=program.").json()["count"] == 0
    assert_error(api(world.people["director"]).get("/api/v1/audit-events/"), 403, "permission_denied")
    assert_error(admin.get("/api/v1/audit-events/?since=yesterday"), 400, "invalid")


def test_the_catalog_is_the_same_for_everyone(world: World, api) -> None:
    client = api(world.people["counselor"])
    assert len(client.get("/api/v1/catalog/stages/").json()) == 10
    assert len(client.get("/api/v1/catalog/questions/").json()) == 12
    assert client.get("/api/v1/catalog/responsibilities/").json()["count"] == 98
    dvr_prior = client.get("/api/v1/catalog/responsibilities/?party=dvr&phase=prior").json()
    assert dvr_prior["count"] > 0 and {r["party"] for r in dvr_prior["results"]} == {"dvr"}


# --- Lists: pagination, filters, ordering ---------------------------------------------------------


def test_lists_paginate_filter_and_order(world: World, api) -> None:
    client = api(world.people["state_lead"])
    page = client.get("/api/v1/programs/?page_size=1&ordering=-name").json()
    assert page["count"] == 2 and _names_of(page) == ["Program P2"] and "page=2" in page["next"]
    assert _names(client.get("/api/v1/programs/?q=p1")) == ["Program P1"]
    assert _names(client.get(f"/api/v1/programs/?organization={world.orgs['dvr2'].pk}")) == ["Program P2"]
    assert _names(client.get("/api/v1/programs/?phase=ongoing")) == []
    assert _names(client.get(f"/api/v1/programs/?state={world.state_b.pk}")) == []
    kinds = {r["kind"] for r in client.get("/api/v1/organizations/?kind=dvr_office").json()["results"]}
    assert kinds == {"dvr_office"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("phase=later", "phase"),
        ("state=abc", "state"),
        ("state=-1", "state"),
        ("ordering=password", "ordering"),
        ("q=%00", "q"),
        ("organization=99999999999999999999999", "organization"),
    ],
)
def test_bad_filters_are_400s_that_name_the_parameter(world: World, api, query, field) -> None:
    error = assert_error(api(world.people["state_lead"]).get(f"/api/v1/programs/?{query}"), 400, "invalid")
    assert field in error["fields"]


def test_a_page_past_the_end_is_404(world: World, api) -> None:
    error = assert_error(api(world.people["state_lead"]).get("/api/v1/programs/?page=9"), 404, "not_found")
    assert "no page 9" in error["message"]


def _names_of(page: dict) -> list[str]:
    return [row["name"] for row in page["results"]]


# --- Writes ---------------------------------------------------------------------------------------


def test_the_state_team_opens_and_changes_programs_through_the_services(world: World, api) -> None:
    client = api(world.people["state_lead"])
    response = client.post(
        "/api/v1/programs/",
        {
            "name": "Harbor IPS",
            "mh_agency": world.orgs["mh2"].pk,
            "dvr_offices": [world.orgs["dvr2"].pk],
            "trainer": world.people["trainer"].pk,
            "funding_source": "State grant",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phase"] == "prior" and body["region"] == "North" and body["trainer"]["username"] == "trainer"
    program = Program.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(action="program.create", object_id=str(program.pk)).count() == 1
    assert program.phase_changes.count() == 1
    url = f"/api/v1/programs/{program.pk}/"
    response = client.patch(url, {"region": "Coast", "trainer": None}, format="json", **if_match(client, url))
    assert response.status_code == 200, response.content
    assert response.json()["region"] == "Coast" and response.json()["trainer"] is None
    assert response.json()["dvr_offices"] == [
        {"id": world.orgs["dvr2"].pk, "name": "A DVR Harbor Office", "kind": "dvr_office"}
    ]
    event = AuditEvent.objects.get(action="program.update", object_id=str(program.pk))
    assert sorted(event.detail["changed"]) == ["region", "trainer"]


def test_validation_messages_are_the_services_own(world: World, api) -> None:
    client = api(world.people["state_lead"])
    duplicate = client.post(
        "/api/v1/programs/", {"name": "program p1", "mh_agency": world.orgs["mh2"].pk}, format="json"
    )
    error = assert_error(duplicate, 400, "invalid")
    assert error["fields"] == {"name": ["State A already has a program named 'program p1'. Choose another name."]}
    wrong_kind = client.post("/api/v1/programs/", {"name": "New", "mh_agency": world.orgs["dvr1"].pk}, format="json")
    assert assert_error(wrong_kind, 400)["fields"] == {"mh_agency": ["Choose a mental health agency in State A."]}
    foreign = client.post("/api/v1/programs/", {"name": "New", "mh_agency": world.orgs["mh_b"].pk}, format="json")
    assert "mh_agency" in assert_error(foreign, 400)["fields"]
    missing = assert_error(client.post("/api/v1/programs/", {}, format="json"), 400)
    assert set(missing["fields"]) == {"name", "mh_agency"}
    p1 = world.programs["p1"].pk
    url = f"/api/v1/programs/{p1}/"
    fixed = assert_error(client.patch(url, {"state": world.state_a.pk}, format="json", **if_match(client, url)), 400)
    assert "state" in fixed["fields"]
    assert Program.objects.count() == 3


def test_readers_get_403_on_writes_and_outsiders_404(world: World, api) -> None:
    p1 = world.programs["p1"].pk
    for persona in ("director", "trainer", "specialist", "counselor"):
        client = api(world.people[persona])
        assert_error(client.patch(f"/api/v1/programs/{p1}/", {"region": "X"}, format="json"), 403, "permission_denied")
        assert_error(
            client.post("/api/v1/programs/", {"name": "X", "mh_agency": world.orgs["mh1"].pk}, format="json"),
            403,
            "permission_denied",
        )
    assert_error(
        api(world.people["other_state_lead"]).patch(f"/api/v1/programs/{p1}/", {"region": "X"}, format="json"),
        404,
    )
    assert Program.objects.get(pk=p1).region == ""


def test_methods_media_types_and_bodies_get_precise_codes(world: World, api) -> None:
    client = api(world.people["state_lead"])
    p1 = world.programs["p1"].pk
    assert_error(client.put(f"/api/v1/programs/{p1}/", {}, format="json"), 405, "method_not_allowed")
    assert_error(client.delete(f"/api/v1/programs/{p1}/"), 405, "method_not_allowed")
    assert_error(client.post("/api/v1/audit-events/", {}, format="json"), 405)
    assert_error(
        client.post("/api/v1/programs/", "name=X", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    )
    assert_error(client.post("/api/v1/programs/", "{not json", content_type="application/json"), 400, "parse_error")
    assert_error(client.post("/api/v1/programs/", "[1, 2]", content_type="application/json"), 400, "invalid")
    odd = client.post(
        "/api/v1/programs/",
        {"name": "A\x00B", "mh_agency": "nine", "dvr_offices": "all", "opened_on": "someday"},
        format="json",
    )
    assert set(assert_error(odd, 400)["fields"]) == {"name", "mh_agency", "dvr_offices", "opened_on"}
    assert_error(client.get("/api/v1/programs/abc/"), 404, "not_found")
    for path in ("/api/v1/programs/", f"/api/v1/programs/{p1}/", "/api/v1/me/", "/api/v1/schema/"):
        assert client.options(path).status_code == 200, path
    assert_error(client.get("/api/v1/programs/99999999999999999999999/"), 404, "not_found")
    huge = client.post("/api/v1/programs/", {"name": "X", "mh_agency": 10**22, "trainer": -1}, format="json")
    assert set(assert_error(huge, 400)["fields"]) == {"mh_agency", "trainer"}
    assert_error(client.get("/api/v1/nowhere/"), 404, "not_found")
    assert_error(client.get("/api/v1/programs", follow=False), 404, "not_found")


def test_unauthenticated_requests_are_401_everywhere(world: World) -> None:
    client = Client()
    for path in (
        "/api/v1/programs/",
        "/api/v1/schema/",
        "/api/v1/nowhere/",
        f"/api/v1/programs/{world.programs['p1'].pk}/",
    ):
        for method in ("get", "post", "patch"):
            assert_error(getattr(client, method)(path), 401, "not_authenticated")


# --- The schema and the docs page -----------------------------------------------------------------


def test_the_schema_is_openapi_3_and_lists_every_endpoint(world: World, api) -> None:
    response = api(world.people["director"]).get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/programs/", "/api/v1/programs/{program_id}/", "/api/v1/me/"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["token"]["name"] == "Authorization"
    assert "404" in schema["paths"]["/api/v1/programs/{program_id}/"]["get"]["responses"]


def test_the_docs_page_lists_the_endpoints(world: World, client_for) -> None:
    response = client_for(world.people["counselor"]).get(reverse("api:docs"))
    assert response.status_code == 200
    assert b"/api/v1/programs/{program_id}/" in response.content and b"Authorization: Token" in response.content
    assert Client().get(reverse("api:docs"))["Location"].startswith("/accounts/login/")


def test_the_docs_page_speaks_the_readers_language_and_the_schema_stays_english(world: World, client_for, api) -> None:
    """Summaries, descriptions and the page's own words follow the reader; identifiers and the schema do not."""
    client = client_for(world.people["counselor"])
    spanish = client.get(reverse("api:docs"), headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in spanish and "Documentación de la API" in spanish
    assert "Derivar a un cliente a un programa (su equipo de salud mental o unidad IPS)" in spanish
    assert "Id del programa al que se deriva." in spanish  # a body field's description
    assert '<code class="api-path">/api/v1/programs/{program_id}/</code>' in spanish
    assert "Refer a client to a program" not in spanish
    english = client.get(reverse("api:docs"), headers={"accept-language": "en"}).content.decode()
    assert "Refer a client to a program (its mental health team or IPS unit)" in english  # each language cached apart
    schema = api(world.people["counselor"]).get("/api/v1/schema/", headers={"accept-language": "es"}).json()
    assert schema["paths"]["/api/v1/clients/"]["post"]["summary"].startswith("Refer a client to a program")


def test_the_schemas_texts_are_extracted_for_translators() -> None:
    """Docstrings and extend_schema texts can't be marked: extract-messages reads them from the schema."""
    messages = {m.id: m.locations for m in translations.extract()}
    assert messages["Refer a client to a program (its mental health team or IPS unit)"] == [
        ("openapi:POST:/api/v1/clients/", 0)
    ]


# --- Query counts ---------------------------------------------------------------------------------


LISTS = (
    "/api/v1/programs/",
    "/api/v1/organizations/",
    "/api/v1/people/",
    "/api/v1/audit-events/",
    "/api/v1/catalog/stages/",
    "/api/v1/catalog/responsibilities/",
)


def _count_queries(client, path: str) -> int:
    client.get(path)  # warm up: the token's last-used time is written at most once a minute
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _grow(world: World, n: int) -> None:
    orgs = [
        Organization(state=world.state_a, kind=OrgKind.MH_AGENCY, name=f"Grown agency {i}", region="East")
        for i in range(n)
    ]
    Organization.objects.bulk_create(orgs)
    for i, org in enumerate(Organization.objects.filter(name__startswith="Grown agency")):
        program = Program.objects.create(
            state=world.state_a, name=f"Grown program {i}", mh_agency=org, phase_since="2025-01-01"
        )
        program.dvr_offices.set([world.orgs["dvr1"], world.orgs["dvr2"]])
        person = Person.objects.create(username=f"grown{i}", first_name="Grown", last_name=str(i))
        person.memberships.create(organization=org, role="mh_director")
        AuditEvent.objects.create(action="program.create", state=world.state_a, object_id=str(program.pk))


def test_list_endpoints_run_a_fixed_number_of_queries(world: World, api) -> None:
    client = api(world.people["admin"])
    small = {path: _count_queries(client, path) for path in LISTS}
    _grow(world, 30)
    large = {path: _count_queries(client, path) for path in LISTS}
    assert small == large
    assert max(large.values()) <= 12, large
