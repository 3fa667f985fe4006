"""The change feed, GET /api/v1/changes/ (api/changes.py): in order, only what each person may see now,
resumable from opaque cursors, no client data beyond ids, a fixed number of queries a page."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core import signing
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ipshub.api import changes
from ipshub.audit.models import AuditEvent
from ipshub.clients import services as client_services
from ipshub.clients.models import Consent, Enrollment
from ipshub.outcomes import services as outcome_services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.models import QuarterlyReport
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World

URL = "/api/v1/changes/"
# What the done-when names: a referral (and the specialist's assignment), a consent, a job start, a
# quarterly report through to its acceptance.
CLIENT_ACTIONS = ["client.refer", "client.assign", "client.consent_add", "client.job_start"]
REPORT_ACTIONS = ["outcome_report.create", "outcome_report.submit", "outcome_report.accept"]
SEES_ALL = ("supervisor", "specialist", "director", "case_manager")
OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_director")


def _consent(world: World, enrollment: Enrollment) -> Consent:
    return client_services.consent_create(
        actor=world.case_manager,
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope=Consent.Scope.EMPLOYMENT,
        starts_on=days_ago(10),
    )


def _accepted_report(world: World, quarter: int = 1) -> QuarterlyReport:
    report = outcome_services.report_save(
        actor=world.admin,
        program=world.programs["p1"],
        year=2025,
        quarter=quarter,
        definition_code=DEFAULT_CODE,
        figures={"served": 40, "worked": 20},
    )
    report = outcome_services.report_submit(actor=world.admin, report=report)
    return outcome_services.report_accept(actor=world.state_lead, report=report)


def _the_story(world: World) -> tuple[Enrollment, Consent, int, QuarterlyReport]:
    enrollment = enroll(world, first="Rosalind", last="Featherstonehaugh")
    consent = _consent(world, enrollment)
    job = start_job(world.specialist, enrollment, employer(world))
    return enrollment, consent, job.pk, _accepted_report(world)


def _read_all(client, after: str | None = None, page_size: int = 100) -> list[dict]:  # type: ignore[no-untyped-def]
    url = f"{URL}?page_size={page_size}" + (f"&after={after}" if after else "")
    found: list[dict] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        found += response.json()["results"]
        url = response.json()["next"]
    return found


@pytest.mark.django_db
def test_a_referral_a_consent_a_job_start_and_an_acceptance_appear_in_order_for_those_who_may_see_them(
    world: World, api
) -> None:
    enrollment, consent, job_id, report = _the_story(world)
    expected = [
        ("enrollment", enrollment.pk, "client.refer", enrollment.pk),
        ("enrollment", enrollment.pk, "client.assign", enrollment.pk),
        ("consent", consent.pk, "client.consent_add", enrollment.pk),
        ("job", job_id, "client.job_start", enrollment.pk),
    ] + [("quarterly_report", report.pk, action, None) for action in REPORT_ACTIONS]
    for name in SEES_ALL:
        found = _read_all(api(world.people[name]))
        assert [(c["kind"], c["id"], c["action"], c["enrollment"]) for c in found] == expected, name
        times = [datetime.datetime.fromisoformat(c["at"]) for c in found]
        assert times == sorted(times)
    # The DVR counselor, under the client's consent, sees what the DVR view shows; the state team the
    # program's report and no client records.
    counselor = _read_all(api(world.counselor))
    assert [c["action"] for c in counselor] == CLIENT_ACTIONS + REPORT_ACTIONS
    assert [c["action"] for c in _read_all(api(world.state_lead))] == REPORT_ACTIONS
    for name in OUTSIDERS:
        assert _read_all(api(world.people[name])) == [], name


@pytest.mark.django_db
def test_a_client_record_leaves_the_feed_of_whoever_can_no_longer_see_it(world: World, api) -> None:
    enrollment = enroll(world)
    consent = _consent(world, enrollment)
    assert [c["action"] for c in _read_all(api(world.counselor))] == CLIENT_ACTIONS[:3]
    client_services.consent_revoke(
        actor=world.case_manager, enrollment=enrollment, consent=consent, how=Consent.RevokedHow.WRITING
    )
    assert _read_all(api(world.counselor)) == []


@pytest.mark.django_db
def test_resuming_from_a_cursor_gives_only_the_later_changes_and_the_same_cursor_the_same_place(
    world: World, api
) -> None:
    client = api(world.supervisor)
    enrollment = enroll(world)
    first = client.get(URL).json()
    assert [c["action"] for c in first["results"]] == ["client.refer", "client.assign"]
    assert first["next"] is None and first["cursor"] == first["results"][-1]["cursor"]
    # Nothing new: the same cursor comes back, to poll with.
    caught_up = client.get(URL, {"after": first["cursor"]}).json()
    assert caught_up == {"next": None, "cursor": first["cursor"], "results": []}
    _consent(world, enrollment)
    _accepted_report(world)
    later = _read_all(client, first["cursor"])
    assert [c["action"] for c in later] == ["client.consent_add", *REPORT_ACTIONS]
    # Pages of two: `next` carries the cursor on; each page starts after the one before.
    page = client.get(URL, {"page_size": 2}).json()
    assert [c["action"] for c in page["results"]] == ["client.refer", "client.assign"]
    assert page["next"].startswith("http://testserver/api/v1/changes/?after=")
    second = client.get(page["next"]).json()
    assert [c["action"] for c in second["results"]] == ["client.consent_add", "outcome_report.create"]
    # Stable: resuming from the first entry's cursor again gives the same answer.
    from_second = [c["cursor"] for c in _read_all(client, first["results"][0]["cursor"])]
    assert from_second == [c["cursor"] for c in _read_all(client)][1:]


@pytest.mark.django_db
def test_cursors_are_opaque_and_a_malformed_or_altered_one_is_a_400_that_says_what_to_do(world: World, api) -> None:
    client = api(world.supervisor)
    enroll(world)
    cursor = client.get(URL).json()["cursor"]
    last = AuditEvent.objects.filter(action="client.assign").get().pk
    assert cursor != str(last) and changes.position_of(cursor) == last
    forged = signing.dumps(last - 1, salt="another.salt")
    for bad in ("123", "", "not-a-cursor", cursor[:-1], cursor + "x", forged, changes.cursor_for(0)[:-2]):
        response = client.get(URL, {"after": bad})
        assert response.status_code == 400, bad
        error = response.json()["error"]
        assert error["code"] == "invalid" and set(error["fields"]) == {"after"}
        assert "leave `after` out" in error["fields"]["after"][0]
    # A well-signed value that is not a position is refused the same way.
    assert client.get(URL, {"after": signing.dumps("7", salt=changes.CURSOR_SALT)}).status_code == 400


@pytest.mark.django_db
def test_nothing_of_a_client_appears_beyond_ids_and_the_read_is_audited(world: World, api) -> None:
    enrollment = _the_story(world)[0]
    response = api(world.supervisor).get(URL)
    text = response.content.decode()
    for word in ("Rosalind", "Featherstonehaugh", "Cedar Bakery", "Baker", "1990-05-17"):
        assert word not in text
    assert set(response.json()["results"][0]) == {"cursor", "kind", "id", "action", "at", "enrollment"}
    event = AuditEvent.objects.filter(action="client.list_changes").get()
    assert event.actor == world.supervisor and event.detail == {"enrollments": [enrollment.pk]}


@pytest.mark.django_db
def test_changes_wait_until_they_settle(world: World, api) -> None:
    enroll(world)
    with override_settings(IPSHUB_CHANGES_SETTLE_SECONDS=3600):
        assert api(world.supervisor).get(URL).json()["results"] == []


def _queries(client) -> int:  # type: ignore[no-untyped-def]
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_page_takes_a_fixed_number_of_queries_whatever_the_number_of_changes(world: World, api) -> None:
    clients = {name: api(world.people[name]) for name in ("supervisor", "counselor", "state_lead", "reviewer")}
    _the_story(world)
    before = {name: _queries(client) for name, client in clients.items()}
    bakery = employer(world, name="Second Bakery")
    for i in range(6):
        enrollment = enroll(world, first=f"Grown{i}")
        _consent(world, enrollment)
        start_job(world.specialist, enrollment, bakery)
    _accepted_report(world, quarter=2)
    after = {name: _queries(client) for name, client in clients.items()}
    assert after == before
    # The token, the person's seats, the feed's one query, the audit event of the read (a fidelity
    # reviewer's review windows are one more, as on every page that reads client records).
    assert before == {"supervisor": 4, "counselor": 4, "state_lead": 4, "reviewer": 5}


def test_the_map_names_real_records_and_actions_the_services_write() -> None:
    """A misspelt action or record in the reviewed map would silently leave its changes out of the feed."""
    package = Path(changes.__file__).parents[1]
    # The services that write, not the API (whose map names them all).
    sources = "".join(path.read_text() for path in package.rglob("*.py") if "api" not in path.parts)
    for (object_type, action), kind in changes.KIND_OF.items():
        assert apps.get_model(object_type), kind
        prefix, _, verb = action.partition(".")
        # fidelity and outcome reports name their actions from a verb (fidelity/services.py `_audit`,
        # outcomes/services.py `_event`).
        written = f'"{verb}"' if prefix in ("fidelity", "outcome_report") else f'"{action}"'
        assert written in sources, action


@pytest.mark.django_db
def test_program_records_and_their_removal_reach_those_who_see_the_program(world: World, api) -> None:
    """A meeting, a goal and a steering committee member removed, the directory's new person: each in order for
    the program's people, none for outsiders."""
    from decimal import Decimal

    from ipshub.collaboration import services as collaboration_services
    from ipshub.implementation import services as implementation_services
    from ipshub.tenancy import services as tenancy_services
    from ipshub.tenancy.roles import Role
    from tests.collaboration import factories as collaboration_factories

    program = world.programs["p1"]
    series = collaboration_factories.series(world)
    held = collaboration_factories.meeting(world, series, days_ago(3), attendees=("supervisor",))
    held_id = held.pk
    collaboration_services.meeting_delete(actor=world.admin, meeting=held)
    goal = outcome_services.goal_set(
        actor=world.admin, program=program, year=2026, quarter=4, metric="employment_rate", target=Decimal("45")
    )
    goal_id = goal.pk
    outcome_services.goal_delete(actor=world.admin, goal=goal)
    member = implementation_services.steering_member_add(
        actor=world.director, program=program, name="Dana Ortiz", role="family", joined_on=days_ago(30)
    )
    member_id = member.pk
    implementation_services.steering_member_remove(actor=world.director, member=member)
    newcomer = tenancy_services.person_create(
        actor=world.admin,
        username="newcomer",
        first_name="Nia",
        last_name="Comer",
        email="nia@example.org",
        password=None,
        organization=world.orgs["mh1"],
        role=Role.CASE_MANAGER,
    )
    # A removed record's earlier changes went with it (nothing is left to show); its removal stays.
    expected = [
        ("meeting_series", series.pk, "meeting_series.create"),
        ("meeting", held_id, "meeting.delete"),
        ("goal", goal_id, "outcome_goal.delete"),
        ("steering_member", member_id, "implementation.steering_remove"),
        ("person", newcomer.pk, "person.create"),
    ]
    # The person joined the mental health agency: its director sees them, the provider's supervisor does not.
    for name, sees in (("director", expected), ("supervisor", expected[:-1])):
        seen = [(c["kind"], c["id"], c["action"]) for c in _read_all(api(world.people[name]))]
        assert [change for change in seen if change in expected] == sees, name
    for name in OUTSIDERS:
        seen = [(c["kind"], c["id"], c["action"]) for c in _read_all(api(world.people[name]))]
        assert not set(seen) & set(expected), name
