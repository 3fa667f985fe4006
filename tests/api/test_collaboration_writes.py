"""Every write of the collaboration area through the API (api/collaboration_views.py): the same service as the web
page (its effect and its audit event), the web view's access checks (403 for a person who sees the record but may
not act, 404 for people of another agency and of another state) and the service's messages (400 naming the field)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipshub.audit.models import AuditEvent
from ipshub.collaboration import services
from ipshub.collaboration.models import (
    Attendance,
    Decision,
    FollowUp,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MentoringSession,
    NotificationPreference,
    TAActivity,
    TrainingCompletion,
)
from ipshub.collaboration.selectors import person_for_calendar_token
from ipshub.fidelity.models import ActionItem
from tests.api.test_api import assert_error
from tests.collaboration.factories import meeting, series
from tests.fidelity.factories import delivered_review
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_state_lead", "other_state_director")
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _statewide(world: World) -> MeetingSeries:
    """The state team's supervisor meetings: the supervisor, who attended one, sees the series but may not record."""
    found = services.series_create(
        actor=world.state_lead,
        organization=world.orgs["team_a"],
        kind=MeetingKind.SUPERVISORS,
        title="Statewide IPS supervisors",
    )
    meeting(world, found, days(-7), attendees=("supervisor", "state_lead"))
    return found


def _statewide_meeting(world: World) -> Meeting:
    return _statewide(world).meetings.get()


def _steering_meeting(world: World) -> Meeting:
    return meeting(world, series(world, MeetingKind.STEERING), days(-1), attendees=("director", "supervisor"))


def _follow_up(world: World, held: Meeting | None = None, owner: str | None = None) -> FollowUp:
    held = held or _statewide_meeting(world)
    return services.follow_up_add(
        actor=world.state_lead,
        meeting=held,
        text="Share the job leads list",
        owner=world.people[owner] if owner else None,
        due_on=held.date + datetime.timedelta(days=14),
    )


def _steering_follow_up(world: World) -> FollowUp:
    delivered_review(world)
    return _follow_up(world, _steering_meeting(world), owner="supervisor")


def _completion(world: World, who: str = "case_manager") -> TrainingCompletion:
    person = world.people[who]
    return services.training_record(
        actor=world.director,
        membership=person.memberships.get(),
        course="online_practitioner",
        completed_on=days(-30),
    )


def _left_agency(world: World) -> TrainingCompletion:
    """A completion of someone whose seat ended: the agency's director still sees it, but nobody records (or
    removes) training for a seat that is no more."""
    completion = _completion(world)
    world.case_manager.memberships.update(is_active=False)
    return completion


@dataclass
class Step:
    """One operation: its starting point, a good and a bad body, who may and who may not, what it writes."""

    name: str
    method: str
    path: str  # with {id}: the object the setup returns
    setup: Callable[[World], Any]
    body: Callable[[World], dict[str, Any]]
    bad: Callable[[World], dict[str, Any]]
    bad_field: str
    doer: str
    refused: str | None  # a person who sees the object but may not act (None: every reader may act)
    audit: str
    effect: Callable[[World, Any], bool]
    status: int = 201
    etag: bool = False  # an update: If-Match with the ETag of the object's GET (path without a suffix)
    refused_setup: Callable[[World], Any] | None = None  # the object the refused person tries (default: setup's)


