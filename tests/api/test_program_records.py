"""A program's work through the API: the roles matrix (assignments), fidelity reviews and their item
scores, meetings with follow-ups, the training catalog and completions. Each list reads through the area's
access layer: people of another agency and another state see nothing (empty lists, 404 on each object),
and every list runs a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.collaboration import services as collab_services
from ipshub.collaboration import training
from ipshub.collaboration.models import FollowUp, Meeting, MeetingKind, MeetingSeries, TrainingCompletion
from ipshub.implementation import services as implementation_services
from ipshub.implementation.models import Assignment
from ipshub.tenancy.models import Membership, Person
from ipshub.tenancy.roles import Role
from tests.api.test_api import assert_error
from tests.fidelity.factories import SCORES, delivered_review, planned_review, review_in_consensus, second_reviewer
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_admin")


def _assignments(world: World, key: str = "p1") -> int:
    program = world.programs[key]
    implementation_services.program_setup_sync(program)
    return Assignment.objects.filter(program=program).count()


def _meeting(world: World, n: int = 0, follow_ups: int = 1) -> Meeting:
    admin = world.people["admin"]
    series = MeetingSeries.objects.filter(program=world.programs["p1"]).first() or collab_services.series_create(
        actor=admin, program=world.programs["p1"], kind=MeetingKind.IPS_UNIT, title="P1 IPS unit meeting"
    )
    meeting = collab_services.meeting_record(
        actor=admin,
        series=series,
        date=datetime.date(2025, 3, 3) + datetime.timedelta(days=7 * n),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(10, 0),
        attendees=[world.people["supervisor"], world.people["specialist"]],
    )
    collab_services.decision_add(actor=admin, meeting=meeting, text=f"Decision {n}")
    for i in range(follow_ups):
        collab_services.follow_up_add(
            actor=admin, meeting=meeting, text=f"Share the job leads list {n}.{i}", owner=world.people["supervisor"]
        )
    return meeting


def _completion(world: World, person: str = "specialist", days: int = 0) -> TrainingCompletion:
    seat = Membership.objects.get(person=world.people[person])
    return collab_services.training_record(
        actor=world.people[person],
        membership=seat,
        course="online_specialist",
        completed_on=datetime.date(2025, 2, 1) + datetime.timedelta(days=days),
    )


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Assignments ----------------------------------------------------------------------------------


def test_a_programs_roles_matrix_with_owner_due_date_and_status(world: World, api) -> None:
    total = _assignments(world)
    _assignments(world, "p2")
    assert total == 17  # the prior phase's one-time duties
    client = api(world.people["director"])
    p1 = world.programs["p1"].pk
    body = client.get(f"/api/v1/assignments/?program={p1}&page_size=100").json()
    assert body["count"] == total
    row = body["results"][0]
    assert set(row) == {
        "id",
        "program",
        "responsibility",
        "phase_key",
        "party_key",
        "organization",
        "owner",
        "due_on",
        "status",
        "status_label",
        "status_source",
        "status_reason",
        "completed_on",
        "fulfilled_by",
        "period_start",
        "period_end",
        "overdue",
        "notes",
        "updated_at",
    }
    assert row["program"] == {"id": p1, "name": "Program P1"}
    assert set(row["responsibility"]) == {"key", "phase", "party", "text"} and row["responsibility"]["text"]
    assert row["due_on"] and isinstance(row["overdue"], bool) and isinstance(row["fulfilled_by"], list)
    assert row["period_start"] is None and row["period_end"] is None  # the prior phase's duties are one-time
    dues = [r["due_on"] for r in body["results"]]
    assert dues == sorted(dues)
    # The director's agency does not see P2's matrix; the state team sees both.
    assert client.get("/api/v1/assignments/").json()["count"] == total
    assert api(world.people["state_lead"]).get("/api/v1/assignments/").json()["count"] == 2 * total
    # Filters and ordering.
    done = Assignment.objects.filter(program=world.programs["p1"], status="done").count()
    open_ = Assignment.objects.filter(program=world.programs["p1"], status__in=["not_started", "in_progress"]).count()
    assert client.get(f"/api/v1/assignments/?program={p1}&status=done").json()["count"] == done
    assert client.get(f"/api/v1/assignments/?program={p1}&open=true").json()["count"] == open_
    overdue = client.get(f"/api/v1/assignments/?program={p1}&overdue=true&page_size=100").json()["results"]
    assert all(r["overdue"] and r["status"] in ("not_started", "in_progress") for r in overdue)
    not_overdue = client.get(f"/api/v1/assignments/?program={p1}&overdue=false").json()["count"]
    assert len(overdue) + not_overdue == total
    assert "overdue" in assert_error(client.get("/api/v1/assignments/?overdue=maybe"), 400)["fields"]
    party = row["party_key"]
    parties = client.get(f"/api/v1/assignments/?party={party}&page_size=100").json()["results"]
    assert parties and {r["party_key"] for r in parties} == {party}
    latest = client.get("/api/v1/assignments/?ordering=-due_on").json()["results"][0]
    assert latest["due_on"] == max(dues)
    assert "status" in assert_error(client.get("/api/v1/assignments/?status=finished"), 400)["fields"]
    assert "due_since" in assert_error(client.get("/api/v1/assignments/?due_since=soon"), 400)["fields"]
    detail = client.get(f"/api/v1/assignments/{row['id']}/")
    assert detail.status_code == 200 and detail.json() == row


def test_outsiders_see_no_assignment(world: World, api) -> None:
    _assignments(world)
    one = Assignment.objects.filter(program=world.programs["p1"]).first()
    assert one is not None
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert client.get("/api/v1/assignments/").json()["count"] == 0, name
        assert_error(client.get(f"/api/v1/assignments/{one.pk}/"), 404)


# --- Fidelity reviews -----------------------------------------------------------------------------

ITEM_FIELDS = {
    "number",
    "key",
    "section",
    "name",
    "score",
    "cannot_rate_reason",
    "rationale",
    "strengths",
    "recommendations",
}


def test_a_delivered_review_gives_every_items_consensus_score(world: World, api) -> None:
    review = delivered_review(world)
    for name in ("director", "supervisor", "dvr_supervisor", "state_lead", "reviewer"):
        client = api(world.people[name])
        assert review.pk in _ids(client.get("/api/v1/fidelity-reviews/")), name  # (and the follow-up it scheduled)
        body = client.get(f"/api/v1/fidelity-reviews/{review.pk}/").json()
        assert body["status"] == "delivered" and body["scores_available"] is True
        assert [item["score"] for item in body["items"]] == SCORES
        assert set(body["items"][0]) == ITEM_FIELDS
        assert body["items"][0]["number"] == 1 and body["items"][0]["strengths"] == "Good work."
        assert body["total"]["rated_total"] == sum(SCORES) and body["total"]["band"]
        assert body["overall_strengths"] == "Strong team."
        assert {m["person"]["username"] for m in body["team"]} == {"reviewer", "reviewer2"}


def test_partners_get_no_scores_before_the_report_is_delivered(world: World, api) -> None:
    review = review_in_consensus(world)
    body = api(world.people["director"]).get(f"/api/v1/fidelity-reviews/{review.pk}/").json()
    assert body["status"] == "consensus"
    assert body["scores_available"] is False and body["items"] == [] and body["total"] is None
    # Reviewers' individual scores are never in the API, even for the team.
    team = api(world.people["reviewer"]).get(f"/api/v1/fidelity-reviews/{review.pk}/").json()
    assert team["items"] == [] and "reviewer_scores" not in team


def test_reviews_filter_and_outsiders_see_none(world: World, api) -> None:
    review = delivered_review(world)
    client = api(world.people["state_lead"])
    p1 = world.programs["p1"].pk
    assert _ids(client.get(f"/api/v1/fidelity-reviews/?program={p1}&status=delivered")) == [review.pk]
    assert _ids(client.get("/api/v1/fidelity-reviews/?status=scoring")) == []
    assert _ids(client.get("/api/v1/fidelity-reviews/?kind=baseline&ordering=-report_date")) == [review.pk]
    assert "kind" in assert_error(client.get("/api/v1/fidelity-reviews/?kind=yearly"), 400)["fields"]
    # A fidelity reviewer of the same state who is not on this review's team sees nothing of it.
    other = Person.objects.create(username="reviewer3", first_name="Sam", last_name="Other")
    Membership.objects.create(person=other, organization=world.orgs["team_a"], role=Role.FIDELITY_REVIEWER)
    for name in (*OUTSIDERS, "reviewer3"):
        person = other if name == "reviewer3" else world.people[name]
        outsider = api(person)
        assert _ids(outsider.get("/api/v1/fidelity-reviews/")) == [], name
        assert_error(outsider.get(f"/api/v1/fidelity-reviews/{review.pk}/"), 404)


def test_a_reviewer_leaves_the_team_with_the_role(world: World, api) -> None:
    """The reviewer sees a review only while holding the fidelity reviewer role in its state."""
    review = review_in_consensus(world)
    reviewer2 = second_reviewer(world)
    client = api(reviewer2)
    assert _ids(client.get("/api/v1/fidelity-reviews/")) == [review.pk]
    Membership.objects.filter(person=reviewer2).update(is_active=False)
    assert _ids(client.get("/api/v1/fidelity-reviews/")) == []
    assert_error(client.get(f"/api/v1/fidelity-reviews/{review.pk}/"), 404)


# --- Meetings -------------------------------------------------------------------------------------


def test_meetings_with_attendance_decisions_and_follow_ups(world: World, api) -> None:
    meeting = _meeting(world, follow_ups=2)
    client = api(world.people["supervisor"])
    series = client.get("/api/v1/meeting-series/").json()["results"]
    assert [s["id"] for s in series] == [meeting.series_id]
    assert series[0]["program"]["id"] == world.programs["p1"].pk and series[0]["kind"] == "ips_unit"
    assert client.get(f"/api/v1/meeting-series/{meeting.series_id}/").json() == series[0]
    listed = client.get(f"/api/v1/meetings/?series={meeting.series_id}").json()["results"]
    assert [m["id"] for m in listed] == [meeting.pk]
    body = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body == listed[0]
    assert {a["person"]["username"] for a in body["attendance"]} == {"supervisor", "specialist"}
    assert [d["text"] for d in body["decisions"]] == ["Decision 0"]
    assert sorted(f["text"] for f in body["follow_ups"]) == [
        "Share the job leads list 0.0",
        "Share the job leads list 0.1",
    ]
    assert {f["owner"]["username"] for f in body["follow_ups"]} == {"supervisor"}
    assert {f["status"] for f in body["follow_ups"]} == {"open"}
    # Filters.
    assert _ids(client.get("/api/v1/meetings/?follow_up_status=open")) == [meeting.pk]
    assert _ids(client.get("/api/v1/meetings/?follow_up_status=done")) == []
    assert _ids(client.get("/api/v1/meetings/?since=2025-03-04")) == []
    assert _ids(client.get(f"/api/v1/meeting-series/?program={world.programs['p1'].pk}&statewide=false")) == [
        meeting.series_id
    ]
    assert "since" in assert_error(client.get("/api/v1/meetings/?since=March"), 400)["fields"]


def test_outsiders_see_no_meeting(world: World, api) -> None:
    meeting = _meeting(world)
    for name in OUTSIDERS:
        client = api(world.people[name])
        assert _ids(client.get("/api/v1/meeting-series/")) == [], name
        assert _ids(client.get("/api/v1/meetings/")) == [], name
        assert_error(client.get(f"/api/v1/meeting-series/{meeting.series_id}/"), 404)
        assert_error(client.get(f"/api/v1/meetings/{meeting.pk}/"), 404)


# --- Training -------------------------------------------------------------------------------------


def test_the_training_catalog_is_the_same_for_everyone(world: World, api) -> None:
    everyone = api(world.people["specialist"]).get("/api/v1/training/courses/?page_size=100").json()
    assert everyone["count"] == len(training.courses())
    assert everyone == api(world.people["other_state_director"]).get("/api/v1/training/courses/?page_size=100").json()
    for_specialists = api(world.people["specialist"]).get("/api/v1/training/courses/?role=employment_specialist")
    keys = {c["key"] for c in for_specialists.json()["results"]}
    assert "online_specialist" in keys and "online_supervisor" not in keys
    assert_error(api(world.people["specialist"]).get("/api/v1/training/courses/?role=chef"), 400)


def test_training_completions_follow_the_collaboration_rules(world: World, api) -> None:
    mine = _completion(world)
    _completion(world, "other_agency_specialist")
    for name in ("specialist", "supervisor", "state_lead", "admin"):
        body = api(world.people[name]).get("/api/v1/training/completions/").json()
        ids = [row["id"] for row in body["results"] if row["organization"]["id"] == world.orgs["provider1"].pk]
        assert ids == [mine.pk], name
    row = api(world.people["specialist"]).get("/api/v1/training/completions/").json()["results"][0]
    assert row["course"] == "online_specialist" and row["course_title"] == training.course("online_specialist").title
    assert row["person"]["username"] == "specialist"
    for name in ("other_agency_director", "other_state_lead", "other_state_admin", "director", "counselor"):
        ids = _ids(api(world.people[name]).get("/api/v1/training/completions/"))
        assert mine.pk not in ids, name
    lead = api(world.people["state_lead"])
    assert _ids(lead.get(f"/api/v1/training/completions/?person={world.people['specialist'].pk}")) == [mine.pk]
    assert _ids(lead.get("/api/v1/training/completions/?course=ips_initial")) == []
    assert "course" in assert_error(lead.get("/api/v1/training/completions/?course=nope"), 400)["fields"]


# --- Query counts ---------------------------------------------------------------------------------

LISTS = {
    "state_lead": (
        "/api/v1/assignments/",
        "/api/v1/fidelity-reviews/",
        "/api/v1/meeting-series/",
        "/api/v1/meetings/",
        "/api/v1/training/completions/",
    ),
    "director": ("/api/v1/assignments/", "/api/v1/fidelity-reviews/", "/api/v1/meetings/"),
    "supervisor": ("/api/v1/training/completions/", "/api/v1/training/courses/"),
}


def _grow(world: World, start: int, n: int) -> None:
    for i in range(start, start + n):
        _meeting(world, i, follow_ups=2)
        _completion(world, "specialist", days=i)
        _completion(world, "supervisor", days=i)


def test_the_lists_run_a_fixed_number_of_queries(world: World, api, django_assert_num_queries) -> None:
    _assignments(world)
    planned_review(world)
    clients = {name: api(world.people[name]) for name in LISTS}
    _grow(world, 0, 1)
    counts = {}
    for name, paths in LISTS.items():
        for path in paths:
            clients[name].get(path)  # warm up: the token's last-used time is written at most once a minute
            with CaptureQueriesContext(connection) as queries:
                assert clients[name].get(path).status_code == 200
            counts[(name, path)] = len(queries)
    _assignments(world, "p2")
    planned_review(world, "p2")
    _grow(world, 1, 6)
    assert FollowUp.objects.count() == 14 and Meeting.objects.count() == 7
    for (name, path), expected in counts.items():
        with django_assert_num_queries(expected):
            assert clients[name].get(path).status_code == 200
    assert max(counts.values()) <= 12, counts
