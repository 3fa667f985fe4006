"""Versions and safe updates (api/versions.py): every single-object GET answers an ETag; every update
(PATCH, PUT) needs it back as If-Match — 428 without, 412 when stale (with the current version), the
update when it matches, answered with the new ETag; outsiders get 404 whatever they send. And every
request body refuses fields its operation does not take (api/inputs.py), writing nothing."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from ipshub.api.versions import OneObject
from ipshub.catalog.models import Strategy
from ipshub.clients import signing
from ipshub.clients.models import CareerProfile, DvrCase, Employer, Enrollment, JobSearchPlan, ReleaseTemplate
from ipshub.collaboration.models import Meeting, NotificationPreference
from ipshub.dvr import selectors as dvr_selectors
from ipshub.dvr import services as dvr_services
from ipshub.dvr.models import CatalogVersion
from ipshub.fidelity import services as fidelity_services
from ipshub.fidelity.models import ActionItem, Review
from ipshub.implementation import services as implementation_services
from ipshub.implementation.models import Assignment, PartnershipItem
from ipshub.outcomes import selectors as outcome_selectors
from ipshub.outcomes import services as outcome_services
from ipshub.outcomes.models import QuarterlyReport
from ipshub.tenancy import services as tenancy_services
from ipshub.tenancy.models import Membership, MinimumWage, Organization, Person, Program
from ipshub.tenancy.roles import Role
from tests.api.test_api import INSIDER_OF, WRITE_ONLY, assert_error, current_etag
from tests.clients.factories import days_ago, employer, enroll
from tests.collaboration import factories as collaboration_factories
from tests.fidelity import factories as fidelity_factories
from tests.test_url_walk import REQUIRED_QUERY, is_api, object_ids, routes, url_for
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_state_lead", "other_state_admin")


def assert_precondition(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    assert error["code"] == {412: "precondition_failed", 428: "precondition_required"}[status]
    return dict(error)


# --- The update operations ------------------------------------------------------------------------


@dataclass
class Update:
    """One update operation of the API on one record, with how to read the record back."""

    method: str
    url: str
    body: dict[str, Any]  # a change that is valid once
    second: dict[str, Any]  # another valid change
    writer: str  # the persona who may make it
    saved: Callable[[], Any]  # the field the change sets, read from the database
    versioned: bool  # the ETag names a version number
    personal: bool = False  # the person's own settings (/me/...): everyone reaches their own, nobody another's


def _program(world: World) -> Update:
    program = world.programs["p1"]
    return Update(
        "patch",
        f"/api/v1/programs/{program.pk}/",
        {"region": "Coast"},
        {"region": "Hills"},
        "state_lead",
        lambda: Program.objects.get(pk=program.pk).region,
        True,
    )


def _assignment(world: World) -> Update:
    implementation_services.program_setup_sync(world.programs["p1"])
    item = Assignment.objects.get(program=world.programs["p1"], responsibility__key="R-PRI-MH-02")
    return Update(
        "patch",
        f"/api/v1/assignments/{item.pk}/",
        {"notes": "Asked the DVR director."},
        {"notes": "Met the DVR director."},
        "director",
        lambda: Assignment.objects.get(pk=item.pk).notes,
        False,
    )


def _strategy(world: World) -> Update:
    program = world.programs["p1"]
    strategy = Strategy.objects.get(stage__version__is_current=True, key="ST01-S01")
    return Update(
        "patch",
        f"/api/v1/programs/{program.pk}/strategies/{strategy.pk}/",
        {"notes": "Met the leaders in May."},
        {"notes": "Met them again in June."},
        "director",
        lambda: getattr(program.strategy_progress.filter(strategy=strategy).first(), "notes", ""),
        False,
    )


def _partnership_item(world: World) -> Update:
    program = world.programs["p1"]
    implementation_services.program_setup_sync(program)
    item = PartnershipItem.objects.get(program=program, kind="billing")
    return Update(
        "patch",
        f"/api/v1/programs/{program.pk}/partnership/{item.pk}/",
        {"notes": "Medicaid billing agreed."},
        {"notes": "DVR billing agreed too."},
        "director",
        lambda: PartnershipItem.objects.get(pk=item.pk).notes,
        False,
    )


def _minimum_wage(world: World) -> Update:
    wage = tenancy_services.minimum_wage_add(
        actor=world.state_lead,
        state=world.state_a,
        hourly_rate=Decimal("12.00"),
        effective_from=datetime.date(2025, 1, 6),
    )
    return Update(
        "patch",
        f"/api/v1/minimum-wages/{wage.pk}/",
        {"hourly_rate": "12.10"},
        {"hourly_rate": "12.25"},
        "state_lead",
        lambda: str(MinimumWage.objects.get(pk=wage.pk).hourly_rate),
        False,
    )


def _release_template(world: World) -> Update:
    first = signing.DEFAULT_RELEASE.replace("Permission to share", "Sharing")
    second = signing.DEFAULT_RELEASE.replace("Permission to share", "Sharing your information")
    return Update(
        "put",
        f"/api/v1/release-templates/{world.state_a.pk}/",
        {"body": first, "change_note": "Shorter title"},
        {"body": second, "change_note": "Clearer title"},
        "state_lead",
        lambda: [t.change_note for t in ReleaseTemplate.objects.filter(state=world.state_a).order_by("version")],
        True,
    )


def _second_specialist(world: World) -> Person:
    person = Person.objects.create(username="second", first_name="Sam", last_name="Second")
    Membership.objects.create(person=person, organization=world.orgs["provider1"], role=Role.EMPLOYMENT_SPECIALIST)
    return person


def _client_record(world: World) -> Update:
    enrollment = enroll(world, specialist=None)
    second = _second_specialist(world)
    return Update(
        "patch",
        f"/api/v1/clients/{enrollment.pk}/",
        {"specialist": world.specialist.pk},
        {"specialist": second.pk, "reason": "Closer to the client's home"},
        "supervisor",
        lambda: Enrollment.objects.get(pk=enrollment.pk).specialist_id,
        True,
    )


def _review_plan(world: World) -> Update:
    review = fidelity_factories.planned_review(world)
    visit = {"visit_day_2": fidelity_factories.days(11).isoformat()}
    return Update(
        "put",
        f"/api/v1/fidelity-reviews/{review.pk}/plan/",
        {**visit, "visit_day_1": fidelity_factories.days(10).isoformat()},
        {**visit, "visit_day_1": fidelity_factories.days(9).isoformat()},
        "state_lead",
        lambda: Review.objects.get(pk=review.pk).visit_day_1,
        False,
    )


def _review_report(world: World) -> Update:
    review = fidelity_factories.review_in_consensus(world)
    agreed = fidelity_factories.entries(review, fidelity_factories.SCORES)
    fidelity_services.consensus_save(actor=world.reviewer, review=review, entries=agreed)
    fidelity_services.consensus_complete(actor=world.reviewer, review=review)
    return Update(
        "put",
        f"/api/v1/fidelity-reviews/{review.pk}/report/",
        {"strengths": "A strong team.", "recommendations": "Plan employer contacts."},
        {"strengths": "A strong, stable team.", "recommendations": "Plan employer contacts."},
        "reviewer",
        lambda: Review.objects.get(pk=review.pk).overall_strengths,
        False,
    )


def _review_action(world: World) -> Update:
    review = fidelity_factories.delivered_review(world)
    action = fidelity_services.action_create(
        actor=world.state_lead, review=review, title="Plan", items=[], owner=None, due_on=fidelity_factories.days(30)
    )
    return Update(
        "patch",
        f"/api/v1/fidelity-actions/{action.pk}/",
        {"status": "in_progress"},
        {"status": "done"},
        "director",
        lambda: ActionItem.objects.get(pk=action.pk).status,
        False,
    )


def _job_search_plan(world: World) -> Update:
    enrollment = enroll(world, first="Plan")
    return Update(
        "put",
        f"/api/v1/clients/{enrollment.pk}/job-search-plan/",
        {"goal": "Baker"},
        {"goal": "Cook", "steps": "Visit the diner"},
        "specialist",
        lambda: JobSearchPlan.objects.filter(enrollment=enrollment).values_list("goal", flat=True).first(),
        True,
    )


def _dvr_case(world: World) -> Update:
    enrollment = enroll(world, first="Case")
    return Update(
        "put",
        f"/api/v1/clients/{enrollment.pk}/dvr-case/",
        {"eligibility": "pending", "referred_on": days_ago(30).isoformat()},
        {"eligibility": "eligible", "referred_on": days_ago(30).isoformat(), "eligibility_on": days_ago(9).isoformat()},
        "specialist",
        lambda: DvrCase.objects.filter(enrollment=enrollment).values_list("eligibility", flat=True).first(),
        True,
    )


def _career_profile(world: World) -> Update:
    enrollment = enroll(world, first="Profile")
    return Update(
        "put",
        f"/api/v1/clients/{enrollment.pk}/career-profile/",
        {"preferences": "Mornings"},
        {"preferences": "Afternoons", "reason": "Changed after the first job"},
        "specialist",
        lambda: CareerProfile.objects.filter(enrollment=enrollment).values_list("preferences", flat=True).first(),
        True,
    )


def _employer(world: World) -> Update:
    bakery = employer(world, name="Version Bakery")
    return Update(
        "patch",
        f"/api/v1/employers/{bakery.pk}/",
        {"industry": "Food"},
        {"industry": "Retail", "contact_name": "Ana"},
        "specialist",
        lambda: Employer.objects.get(pk=bakery.pk).industry,
        False,
    )


def _meeting(world: World) -> Update:
    held = collaboration_factories.meeting(
        world, collaboration_factories.series(world), datetime.date(2026, 11, 2), attendees=("supervisor",)
    )
    return Update(
        "patch",
        f"/api/v1/meetings/{held.pk}/",
        {"location": "Room 2"},
        {"location": "Video call", "minutes": "Caseloads reviewed."},
        "director",
        lambda: Meeting.objects.get(pk=held.pk).location,
        False,
    )


def _outcome_report(world: World) -> Update:
    report = outcome_services.report_save(
        actor=world.supervisor,
        program=world.programs["p1"],
        year=2026,
        quarter=2,
        definition_code="worked_over_served",
        figures={"served": 30, "worked": 12},
    )
    return Update(
        "patch",
        f"/api/v1/outcome-reports/{report.pk}/",
        {"worked": 14},
        {"worked": 15},
        "supervisor",
        lambda: QuarterlyReport.objects.get(pk=report.pk).worked,
        False,
    )


def _reminders(world: World) -> Update:
    person = world.people["specialist"]
    return Update(
        "put",
        "/api/v1/me/reminders/",
        {"frequency": "daily"},
        {"frequency": "never"},
        "specialist",
        lambda: NotificationPreference.objects.filter(person=person).values_list("frequency", flat=True).first(),
        False,
        personal=True,
    )


def _organization(world: World) -> Update:
    organization = world.orgs["provider1"]
    return Update(
        "patch",
        f"/api/v1/organizations/{organization.pk}/",
        {"phone": "555-0100"},
        {"phone": "555-0199"},
        "admin",
        lambda: Organization.objects.get(pk=organization.pk).phone,
        True,
    )


def _person(world: World) -> Update:
    subject = world.people["specialist"]
    return Update(
        "patch",
        f"/api/v1/people/{subject.pk}/",
        {"title": "Employment specialist"},
        {"title": "Senior employment specialist"},
        "admin",
        lambda: Person.objects.get(pk=subject.pk).title,
        False,
    )


def _outcome_benchmarks(world: World) -> Update:
    state = world.state_a
    return Update(
        "put",
        f"/api/v1/states/{state.pk}/outcome-benchmarks/",
        {"definition_code": "worked_over_served", "minimal": "30", "average": "40", "excellent": "55"},
        {"definition_code": "worked_over_served", "minimal": "30", "average": "45", "excellent": "60"},
        "state_lead",
        lambda: outcome_selectors.benchmarks_for(state, "worked_over_served")["excellent"],
        False,
    )


def _dvr_catalog(world: World) -> Update:
    state = world.state_a
    text = dvr_selectors.catalog_text(dvr_services.catalog_current(state))

    def service(code: str) -> str:
        return (
            f"- code: {code}\n  name: Benefits counseling\n  purpose: Work incentives planning.\n"
            '  report: career_profile\n  time_frame: {due_days: 30}\n  payment: {kind: fixed, amount: "300.00"}\n'
        )

    return Update(
        "put",
        f"/api/v1/states/{state.pk}/dvr-catalog/",
        {"text": text + service("benefits_a"), "note": "Reviewed."},
        {"text": text + service("benefits_b"), "note": "Reviewed again."},
        "state_lead",
        lambda: CatalogVersion.objects.filter(state=state).order_by("-version").values_list("note", flat=True)[0],
        True,
    )


def _self_assessment(world: World) -> Update:
    from ipshub.fidelity import self_assessment_services
    from ipshub.fidelity.models import SelfAssessment
    from ipshub.fidelity.scales import current_scale

    program = world.programs["p1"]
    item = current_scale().items.get(number=1)
    made = self_assessment_services.self_assessment_create(
        actor=world.people["supervisor"],
        program=program,
        assessed_on=days_ago(2),
        entries=[self_assessment_services.SelfScoreEntry(item=item, score="3")],
    )
    body = {"assessed_on": days_ago(2).isoformat(), "participants": "", "items": [{"number": 1, "score": 4}]}
    return Update(
        "put",
        f"/api/v1/self-assessments/{made.pk}/",
        {**body, "note": "Scored at the team meeting."},
        {**body, "note": "Scored again after the chart review."},
        "supervisor",
        lambda: SelfAssessment.objects.get(pk=made.pk).note,
        False,
    )


UPDATES = {
    "self_assessment": _self_assessment,
    "dvr_catalog": _dvr_catalog,
    "organization": _organization,
    "person": _person,
    "review_plan": _review_plan,
    "review_report": _review_report,
    "review_action": _review_action,
    "program": _program,
    "assignment": _assignment,
    "strategy": _strategy,
    "partnership_item": _partnership_item,
    "minimum_wage": _minimum_wage,
    "release_template": _release_template,
    "client_record": _client_record,
    "job_search_plan": _job_search_plan,
    "dvr_case": _dvr_case,
    "career_profile": _career_profile,
    "employer": _employer,
    "meeting": _meeting,
    "reminders": _reminders,
    "outcome_report": _outcome_report,
    "outcome_benchmarks": _outcome_benchmarks,
}


def _send(client: APIClient, update: Update, body: dict[str, Any], if_match: str | None) -> Any:
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return getattr(client, update.method)(update.url, body, format="json", **headers)


@pytest.mark.parametrize("kind", list(UPDATES))
def test_an_update_needs_the_version_it_read(world: World, api, kind: str) -> None:
    update = UPDATES[kind](world)
    client = api(world.people[update.writer])
    before = update.saved()
    read = current_etag(client, update.url)
    assert read.startswith('"') and read.endswith('"')  # a strong ETag, quoted (RFC 9110 §8.8.3)
    assert current_etag(client, update.url) == read  # stable while nothing changes

    # Without If-Match: 428, nothing written.
    missing = assert_precondition(_send(client, update, update.body, None), 428)
    assert "If-Match" in missing["message"]
    assert_precondition(_send(client, update, update.body, "*"), 428)
    assert update.saved() == before

    # With the version it read: the update, answered with the new version's ETag (the same as a GET's now).
    done = _send(client, update, update.body, read)
    assert done.status_code in (200, 201), done.content
    new = done["ETag"]
    assert new != read and new == current_etag(client, update.url)
    after = update.saved()
    assert after != before

    # Again with the version read before that update: stale, 412 with the version now; nothing written.
    stale = assert_precondition(_send(client, update, update.second, read), 412)
    assert stale["etag"] == new and stale["current_version"] == (_version_in(new) if update.versioned else None)
    assert update.saved() == after
    # An ETag that is not this record's (another's, a weak one) is stale too; something that is no ETag at all
    # (no quotes) is a 400 that says how to write one.
    for other in ('"program-999999-v1"', f"W/{new}"):
        assert assert_precondition(_send(client, update, update.second, other), 412)["etag"] == new
    assert "If-Match" in assert_error(_send(client, update, update.second, "garbage"), 400)["fields"]
    assert update.saved() == after
    # The ETag read again: the second change is made. A list of ETags matches if any does.
    again = _send(client, update, update.second, f'"elsewhere", {new}')
    assert again.status_code in (200, 201), again.content
    assert update.saved() != after


def _version_in(etag: str) -> int:
    return int(etag.strip('"').rsplit("-v", 1)[1])


@pytest.mark.parametrize("kind", list(UPDATES))
def test_outsiders_get_404_on_every_update_whatever_they_send(world: World, api, kind: str) -> None:
    update = UPDATES[kind](world)
    read = current_etag(api(world.people[update.writer]), update.url)
    before = update.saved()
    for name in OUTSIDERS:
        client = api(world.people[name])
        for if_match in (None, read, '"stale"'):
            sent = _send(client, update, update.body, if_match)
            if not update.personal:  # (their own settings they may change: the writer's stay as they were)
                assert_error(sent, 404, "not_found")
    assert update.saved() == before


@pytest.mark.parametrize("kind", list(UPDATES))
def test_an_update_with_a_field_it_does_not_take_is_refused(world: World, api, kind: str) -> None:
    update = UPDATES[kind](world)
    client = api(world.people[update.writer])
    before = update.saved()
    read = current_etag(client, update.url)
    refused = assert_error(_send(client, update, {**update.body, "regoin": "Coast", "id": 5}, read), 400, "invalid")
    assert set(refused["fields"]) == {"regoin", "id"}
    assert refused["fields"]["regoin"] == ["This operation does not take this field."]
    assert update.saved() == before and current_etag(client, update.url) == read


# --- Two systems, one record ----------------------------------------------------------------------


def test_of_two_systems_updating_a_program_the_second_gets_412_and_nothing_is_lost(world: World, api) -> None:
    """Two agency systems (two tokens) read the same program, then both change it."""
    url = f"/api/v1/programs/{world.programs['p1'].pk}/"
    first, second = api(world.state_lead), api(world.admin)
    first_read, second_read = current_etag(first, url), current_etag(second, url)
    assert first_read == second_read
    assert _send(first, _program(world), {"region": "Coast"}, first_read).status_code == 200
    late = assert_precondition(_send(second, _program(world), {"funding_source": "Medicaid"}, second_read), 412)
    program = Program.objects.get(pk=world.programs["p1"].pk)
    assert (program.region, program.funding_source) == ("Coast", "")  # the first change kept, the second not made
    assert late["current_version"] == program.version and late["etag"] == current_etag(second, url)
    # The second system reads again and redoes its change on top of the first.
    redone = _send(second, _program(world), {"funding_source": "Medicaid"}, late["etag"])
    assert redone.status_code == 200 and redone.json()["region"] == "Coast"
    assert redone.json()["funding_source"] == "Medicaid"


def test_of_two_systems_updating_a_client_record_the_second_gets_412_and_nothing_is_lost(world: World, api) -> None:
    update = _client_record(world)
    second_specialist = update.second["specialist"]
    first, second = api(world.supervisor), api(world.supervisor)  # two systems, each with its own token
    first_read, second_read = current_etag(first, update.url), current_etag(second, update.url)
    assert _send(first, update, {"specialist": world.specialist.pk}, first_read).status_code == 200
    late = assert_precondition(_send(second, update, {"specialist": second_specialist}, second_read), 412)
    assert update.saved() == world.specialist.pk  # the first system's assignment stands
    assert late["etag"] == current_etag(second, update.url)
    # Read again, the second system sees the client now has a specialist: moving them is a transfer, with a reason.
    no_reason = assert_error(_send(second, update, {"specialist": second_specialist}, late["etag"]), 400)
    assert "reason" in no_reason["fields"]
    moved = _send(second, update, update.second, late["etag"])
    assert moved.status_code == 200 and moved.json()["specialist"]["id"] == second_specialist


def test_a_client_record_is_assigned_as_on_its_web_page(world: World, api) -> None:
    update = _client_record(world)
    read = current_etag(api(world.supervisor), update.url)
    # The agency's people read the record but do not assign specialists: the IPS supervisor does.
    for persona in ("director", "case_manager"):
        assert_error(_send(api(world.people[persona]), update, update.body, read), 403, "permission_denied")
    # A specialist of another IPS unit is named as unknown.
    stranger = _send(api(world.supervisor), update, {"specialist": world.other_agency_specialist.pk}, read)
    assert assert_error(stranger, 400)["fields"] == {
        "specialist": ["No employment specialist with this id works in this client's IPS unit."]
    }
    assert update.saved() is None


# --- Every single-object GET answers an ETag ------------------------------------------------------


def test_every_single_object_get_answers_an_etag(world: World, api) -> None:
    ids = object_ids(world)
    insiders: dict[str, APIClient] = {}
    answered = []
    for route in routes():
        if not (is_api(route) and route.kwargs) or route.name in WRITE_ONLY:
            continue
        name = INSIDER_OF.get(route.name, "director")
        if name not in insiders:
            insiders[name] = api(world.people[name])
        client = insiders[name]
        url = url_for(route, ids) + REQUIRED_QUERY.get(route.name, "")
        response = client.get(url)
        assert response.status_code == 200, route.name
        one_object = response["Content-Type"].startswith("application/json") and isinstance(response.json(), dict)
        if one_object and "results" not in response.json():
            assert response.has_header("ETag"), f"{route.name} answers one record without an ETag"
            assert issubclass(route.callback.view_class, OneObject), route.name
            assert response["ETag"] == client.get(url)["ETag"], route.name
            answered.append(route.name)
    assert {"api:program-detail", "api:enrollment-detail", "api:job-detail", "api:assignment-detail"} <= set(answered)
    assert {"api:review-detail", "api:outcome-report-detail", "api:release-template"} <= set(answered)
    assert "api:program-hub" in answered  # issue 23: the program's hub, every area's figures


def test_the_schema_documents_versions_and_unknown_fields(world: World, api) -> None:
    schema = api(world.state_lead).get("/api/v1/schema/?format=json").json()
    updates = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("put", "patch"):
                updates += 1
                if_match = [p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "If-Match"]
                assert if_match and if_match[0]["required"], path
                assert {"412", "428"} <= set(operation["responses"]), path
                assert "current_version" in str(schema["components"]["schemas"]["PreconditionFailedError"])
                success = operation["responses"].get("200") or operation["responses"]["201"]
                assert "ETag" in success["headers"], path
            if method in ("post", "put", "patch") and "requestBody" in operation:
                for media, body in operation["requestBody"]["content"].items():
                    ref = body["schema"].get("$ref", "")
                    found = schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else body["schema"]
                    assert found.get("additionalProperties") is False, f"{method} {path} {media}"
    assert updates == len(UPDATES)
    assert "ETag" in schema["paths"]["/api/v1/programs/{program_id}/"]["get"]["responses"]["200"]["headers"]