STEPS = [
    Step(
        "series for a program",
        "post",
        "/api/v1/meeting-series/",
        setup=lambda world: world.programs["p1"],
        body=lambda world: {"program": world.programs["p1"].pk, "kind": "steering_committee", "title": "P1 steering"},
        bad=lambda world: {"program": world.programs["p1"].pk, "kind": "statewide_supervisors", "title": "P1"},
        bad_field="kind",
        doer="director",
        refused=None,  # everyone who sees a program is its partner, its trainer or the state team
        audit="meeting_series.create",
        effect=lambda world, program: MeetingSeries.objects.get(program=program).cadence == "quarterly",
    ),
    Step(
        "statewide series",
        "post",
        "/api/v1/meeting-series/",
        setup=lambda world: world.orgs["team_a"],
        body=lambda world: {
            "organization": world.orgs["team_a"].pk,
            "kind": "consortium_webinar",
            "title": "Consortium webinars",
            "cadence": "monthly",
        },
        bad=lambda world: {"organization": world.orgs["team_a"].pk, "kind": "ips_unit", "title": "Units"},
        bad_field="kind",
        doer="trainer",
        refused=None,  # only the state team sees its organization, and each member may
        audit="meeting_series.create",
        effect=lambda world, team: MeetingSeries.objects.get(organization=team).cadence == "monthly",
    ),
    Step(
        "meeting",
        "post",
        "/api/v1/meeting-series/{id}/meetings/",
        setup=_statewide,
        body=lambda world: {
            "date": days(-1).isoformat(),
            "starts_at": "09:00",
            "ends_at": "10:30",
            "location": "Video call",
            "attendees": [world.supervisor.pk, world.trainer.pk],
            "invited": [world.director.pk],
            "minutes": "Caseloads reviewed.",
        },
        bad=lambda world: {"date": days(-1).isoformat(), "starts_at": "09:00", "ends_at": "08:00"},
        bad_field="ends_at",
        doer="state_lead",
        refused="supervisor",
        audit="meeting.record",
        effect=lambda world, s: (
            sorted(
                Attendance.objects.filter(meeting__series=s, meeting__date=days(-1)).values_list("status", flat=True)
            )
            == ["attended", "attended", "invited"]
        ),
    ),
    Step(
        "meeting update",
        "patch",
        "/api/v1/meetings/{id}/",
        setup=_statewide_meeting,
        body=lambda world: {"minutes": "Agreed on the referral pathway.", "attendees": [world.supervisor.pk]},
        bad=lambda world: {"date": "9999-12-31"},
        bad_field="date",
        doer="state_lead",
        refused="supervisor",
        audit="meeting.update",
        effect=lambda world, held: (
            Meeting.objects.get(pk=held.pk).minutes == "Agreed on the referral pathway."
            and list(held.attendances.values_list("person__username", flat=True)) == ["supervisor"]
        ),
        status=200,
        etag=True,
    ),
    Step(
        "decision",
        "post",
        "/api/v1/meetings/{id}/decisions/",
        setup=_statewide_meeting,
        body=lambda world: {"text": "Meet monthly from January."},
        bad=lambda world: {"text": " "},
        bad_field="text",
        doer="state_lead",
        refused="supervisor",
        audit="meeting.decision_add",
        effect=lambda world, held: Decision.objects.get(meeting=held).text == "Meet monthly from January.",
    ),
    Step(
        "follow-up",
        "post",
        "/api/v1/meetings/{id}/follow-ups/",
        setup=_statewide_meeting,
        body=lambda world: {"text": "Send the webinar slides", "owner": world.supervisor.pk, "due_on": None},
        bad=lambda world: {"text": "Send the slides", "due_on": days(-30).isoformat()},
        bad_field="due_on",
        doer="state_lead",
        refused="supervisor",
        audit="follow_up.add",
        effect=lambda world, held: FollowUp.objects.get(meeting=held).owner == world.supervisor,
    ),
    Step(
        "follow-up status",
        "post",
        "/api/v1/follow-ups/{id}/status/",
        setup=lambda world: _follow_up(world, owner="supervisor"),  # its owner marks it done
        body=lambda world: {"status": "done"},
        bad=lambda world: {"status": "finished"},
        bad_field="status",
        doer="supervisor",
        refused="supervisor",
        refused_setup=_follow_up,  # not their follow-up, nor their series
        audit="follow_up.status",
        effect=lambda world, f: FollowUp.objects.get(pk=f.pk).completed_on == TODAY,
        status=200,
    ),
    Step(
        "follow-up convert",
        "post",
        "/api/v1/follow-ups/{id}/convert/",
        setup=_steering_follow_up,
        body=lambda world: {"target": "fidelity-action"},
        bad=lambda world: {"target": "responsibility"},
        bad_field="target",
        doer="director",
        refused="supervisor",
        refused_setup=_follow_up,  # the statewide meeting's
        audit="follow_up.convert",
        effect=lambda world, f: (
            FollowUp.objects.get(pk=f.pk).converted_to
            == f"fidelity-action:{ActionItem.objects.get(title='Share the job leads list').pk}"
        ),
        status=200,
    ),
    Step(
        "training completion",
        "post",
        "/api/v1/training/completions/",
        setup=lambda world: world.case_manager,
        body=lambda world: {
            "person": world.case_manager.pk,
            "course": "online_practitioner",
            "completed_on": days(-3).isoformat(),
            "hours": "3.5",
        },
        bad=lambda world: {
            "person": world.case_manager.pk,
            "course": "online_practitioner",
            "completed_on": "0001-01-01",
        },
        bad_field="completed_on",
        doer="director",  # leads the case manager's agency
        refused="case_manager",  # records their own training, not their director's
        refused_setup=lambda world: world.director,
        audit="training.record",
        effect=lambda world, person: TrainingCompletion.objects.get(person=person).hours == 3.5,
    ),
    Step(
        "mentoring",
        "post",
        "/api/v1/programs/{id}/mentoring/",
        setup=lambda world: world.programs["p1"],
        body=lambda world: {
            "specialist": world.specialist.pk,
            "date": days(-2).isoformat(),
            "activity": "employer_visits",
            "hours": "2.0",
            "feedback": "Good rapport with the hiring manager.",
        },
        bad=lambda world: {
            "specialist": world.specialist.pk,
            "date": days(2).isoformat(),
            "activity": "employer_visits",
            "feedback": "Planned.",
        },
        bad_field="date",
        doer="supervisor",
        refused="director",  # reads the mentoring log; only the IPS supervisor writes it
        audit="mentoring.log",
        effect=lambda world, program: MentoringSession.objects.get(program=program).specialist == world.specialist,
    ),
    Step(
        "technical assistance",
        "post",
        "/api/v1/programs/{id}/technical-assistance/",
        setup=lambda world: world.programs["p1"],
        body=lambda world: {
            "date": days(-2).isoformat(),
            "kind": "visit",
            "hours": "3.0",
            "topics": "Job development with employers",
        },
        bad=lambda world: {"date": days(-2).isoformat(), "kind": "visit", "hours": "0", "topics": "Job development"},
        bad_field="hours",
        doer="trainer",
        refused="supervisor",
        audit="ta.log",
        effect=lambda world, program: TAActivity.objects.get(program=program).trainer == world.trainer,
    ),
]


