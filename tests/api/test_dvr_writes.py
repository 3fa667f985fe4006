"""The DVR area through the API (api/dvr_views.py): authorize, extend, the deliverable report and its review, the
payment, billable services, billing and money, the state's service catalog. Each operation does what the web page
does (the same service: the record changes and its audit event is left), with the web's split of who does what
(the DVR counselor and supervisor authorize, extend, review and pay; the provider's specialist and IPS supervisor
report), refuses a person who may see but not do it (403), answers 404 to people of another agency and another
state, and a bad body with a 400 naming the field."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.audit.models import AuditEvent
from ipshub.dvr.models import Authorization, BillableUnit, CatalogVersion, DeliverableReport
from tests.api.test_api import assert_error
from tests.clients.factories import days_ago, enroll
from tests.dvr.factories import authorize, hired, shared_client
from tests.world import World

pytestmark = pytest.mark.django_db
OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_director", "other_state_admin")
TODAY = datetime.date.today()


def _url(authorization: Authorization, step: str = "") -> str:
    return f"/api/v1/dvr-authorizations/{authorization.pk}/" + (f"{step}/" if step else "")


def _outsiders_get_404(world: World, api: Any, url: str, body: dict[str, Any] | None = None) -> None:
    for who in OUTSIDERS:
        client = api(world.people[who])
        response = client.post(url, body or {}, format="json") if body is not None else client.get(url)
        assert_error(response, 404)


def _audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


AUTHORIZE = {
    "service_code": "placement",
    "starts_on": days_ago(10).isoformat(),
    "ends_on": (TODAY + datetime.timedelta(days=100)).isoformat(),
    "units": "12",
    "amount": "1800.00",
    "number": "PO-77",
}


# --- Authorize ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["counselor", "dvr_supervisor"])
def test_dvr_staff_authorize_a_service_for_a_shared_client(world: World, api, who: str) -> None:
    enrollment = shared_client(world)
    response = api(world.people[who]).post(
        f"/api/v1/clients/{enrollment.pk}/dvr-authorizations/", AUTHORIZE, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    made = Authorization.objects.get(pk=body["id"])
    assert (made.enrollment_id, made.dvr_office_id, made.counselor_id) == (
        enrollment.pk,
        world.orgs["dvr1"].pk,
        world.people[who].pk,
    )
    assert body["service_name"] == "Placement and hire" and body["number"] == "PO-77"
    assert body["status"] == "open" and body["report"] is None and body["milestone"] is None
    assert (body["can_extend"], body["can_report"], body["can_review"]) == (True, False, False)
    assert body["dvr_office"]["id"] == world.orgs["dvr1"].pk and body["catalog_version"] == 1
    assert AuditEvent.objects.filter(action="dvr.authorize", object_id=str(made.pk)).count() == 1


def test_authorizing_is_the_dvr_offices_and_outsiders_see_nothing(world: World, api) -> None:
    enrollment = shared_client(world)
    url = f"/api/v1/clients/{enrollment.pk}/dvr-authorizations/"
    for reader in ("specialist", "supervisor", "state_lead"):  # they read the client (or are told it is withheld)
        assert_error(api(world.people[reader]).post(url, AUTHORIZE, format="json"), 403)
    _outsiders_get_404(world, api, url, AUTHORIZE)
    # No consent to the office: as if the client did not exist for the counselor.
    unshared = enroll(world, first="Unshared")
    assert_error(
        api(world.counselor).post(f"/api/v1/clients/{unshared.pk}/dvr-authorizations/", AUTHORIZE, format="json"), 404
    )
    assert not Authorization.objects.exists() and _audited("dvr.authorize") == 0


def test_authorize_refuses_bad_input_with_the_web_messages(world: World, api) -> None:
    enrollment = shared_client(world)
    counselor = api(world.counselor)
    url = f"/api/v1/clients/{enrollment.pk}/dvr-authorizations/"
    error = assert_error(counselor.post(url, {**AUTHORIZE, "units": "0", "colour": "red"}, format="json"), 400)
    assert error["fields"]["units"] == ["Authorize at least some units (more than 0)."]
    assert "colour" in error["fields"]
    error = assert_error(counselor.post(url, {**AUTHORIZE, "service_code": "massage"}, format="json"), 400)
    assert error["fields"]["service_code"] == ["Choose a service from the state's catalog."]
    error = assert_error(counselor.post(url, {**AUTHORIZE, "ends_on": days_ago(30).isoformat()}, format="json"), 400)
    assert "before the start date" in error["fields"]["ends_on"][0]
    error = assert_error(counselor.post(url, {**AUTHORIZE, "starts_on": "9999-12-31"}, format="json"), 400)
    assert "between 1900 and 2199" in error["fields"]["starts_on"][0]
    other_office = world.orgs["dvr2"].pk
    error = assert_error(counselor.post(url, {**AUTHORIZE, "dvr_office": other_office}, format="json"), 400)
    assert f"no id {other_office}" in error["fields"]["dvr_office"][0]
    assert not Authorization.objects.exists()


# --- The list and one authorization ---------------------------------------------------------------------


def test_the_list_shows_each_side_its_authorizations_as_the_web_does(world: World, api) -> None:
    enrollment = shared_client(world, first="Listed")
    authorization = authorize(world, enrollment)
    for who in ("counselor", "dvr_supervisor", "specialist", "supervisor"):
        response = api(world.people[who]).get("/api/v1/dvr-authorizations/")
        assert response.status_code == 200, response.content
        rows = response.json()["results"]
        assert [r["id"] for r in rows] == [authorization.pk], who
    row = rows[0]
    assert (row["client_first_name"], row["report_status"], row["status"]) == ("Listed", None, "open")
    assert row["due_on"] == (authorization.starts_on + datetime.timedelta(days=120)).isoformat()
    for who in (*OUTSIDERS, "case_manager", "state_lead"):
        assert api(world.people[who]).get("/api/v1/dvr-authorizations/").json()["results"] == [], who
    assert AuditEvent.objects.filter(action="client.list_dvr_authorizations").exists()
    # Open by default (as the web's list); `status` chooses.
    Authorization.objects.filter(pk=authorization.pk).update(status=Authorization.Status.EARNED)
    counselor = api(world.counselor)
    assert counselor.get("/api/v1/dvr-authorizations/").json()["count"] == 0
    assert counselor.get("/api/v1/dvr-authorizations/?status=earned").json()["count"] == 1
    assert counselor.get("/api/v1/dvr-authorizations/?status=all").json()["count"] == 1
    assert "status" in assert_error(counselor.get("/api/v1/dvr-authorizations/?status=late"), 400)["fields"]
    # Names never go in a URL: search with a POST.
    assert "q" in assert_error(counselor.get("/api/v1/dvr-authorizations/?q=Listed"), 400)["fields"]
    found = counselor.post("/api/v1/dvr-authorizations/search/?status=all", {"q": "Listed"}, format="json")
    assert found.status_code == 200 and found.json()["count"] == 1
    missed = counselor.post("/api/v1/dvr-authorizations/search/?status=all", {"q": "Nobody"}, format="json")
    assert missed.json()["count"] == 0


def test_one_authorization_has_an_etag_and_outsiders_get_404(world: World, api) -> None:
    authorization = authorize(world, shared_client(world))
    response = api(world.counselor).get(_url(authorization))
    assert response.status_code == 200 and response.has_header("ETag")
    body = response.json()
    assert body["payment_text"].startswith("$1,800.00 if") and body["extensions"] == []
    assert AuditEvent.objects.filter(action="client.view", detail__view="dvr_authorization").exists()
    assert api(world.specialist).get(_url(authorization)).json()["can_extend"] is False
    _outsiders_get_404(world, api, _url(authorization))
    for who in ("case_manager", "state_lead", "director"):
        assert_error(api(world.people[who]).get(_url(authorization)), 404)


# --- Extend -----------------------------------------------------------------------------------------------


def test_the_dvr_office_extends_and_the_provider_may_not(world: World, api) -> None:
    authorization = authorize(world, shared_client(world))
    new_end = (authorization.ends_on + datetime.timedelta(days=30)).isoformat()
    body = {"ends_on": new_end, "added_units": "2", "reason": "The person started a new job search."}
    for reader in ("specialist", "supervisor"):
        assert_error(api(world.people[reader]).post(_url(authorization, "extend"), body, format="json"), 403)
    _outsiders_get_404(world, api, _url(authorization, "extend"), body)
    response = api(world.dvr_supervisor).post(_url(authorization, "extend"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == new_end and response.json()["units"] == "12.00"
    assert len(response.json()["extensions"]) == 1 and _audited("dvr.extend") == 1
    error = assert_error(
        api(world.counselor).post(_url(authorization, "extend"), {"ends_on": new_end, "reason": " "}, format="json"),
        400,
    )
    assert error["fields"]["ends_on"] == ["Give a later end date or add units; nothing would change."]
    assert error["fields"]["reason"] == ["Say why the authorization is extended."]
    error = assert_error(api(world.counselor).post(_url(authorization, "extend"), {"reason": "x"}, format="json"), 400)
    assert "ends_on" in error["fields"]


# --- Report, review, payment ----------------------------------------------------------------------------


def _hire_report(authorization: Authorization, **changes: Any) -> dict[str, Any]:
    body = {
        "completed_on": TODAY.isoformat(),
        "units_used": "8",
        "summary": "Found a bakery job matching the morning preference.",
        "employer_name": "Cedar Bakery",
        "job_title": "Baker's assistant",
        "hire_on": days_ago(20).isoformat(),
        "hours_per_week": "20",
        "hourly_wage": "16.50",
    }
    body.update(changes)
    return body


def test_report_review_and_payment_each_by_its_side(world: World, api) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment)
    report_url, review_url, paid_url = (_url(authorization, step) for step in ("report", "review", "paid"))
    # The report starts from the client's job found during the authorization, as the web's report page.
    draft = api(world.specialist).get(report_url)
    assert draft.status_code == 200, draft.content
    assert (draft.json()["employer_name"], draft.json()["hire_on"]) == ("Cedar Bakery", days_ago(20).isoformat())
    assert draft.json()["summary"] == "" and draft.json()["still_employed"] is None
    assert_error(api(world.counselor).get(report_url), 403)
    _outsiders_get_404(world, api, report_url)
    body = _hire_report(authorization)
    # The report is the provider's: the DVR office may not write it.
    for who in ("counselor", "dvr_supervisor"):
        assert_error(api(world.people[who]).post(report_url, body, format="json"), 403)
    _outsiders_get_404(world, api, report_url, body)
    response = api(world.specialist).post(report_url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["report"]["status"] == "submitted" and _audited("dvr.report_submit") == 1
    # Waiting for the counselor: it can't be changed now.
    error = assert_error(api(world.supervisor).post(report_url, body, format="json"), 400)
    assert "waiting for the counselor" in error["fields"]["summary"][0]
    # The review is the DVR office's.
    for who in ("specialist", "supervisor"):
        assert_error(api(world.people[who]).post(review_url, {"decision": "accept"}, format="json"), 403)
    _outsiders_get_404(world, api, review_url, {"decision": "accept"})
    counselor = api(world.counselor)
    error = assert_error(counselor.post(review_url, {"decision": "return"}, format="json"), 400)
    assert error["fields"]["comments"] == ["Say what needs correcting, so the specialist can fix it."]
    error = assert_error(counselor.post(review_url, {"decision": "maybe"}, format="json"), 400)
    assert "decision" in error["fields"]
    returned = counselor.post(review_url, {"decision": "return", "comments": "Add the wage."}, format="json")
    assert returned.status_code == 200 and returned.json()["report"]["status"] == "returned"
    assert _audited("dvr.report_return") == 1
    # The provider's IPS supervisor corrects it; the counselor accepts: the milestone is earned.
    corrected = api(world.supervisor).post(report_url, _hire_report(authorization, hourly_wage="17.00"), format="json")
    assert corrected.status_code == 200 and corrected.json()["report"]["hourly_wage"] == "17.00"
    accepted = api(world.dvr_supervisor).post(review_url, {"decision": "accept"}, format="json")
    assert accepted.status_code == 200, accepted.content
    answer = accepted.json()
    assert answer["status"] == "earned" and answer["milestone"]["amount"] == "1800.00"
    assert [r["decision"] for r in answer["reviews"]] == ["return", "accept"] and answer["can_pay"] is True
    assert _audited("dvr.report_accept") == 1
    # The payment: the DVR office marks it, not in the future.
    for who in ("specialist", "supervisor"):
        assert_error(api(world.people[who]).post(paid_url, {"paid_on": TODAY.isoformat()}, format="json"), 403)
    _outsiders_get_404(world, api, paid_url, {"paid_on": TODAY.isoformat()})
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    error = assert_error(counselor.post(paid_url, {"paid_on": tomorrow}, format="json"), 400)
    assert error["fields"]["paid_on"] == ["The payment date can't be in the future."]
    assert "paid_on" in assert_error(counselor.post(paid_url, {"paid": "yes"}, format="json"), 400)["fields"]
    paid = counselor.post(paid_url, {"paid_on": TODAY.isoformat()}, format="json")
    assert paid.status_code == 200 and paid.json()["milestone"]["paid_on"] == TODAY.isoformat()
    assert paid.json()["can_pay"] is False and _audited("dvr.paid") == 1


def test_a_report_takes_the_fields_of_its_kind(world: World, api) -> None:
    authorization = authorize(world, shared_client(world), "career_profile")
    url = _url(authorization, "report")
    specialist = api(world.specialist)
    error = assert_error(specialist.post(url, _hire_report(authorization), format="json"), 400)
    assert set(error["fields"]) == {"employer_name", "job_title", "hire_on", "hours_per_week", "hourly_wage"}
    assert error["fields"]["hire_on"] == ["A career profile summary does not take this field."]
    error = assert_error(
        specialist.post(url, {"completed_on": TODAY.isoformat(), "units_used": "99", "summary": ""}, format="json"),
        400,
    )
    assert error["fields"]["summary"] == ["Write the report summary."]
    assert "more than the 10.00 authorized" in error["fields"]["units_used"][0]
    # What the GET answers goes back as it is: the fields of other kinds come empty, which is "not given".
    draft = specialist.get(url).json()
    assert draft["employer_name"] == "" and draft["hire_on"] is None
    body = {**draft, "completed_on": TODAY.isoformat(), "units_used": "3", "summary": "Wrote the profile together."}
    response = specialist.post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert DeliverableReport.objects.get(authorization=authorization).summary == "Wrote the profile together."


# --- Billable units, billing, money -----------------------------------------------------------------------


def test_billable_services_are_logged_by_the_ips_unit(world: World, api) -> None:
    enrollment = shared_client(world)
    url = f"/api/v1/clients/{enrollment.pk}/billable-units/"
    body = {"service_on": days_ago(1).isoformat(), "minutes": 38, "service_code": "h2023", "funding_source": "medicaid"}
    for reader in ("counselor", "dvr_supervisor"):  # DVR sees the DVR view only
        assert_error(api(world.people[reader]).post(url, body, format="json"), 403)
    _outsiders_get_404(world, api, url, body)
    _outsiders_get_404(world, api, url)
    response = api(world.specialist).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["units"], response.json()["service_code"]) == (3, "H2023")
    assert _audited("dvr.billable_unit") == 1
    listed = api(world.supervisor).get(url)
    assert listed.status_code == 200 and [u["minutes"] for u in listed.json()] == [38]
    specialist = api(world.specialist)
    error = assert_error(specialist.post(url, {**body, "minutes": 0, "rate": 1}, format="json"), 400)
    assert error["fields"]["minutes"] == ["Give the minutes of service (more than 0)."] and "rate" in error["fields"]
    error = assert_error(specialist.post(url, {**body, "minutes": 2000}, format="json"), 400)
    assert error["fields"]["minutes"] == ["One contact can't be longer than a day; log each day separately."]
    error = assert_error(specialist.post(url, {**body, "service_on": days_ago(400).isoformat()}, format="json"), 400)
    assert error["fields"]["service_on"] == ["The date of service is before the client was referred."]
    assert BillableUnit.objects.count() == 1


def test_the_programs_billing_and_money(world: World, api) -> None:
    enrollment = shared_client(world, first="Billed")
    api(world.specialist).post(
        f"/api/v1/clients/{enrollment.pk}/billable-units/",
        {"service_on": TODAY.isoformat(), "minutes": 60, "service_code": "H2023", "funding_source": "medicaid"},
        format="json",
    )
    authorize(world, enrollment)
    program = world.programs["p1"]
    url = f"/api/v1/programs/{program.pk}/dvr-billing/"
    response = api(world.supervisor).get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["month"] == TODAY.strftime("%Y-%m") and body["count"] == 1
    assert body["results"][0]["client_first_name"] == "Billed" and body["results"][0]["units"] == 4
    assert body["month_funding_mix"] == [{"source": "Medicaid", "units": 4, "contacts": 1, "percent": 100}]
    assert _audited("dvr.billing_list") == 1
    assert api(world.director).get(url + "?month=2020-01").json()["count"] == 0
    for month in ("2026-13", "9999-12", "soon"):
        assert "month" in assert_error(api(world.supervisor).get(f"{url}?month={month}"), 400)["fields"]
    for who in ("counselor", "specialist", *OUTSIDERS):
        assert_error(api(world.people[who]).get(url), 404)
    money = f"/api/v1/programs/{program.pk}/dvr-money/"
    for who in ("director", "supervisor", "counselor", "state_lead"):
        answer = api(world.people[who]).get(money)
        assert answer.status_code == 200, who
        assert answer.json()["total"]["authorized"] == "2000.00"
    _outsiders_get_404(world, api, money)
    state_money = f"/api/v1/states/{world.state_a.pk}/dvr-money/"
    assert api(world.state_lead).get(state_money).json()["total"]["authorized"] == "2000.00"
    for who in ("counselor", "director", "other_state_lead"):
        assert_error(api(world.people[who]).get(state_money), 404)


# --- The state's service catalog --------------------------------------------------------------------------

NEW_SERVICE = """- code: benefits_counseling
  name: Benefits counseling
  purpose: Work incentives planning.
  report: career_profile
  time_frame: {due_days: 30}
  payment: {kind: fixed, amount: "300.00"}