def _stale(response: Any) -> None:
    """A 412: the record changed since its ETag was read; the body names its ETag now."""
    assert response.status_code == 412, response.content
    error = response.json()["error"]
    assert error["code"] == "precondition_failed" and error["etag"] == response["ETag"]
    assert error["message"].startswith("Someone changed this record")


def _call(api, person, step: Step, url: str, body: dict[str, Any], etag: str | None) -> Any:
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return getattr(api(person), step.method)(url, body, format="json", **headers)


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_each_collaboration_write_through_the_api(world: World, api, step: Step) -> None:
    subject = step.setup(world)
    url = step.path.format(id=subject.pk)
    doer = world.people[step.doer]
    etag = api(doer).get(url)["ETag"] if step.etag else None
    body = step.body(world)
    last = AuditEvent.objects.order_by("pk").last()
    written = AuditEvent.objects.filter(action=step.audit, pk__gt=last.pk if last else 0)

    for name in OUTSIDERS:
        if "{id}" in step.path:  # the object in the path is not theirs
            assert_error(_call(api, world.people[name], step, url, body, etag), 404)
    if step.refused:
        other = step.refused_setup(world) if step.refused_setup else subject
        other_url = step.path.format(id=other.pk)
        other_body = {**body, "person": other.pk} if "person" in body else body
        refused = assert_error(_call(api, world.people[step.refused], step, other_url, other_body, etag), 403)
        assert refused["message"].startswith(("Only ", "You can")), refused  # the access layer's own sentence
    unknown = assert_error(_call(api, doer, step, url, {**body, "colour": "blue"}, etag), 400)
    assert unknown["fields"] == {"colour": ["This operation does not take this field."]}
    error = assert_error(_call(api, doer, step, url, step.bad(world), etag), 400)
    assert step.bad_field in error["fields"], error
    assert not written.exists()  # nothing of the refused or bad calls was written

    done = _call(api, doer, step, url, body, etag)
    assert done.status_code == step.status, done.content
    assert step.effect(world, subject)
    assert written.get().actor_id == doer.pk


# --- Series and meetings ---------------------------------------------------------------------------


def test_a_series_needs_one_owner_and_outsiders_cannot_name_one(world: World, api) -> None:
    client = api(world.state_lead)
    url = "/api/v1/meeting-series/"
    both = {"program": world.programs["p1"].pk, "organization": world.orgs["team_a"].pk, "kind": "ips_unit"}
    assert set(assert_error(client.post(url, {**both, "title": "Both"}, format="json"), 400)["fields"]) == {
        "program",
        "organization",
    }
    assert (
        "program"
        in assert_error(client.post(url, {"kind": "ips_unit", "title": "No one"}, format="json"), 400)["fields"]
    )
    # A program or a state team of another agency or state: not found, whoever names it.
    for name in OUTSIDERS:
        other = api(world.people[name])
        assert_error(
            other.post(url, {"program": world.programs["p1"].pk, "kind": "ips_unit", "title": "X"}, format="json"), 404
        )
        assert_error(
            other.post(
                url,
                {"organization": world.orgs["team_a"].pk, "kind": "consortium_webinar", "title": "X"},
                format="json",
            ),
            404,
        )
    # An agency is not a state team.
    mine = api(world.director).post(
        url, {"organization": world.orgs["mh1"].pk, "kind": "consortium_webinar", "title": "Ours"}, format="json"
    )
    assert assert_error(mine, 400)["fields"] == {"organization": ["Statewide series belong to a state IPS team."]}
    assert not MeetingSeries.objects.exists()


def test_a_program_meeting_with_its_attendance(world: World, api) -> None:
    unit = series(world)
    url = f"/api/v1/meeting-series/{unit.pk}/meetings/"
    client = api(world.supervisor)
    body = {"date": days(-1).isoformat(), "starts_at": "09:00", "ends_at": "10:00"}
    # Someone the supervisor can't see is unknown; someone of another agency they can't record, in the web's words.
    unknown = client.post(url, {**body, "attendees": [world.other_state_director.pk]}, format="json")
    assert assert_error(unknown, 400)["fields"] == {
        "attendees": [f"There is no person with id {world.other_state_director.pk} that you can see."]
    }
    foreign = api(world.state_lead).post(url, {**body, "attendees": [world.other_agency_specialist.pk]}, format="json")
    assert "can't be recorded at this meeting" in assert_error(foreign, 400)["fields"]["attendees"][0]
    both = client.post(
        url, {**body, "attendees": [world.specialist.pk], "invited": [world.specialist.pk]}, format="json"
    )
    assert "both present and absent" in assert_error(both, 400)["fields"]["invited"][0]
    assert not Meeting.objects.exists()

    twice = [world.specialist.pk, world.counselor.pk, world.specialist.pk]  # each person once
    made = client.post(url, {**body, "attendees": twice, "invited": [world.trainer.pk]}, format="json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["series"]["id"] == unit.pk and data["recorded_by"]["id"] == world.supervisor.pk
    seats = {(row["person"]["id"], row["organization"]["id"], row["status"]) for row in data["attendance"]}
    assert seats == {
        (world.specialist.pk, world.orgs["provider1"].pk, "attended"),
        (world.counselor.pk, world.orgs["dvr1"].pk, "attended"),
        (world.trainer.pk, world.orgs["team_a"].pk, "invited"),
    }
    assert api(world.director).get(f"/api/v1/meetings/?series={unit.pk}").json()["count"] == 1


def test_a_meeting_update_needs_the_version_read(world: World, api) -> None:
    held = meeting(world, series(world), days(-3), attendees=("supervisor", "specialist"))
    url = f"/api/v1/meetings/{held.pk}/"
    client = api(world.supervisor)
    assert_error(client.patch(url, {"location": "Room 2"}, format="json"), 428)
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).patch(url, {"location": "X"}, format="json", HTTP_IF_MATCH='"x"'), 404)
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"location": "Room 2"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != etag and changed["ETag"] == client.get(url)["ETag"]
    # Fields not sent stay, the attendance too.
    assert changed.json()["location"] == "Room 2" and len(changed.json()["attendance"]) == 2
    stale = client.patch(url, {"minutes": "Lost?"}, format="json", HTTP_IF_MATCH=etag)
    _stale(stale)
    assert stale.json()["error"]["etag"] == changed["ETag"]
    assert Meeting.objects.get(pk=held.pk).minutes == ""
    # A decision added since is a change of what the GET answers, so of its ETag.
    services.decision_add(actor=world.state_lead, meeting=held, text="Keep going.")
    _stale(client.patch(url, {"minutes": "Late"}, format="json", HTTP_IF_MATCH=changed["ETag"]))