"""


def test_the_catalog_is_read_by_the_state_and_its_dvr_offices_and_changed_by_the_state_team(world: World, api) -> None:
    url = f"/api/v1/states/{world.state_a.pk}/dvr-catalog/"
    read = api(world.counselor).get(url)
    assert read.status_code == 200 and read["ETag"] == f'"dvrcatalog-{world.state_a.pk}-v1"'
    body = read.json()
    assert body["version"] == 1 and body["can_edit"] is False
    assert "placement" in [s["code"] for s in body["services"]]
    edit = {"text": body["text"] + NEW_SERVICE, "note": "Benefits counseling added."}
    # Readers may not change it, with or without If-Match; other states don't see it.
    assert_error(api(world.counselor).put(url, edit, format="json"), 403)
    assert_error(api(world.dvr_supervisor).put(url, edit, format="json", HTTP_IF_MATCH=read["ETag"]), 403)
    for who in ("other_state_lead", "other_state_admin", "other_agency_director"):
        assert_error(api(world.people[who]).get(url), 404)
        assert_error(api(world.people[who]).put(url, edit, format="json", HTTP_IF_MATCH=read["ETag"]), 404)
    lead = api(world.state_lead)
    assert_error(lead.put(url, edit, format="json"), 428)
    error = assert_error(lead.put(url, {**edit, "x": 1}, format="json", HTTP_IF_MATCH=read["ETag"]), 400)
    assert set(error["fields"]) == {"x"}
    error = assert_error(lead.put(url, {**edit, "text": "services: ["}, format="json", HTTP_IF_MATCH=read["ETag"]), 400)
    assert error["fields"]["text"][0].startswith("The catalog is not valid YAML")
    saved = lead.put(url, edit, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2 and saved["ETag"] == f'"dvrcatalog-{world.state_a.pk}-v2"'
    assert "benefits_counseling" in [s["code"] for s in saved.json()["services"]]
    assert _audited("dvr.catalog_update") == 1
    # A second save from the version read before: 412, nothing written.
    stale = lead.put(url, {**edit, "note": "Again."}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
    assert stale.json()["error"]["current_version"] == 2 and stale["ETag"] == saved["ETag"]
    assert CatalogVersion.objects.filter(state=world.state_a).count() == 2
    # Nothing changed: the service's message.
    error = assert_error(lead.put(url, edit, format="json", HTTP_IF_MATCH=saved["ETag"]), 400)
    assert error["fields"]["text"] == ["Nothing changed: edit the catalog, or cancel."]


def test_an_authorization_keeps_its_catalog_version(world: World, api) -> None:
    authorization = authorize(world, shared_client(world), amount="5000")
    assert authorization.catalog.version == 1
    assert api(world.counselor).get(_url(authorization)).json()["amount"] == str(Decimal("5000.00"))


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client: Any, path: str) -> int:
    client.get(path)  # warm up: the token's last-used time is written at most once a minute
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_lists_run_a_fixed_number_of_queries(world: World, api) -> None:
    def grow() -> None:
        enrollment = shared_client(world)
        hired(world, enrollment)
        authorize(world, enrollment)
        BillableUnit.objects.create(
            program=enrollment.program,
            enrollment=enrollment,
            service_on=TODAY,
            minutes=30,
            units=2,
            service_code="H2023",
            funding_source="medicaid",
            by=world.specialist,
        )

    grow()
    paths = {
        "counselor": "/api/v1/dvr-authorizations/?status=all",
        "supervisor": f"/api/v1/programs/{world.programs['p1'].pk}/dvr-billing/",
    }
    small = {who: _queries(api(world.people[who]), path) for who, path in paths.items()}
    for _ in range(4):
        grow()
    large = {who: _queries(api(world.people[who]), path) for who, path in paths.items()}
    assert small == large, (small, large)