def test_a_meeting_is_removed_unless_a_follow_up_became_a_record(world: World, api) -> None:
    held = _statewide_meeting(world)
    url = f"/api/v1/meetings/{held.pk}/"
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).delete(url), 404)
    assert_error(api(world.supervisor).delete(url), 403)
    assert_error(api(world.state_lead).delete(url, {"why": "typo"}, format="json"), 400)
    assert api(world.state_lead).delete(url).status_code == 204
    assert not Meeting.objects.filter(pk=held.pk).exists()
    assert AuditEvent.objects.filter(action="meeting.delete", actor=world.state_lead).exists()

    follow_up = _steering_follow_up(world)
    services.follow_up_convert(actor=world.director, follow_up=follow_up, target="fidelity-action")
    kept = assert_error(api(world.director).delete(f"/api/v1/meetings/{follow_up.meeting_id}/"), 400)
    assert kept["message"].startswith("This meeting's follow-ups became fidelity-action:")
    assert Meeting.objects.filter(pk=follow_up.meeting_id).exists()


def test_follow_ups_name_only_people_of_the_series(world: World, api) -> None:
    held = meeting(world, series(world), days(-1))
    url = f"/api/v1/meetings/{held.pk}/follow-ups/"
    client = api(world.state_lead)
    foreign = client.post(url, {"text": "Call the employer", "owner": world.other_agency_director.pk}, format="json")
    assert "is not part of this program" in assert_error(foreign, 400)["fields"]["owner"][0]
    hidden = client.post(url, {"text": "Call the employer", "owner": world.other_state_lead.pk}, format="json")
    assert assert_error(hidden, 400)["fields"] == {
        "owner": [f"There is no person with id {world.other_state_lead.pk} that you can see."]
    }
    far = client.post(url, {"text": "Call the employer", "due_on": "9999-12-31"}, format="json")
    assert assert_error(far, 400)["fields"] == {"due_on": ["Use a date between the years 1900 and 2199."]}
    made = client.post(url, {"text": "Call the employer", "owner": world.specialist.pk}, format="json")
    assert made.status_code == 201 and made.json()["owner"]["id"] == world.specialist.pk
    status = f"/api/v1/follow-ups/{made.json()['id']}/status/"
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).post(status, {"status": "done"}, format="json"), 404)
    done = api(world.specialist).post(status, {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["completed_on"]


def test_a_follow_up_of_a_statewide_meeting_has_no_action_plan(world: World, api) -> None:
    follow_up = _follow_up(world)
    answer = api(world.state_lead).post(
        f"/api/v1/follow-ups/{follow_up.pk}/convert/", {"target": "fidelity-action"}, format="json"
    )
    assert assert_error(answer, 400)["message"] == "Only a program's meetings feed its fidelity action plan."
    assert FollowUp.objects.get(pk=follow_up.pk).converted_to == ""


# --- Training --------------------------------------------------------------------------------------


def test_training_is_recorded_for_a_seat_you_may_record(world: World, api) -> None:
    url = "/api/v1/training/completions/"
    body = {"course": "ips_initial", "completed_on": days(-10).isoformat()}
    # The specialist records their own; a colleague's is their supervisor's to record.
    own = api(world.specialist).post(url, {**body, "person": world.specialist.pk}, format="json")
    assert own.status_code == 201, own.content
    assert own.json()["organization"]["id"] == world.orgs["provider1"].pk
    assert own.json()["course_title"]
    # Someone the caller can't see is unknown (never named); someone of another state too.
    for name in OUTSIDERS:
        unseen = api(world.people[name]).post(url, {**body, "person": world.specialist.pk}, format="json")
        assert assert_error(unseen, 400)["fields"] == {
            "person": [f"There is no person with id {world.specialist.pk} that you can see."]
        }
    again = api(world.supervisor).post(url, {**body, "person": world.specialist.pk}, format="json")
    assert assert_error(again, 400)["fields"] == {"course": ["This completion is already recorded."]}
    elsewhere = api(world.supervisor).post(
        url, {**body, "person": world.specialist.pk, "organization": world.orgs["mh1"].pk}, format="json"
    )
    assert "organization" in assert_error(elsewhere, 400)["fields"]
    future = api(world.state_lead).post(
        url, {**body, "person": world.specialist.pk, "completed_on": days(3).isoformat()}, format="json"
    )
    assert "can't be in the future" in assert_error(future, 400)["fields"]["completed_on"][0]
    assert TrainingCompletion.objects.count() == 1


def test_a_training_completion_is_removed_by_who_may_record_it(world: World, api) -> None:
    completion = _completion(world)
    url = f"/api/v1/training/completions/{completion.pk}/"
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).get(url), 404)
        assert_error(api(world.people[name]).delete(url), 404)
    assert_error(api(world.supervisor).delete(url), 404)  # another agency's staff
    read = api(world.case_manager).get(url)
    assert read.status_code == 200 and read.json()["course"] == "online_practitioner" and read["ETag"]
    assert_error(api(world.director).delete(url, {"why": "typo"}, format="json"), 400)
    assert api(world.director).delete(url).status_code == 204
    assert not TrainingCompletion.objects.filter(pk=completion.pk).exists()
    assert AuditEvent.objects.filter(action="training.delete", actor=world.director).exists()

    gone = _left_agency(world)  # the director still sees it, but the seat is no more
    refused = assert_error(api(world.director).delete(f"/api/v1/training/completions/{gone.pk}/"), 403)
    assert refused["message"].startswith("You can remove training you could record")


# --- Field mentoring and technical assistance ------------------------------------------------------


def test_mentoring_and_technical_assistance_lists(world: World, api) -> None:
    p1 = world.programs["p1"]
    services.mentoring_log(
        actor=world.supervisor,
        program=p1,
        specialist=world.specialist,
        date=days(-5),
        activity="follow_along",
        feedback="Good.",
    )
    services.ta_log(actor=world.trainer, program=p1, date=days(-4), kind="call", topics="Caseloads", hours=1)
    mentoring, ta = f"/api/v1/programs/{p1.pk}/mentoring/", f"/api/v1/programs/{p1.pk}/technical-assistance/"
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).get(mentoring), 404)
        assert_error(api(world.people[name]).get(ta), 404)
        assert_error(api(world.people[name]).post(ta, {}, format="json"), 404)
    listed = api(world.director).get(mentoring, {"activity": "follow_along"}).json()
    assert listed["count"] == 1 and listed["results"][0]["specialist"]["id"] == world.specialist.pk
    # Staff supervision: the DVR counselor sees the program, not its mentoring log.
    assert api(world.counselor).get(mentoring).json()["count"] == 0
    assert api(world.counselor).get(ta, {"kind": "call"}).json()["results"][0]["kind_label"] == "Phone or video call"
    assert "kind" in assert_error(api(world.counselor).get(ta, {"kind": "lunch"}), 400)["fields"]

    client = api(world.supervisor)
    body = {"date": days(-1).isoformat(), "activity": "outreach", "feedback": "Engaging."}
    foreign = client.post(mentoring, {**body, "specialist": world.case_manager.pk}, format="json")
    assert assert_error(foreign, 400)["fields"] == {
        "specialist": [f"There is no person with id {world.case_manager.pk} that you can see."]
    }
    own = client.post(mentoring, {**body, "specialist": world.supervisor.pk}, format="json")
    assert "specialist" in assert_error(own, 400)["fields"]
    far = api(world.trainer).post(
        ta, {"date": "1066-10-14", "kind": "visit", "hours": "1.0", "topics": "History"}, format="json"
    )
    assert assert_error(far, 400)["fields"] == {"date": ["Use a date between the years 1900 and 2199."]}


# --- Your reminders --------------------------------------------------------------------------------


def test_your_reminder_settings_and_calendar_feed(world: World, api) -> None:
    client = api(world.specialist)
    url = "/api/v1/me/reminders/"
    read = client.get(url)
    assert read.json() == {"frequency": "weekly", "calendar_feed": False, "calendar_feed_since": None}
    assert not NotificationPreference.objects.exists()  # reading makes nothing
    assert_error(client.put(url, {"frequency": "daily"}, format="json"), 428)
    bad = client.put(url, {"frequency": "hourly"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert "frequency" in assert_error(bad, 400)["fields"]
    saved = client.put(url, {"frequency": "daily"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200 and saved.json()["frequency"] == "daily", saved.content
    _stale(client.put(url, {"frequency": "never"}, format="json", HTTP_IF_MATCH=read["ETag"]))
    assert AuditEvent.objects.filter(action="reminders.frequency", actor=world.specialist).count() == 1
    # Another person's settings are their own.
    assert api(world.supervisor).get(url).json()["frequency"] == "weekly"

    made = client.post(f"{url}calendar/")
    assert made.status_code == 201 and made["Cache-Control"] == "no-store", made.content
    feed = made.json()["url"]
    assert "/collaboration/calendar.ics?token=" in feed
    assert person_for_calendar_token(feed.split("token=")[1]) == world.specialist
    assert client.get(url).json()["calendar_feed"] is True
    assert_error(client.post(f"{url}calendar/", {"name": "phone"}, format="json"), 400)
    assert AuditEvent.objects.filter(action="reminders.calendar_token_reset", actor=world.specialist).count() == 1


def _log(world: World, n: int) -> None:
    p1 = world.programs["p1"]
    for i in range(n):
        services.mentoring_log(
            actor=world.supervisor,
            program=p1,
            specialist=world.specialist,
            date=days(-10 - i),
            activity="outreach",
            feedback=f"Session {i}.",
        )
        services.ta_log(actor=world.trainer, program=p1, date=days(-10 - i), kind="visit", topics=f"T{i}", hours=1)


def test_the_mentoring_and_technical_assistance_lists_run_a_fixed_number_of_queries(world: World, api) -> None:
    client = api(world.director)
    paths = [f"/api/v1/programs/{world.programs['p1'].pk}/{kind}/" for kind in ("mentoring", "technical-assistance")]

    def count(path: str) -> int:
        client.get(path)  # warm up: the token's last-used time is written at most once a minute
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    _log(world, 2)
    small = [count(path) for path in paths]
    _log(world, 12)
    assert [count(path) for path in paths] == small
