"""Every step of a fidelity review through the API (api/fidelity_views.py): the same service as the web page
(its effect and its audit event), the web view's access checks (403 for a person who sees the review but may
not take the step, 404 for people of another agency and of another state) and the service's messages (400
naming the field)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import services
from ipshub.fidelity.models import ActionItem, Review, ReviewerScore, ReviewTeamMember
from tests.api.test_api import assert_error
from tests.fidelity.factories import (
    SCORES,
    days,
    delivered_review,
    entries,
    planned_review,
    review_in_consensus,
    second_reviewer,
)
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_state_lead", "other_state_director")


def _scheduled(world: World) -> Review:
    return services.review_schedule(
        actor=world.state_lead, program=world.programs["p1"], kind=Review.Kind.BASELINE, due_on=days(30)
    )


def _scored(world: World) -> Review:
    review = planned_review(world)
    services.scores_save(actor=world.reviewer, review=review, entries=entries(review, SCORES))
    return review


def _agreed(world: World) -> Review:
    review = review_in_consensus(world)
    services.consensus_save(actor=world.reviewer, review=review, entries=entries(review, SCORES, strengths="Good."))
    return review


def _reporting(world: World) -> Review:
    review = _agreed(world)
    services.consensus_complete(actor=world.reviewer, review=review)
    return review


def _written(world: World) -> Review:
    review = _reporting(world)
    services.report_save_overall(actor=world.reviewer, review=review, strengths="Team.", recommendations="More.")
    Review.objects.filter(pk=review.pk).update(visit_day_1=days(-2), visit_day_2=days(-1))
    return review


def _action(world: World) -> ActionItem:
    review = delivered_review(world)
    return services.action_create(
        actor=world.state_lead,
        review=review,
        title="Plan employer contacts",
        items=list(review.scale.items.filter(number=17)),
        owner=world.supervisor,
        due_on=days(30),
    )


@dataclass
class Step:
    """One operation: how to reach its starting point, a good and a bad body, who may and who may not."""

    name: str
    method: str
    path: str  # with {id}: the object the setup returns
    setup: Callable[[World], Any]
    body: Callable[[World], dict[str, Any]]
    bad: dict[str, Any] | Callable[[World], dict[str, Any]]
    bad_field: str
    doer: str
    refused: str
    audit: str
    effect: Callable[[World, Any], bool]
    status: int = 200
    etag_path: str = ""  # an update's If-Match: the ETag of this GET
    refused_status: int = 403
    params: dict[str, Any] = field(default_factory=dict)


def _review_status(status: str) -> Callable[[World, Any], bool]:
    return lambda world, review: Review.objects.get(pk=review.pk).status == status


STEPS = [
    Step(
        "schedule",
        "post",
        "/api/v1/fidelity-reviews/",
        setup=lambda world: world.programs["p1"],
        body=lambda world: {"program": world.programs["p1"].pk, "kind": "baseline", "due_on": days(30).isoformat()},
        bad=lambda world: {"program": world.programs["p1"].pk, "kind": "baseline", "due_on": "soon"},
        bad_field="due_on",
        doer="state_lead",
        refused="director",
        audit="fidelity.review_schedule",
        effect=lambda world, program: Review.objects.filter(program=program, status="scheduled").count() == 1,
        status=201,
    ),
    Step(
        "reschedule",
        "post",
        "/api/v1/fidelity-reviews/{id}/reschedule/",
        setup=planned_review,
        body=lambda world: {"due_on": days(40).isoformat(), "reason": "The agency asked for a later date."},
        bad={"due_on": days(40).isoformat(), "reason": " "},
        bad_field="reason",
        doer="state_lead",
        refused="director",
        audit="fidelity.review_reschedule",
        effect=lambda world, review: Review.objects.get(pk=review.pk).due_on == days(40),
    ),
    Step(
        "cancel",
        "post",
        "/api/v1/fidelity-reviews/{id}/cancel/",
        setup=planned_review,
        body=lambda world: {"reason": "The program closed."},
        bad={"reason": ""},
        bad_field="reason",
        doer="state_lead",
        refused="director",
        audit="fidelity.review_cancel",
        effect=_review_status("cancelled"),
    ),
    Step(
        "team",
        "post",
        "/api/v1/fidelity-reviews/{id}/team/",
        setup=_scheduled,
        body=lambda world: {"lead": world.reviewer.pk, "second": second_reviewer(world).pk},
        bad=lambda world: {"lead": world.reviewer.pk, "second": world.reviewer.pk},
        bad_field="second",
        doer="state_lead",
        refused="director",
        audit="fidelity.review_set_team",
        effect=lambda world, review: ReviewTeamMember.objects.filter(
            review=review, is_lead=True, person=world.reviewer
        ).exists(),
    ),
    Step(
        "plan",
        "put",
        "/api/v1/fidelity-reviews/{id}/plan/",
        setup=planned_review,
        body=lambda world: {
            "visit_day_1": days(10).isoformat(),
            "visit_day_2": days(11).isoformat(),
            "contact_email": "lee@example.test",
        },
        bad={"visit_day_1": days(10).isoformat(), "visit_day_2": days(9).isoformat()},
        bad_field="visit_day_2",
        doer="state_lead",
        refused="director",
        audit="fidelity.review_plan",
        effect=lambda world, review: Review.objects.get(pk=review.pk).window_opens == days(-4),
        etag_path="/api/v1/fidelity-reviews/{id}/plan/",
    ),
    Step(
        "agenda standard",
        "post",
        "/api/v1/fidelity-reviews/{id}/agenda/standard/",
        setup=planned_review,
        body=lambda world: {},
        bad={"day": 1},
        bad_field="day",
        doer="reviewer",  # the lead reviewer plans too
        refused="director",
        audit="fidelity.agenda_standard",
        effect=lambda world, review: review.agenda.count() == len(services.STANDARD_AGENDA),
    ),
    Step(
        "agenda slot",
        "post",
        "/api/v1/fidelity-reviews/{id}/agenda/",
        setup=planned_review,
        body=lambda world: {
            "day": 1,
            "starts_at": "09:00",
            "ends_at": "10:00",
            "activity": "interview",
            "topic": "IPS supervisor",
        },
        bad={"day": 1, "starts_at": "09:00", "ends_at": "08:00", "activity": "interview", "topic": "Supervisor"},
        bad_field="ends_at",
        doer="state_lead",
        refused="director",
        audit="fidelity.agenda_add",
        effect=lambda world, review: review.agenda.filter(topic="IPS supervisor").exists(),
        status=201,
    ),
    Step(
        "scores",
        "post",
        "/api/v1/fidelity-reviews/{id}/scores/",
        setup=planned_review,
        body=lambda world: {"items": [{"number": 1, "score": 4}, {"number": 2, "score": None, "reason": "No data."}]},
        bad={"items": [{"number": 1, "score": 4}, {"number": 2, "score": None, "reason": ""}]},
        bad_field="items.1.reason",
        doer="reviewer",
        refused="state_lead",  # sees the review, but is not on its team
        audit="fidelity.scores_save",
        effect=lambda world, review: ReviewerScore.objects.filter(review=review, reviewer=world.reviewer).count() == 2,
    ),
    Step(
        "scores submit",
        "post",
        "/api/v1/fidelity-reviews/{id}/scores/submit/",
        setup=_scored,
        body=lambda world: {},
        bad={"confirm": True},
        bad_field="confirm",
        doer="reviewer",
        refused="state_lead",
        audit="fidelity.scores_submit",
        effect=lambda world, review: (
            ReviewTeamMember.objects.get(review=review, person=world.reviewer).scores_submitted_at is not None
        ),
    ),
    Step(
        "consensus",
        "post",
        "/api/v1/fidelity-reviews/{id}/consensus/",
        setup=review_in_consensus,
        body=lambda world: {"items": [{"number": 3, "score": 5, "rationale": "Both saw it."}]},
        bad={"items": [{"number": 99, "score": 5}]},
        bad_field="items",
        doer="reviewer",
        refused="reviewer2",  # on the team, but not its lead
        audit="fidelity.consensus_save",
        effect=lambda world, review: review.consensus_scores.get(item__number=3).rationale == "Both saw it.",
    ),
    Step(
        "consensus complete",
        "post",
        "/api/v1/fidelity-reviews/{id}/consensus/complete/",
        setup=_agreed,
        body=lambda world: {},
        bad={"total": 93},
        bad_field="total",
        doer="reviewer",
        refused="reviewer2",
        audit="fidelity.consensus_complete",
        effect=_review_status("reporting"),
    ),
    Step(
        "report",
        "put",
        "/api/v1/fidelity-reviews/{id}/report/",
        setup=_reporting,
        body=lambda world: {"strengths": "A strong team.", "recommendations": "Plan employer contacts."},
        bad={"strengths": "", "recommendations": "Plan employer contacts."},
        bad_field="strengths",
        doer="reviewer",
        refused="state_lead",  # reads the draft; only the lead reviewer writes it
        audit="fidelity.report_edit",
        effect=lambda world, review: Review.objects.get(pk=review.pk).overall_strengths == "A strong team.",
        etag_path="/api/v1/fidelity-reviews/{id}/report/",
    ),
    Step(
        "deliver",
        "post",
        "/api/v1/fidelity-reviews/{id}/report/deliver/",
        setup=_written,
        body=lambda world: {"delivered_on": days(0).isoformat()},
        bad={"delivered_on": days(5).isoformat()},
        bad_field="delivered_on",
        doer="reviewer",
        refused="director",
        audit="fidelity.report_deliver",
        effect=lambda world, review: (
            _review_status("delivered")(world, review)
            and review.deliveries.count() >= 2
            and Review.objects.filter(program=review.program, kind="follow_up", status="scheduled").exists()
        ),
    ),
    Step(
        "action create",
        "post",
        "/api/v1/fidelity-reviews/{id}/actions/",
        setup=delivered_review,
        body=lambda world: {
            "title": "Weekly employer contacts",
            "items": [17],
            "owner": world.supervisor.pk,
            "due_on": days(30).isoformat(),
        },
        bad=lambda world: {"title": " ", "items": [17], "owner": None, "due_on": days(30).isoformat()},
        bad_field="title",
        doer="director",
        refused="specialist",  # a partner reads the plan; the program's leaders write it
        audit="fidelity.action_create",
        effect=lambda world, review: review.actions.get().items.get().number == 17,
        status=201,
    ),
    Step(
        "actions from recommendations",
        "post",
        "/api/v1/fidelity-reviews/{id}/actions/from-recommendations/",
        setup=delivered_review,
        body=lambda world: {"owner": None, "due_on": days(30).isoformat()},
        bad={"owner": None},
        bad_field="due_on",
        doer="supervisor",
        refused="counselor",
        audit="fidelity.actions_from_recommendations",
        effect=lambda world, review: review.actions.count() == len(SCORES),
        status=201,
    ),
    Step(
        "action update",
        "patch",
        "/api/v1/fidelity-actions/{id}/",
        setup=_action,
        body=lambda world: {"status": "in_progress", "note": "Started the weekly plan."},
        bad={"status": "in_progress", "steering_reviewed_on": days(3).isoformat()},
        bad_field="steering_reviewed_on",
        doer="supervisor",  # its owner
        refused="specialist",
        audit="fidelity.action_update",
        effect=lambda world, action: (
            ActionItem.objects.get(pk=action.pk).status == "in_progress"
            and action.notes.get().text == "Started the weekly plan."
        ),
        etag_path="/api/v1/fidelity-actions/{id}/",
    ),
    Step(
        "estimate",
        "get",
        "/api/v1/programs/{id}/fidelity-estimate/",
        setup=lambda world: world.programs["p1"],
        body=lambda world: {},
        bad={"start": "2026-02-30", "end": "2026-06-30"},
        bad_field="start",
        doer="director",
        refused="specialist",  # as on the web: the estimate is the program's leaders' and the state team's
        refused_status=404,
        audit="",
        effect=lambda world, program: True,
        params={"start": "2026-06-01", "end": "2026-11-30"},
    ),
]


def _call(api, person, step: Step, url: str, body: dict[str, Any], etag: str | None) -> Any:
    client = api(person)
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    if step.method == "get":
        return client.get(url, body, **headers)
    return getattr(client, step.method)(url, body, format="json", **headers)


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_each_fidelity_step_through_the_api(world: World, api, step: Step) -> None:
    second_reviewer(world)
    subject = step.setup(world)
    url = step.path.format(id=subject.pk)
    etag = None
    if step.etag_path:
        read = api(world.people[step.doer]).get(step.etag_path.format(id=subject.pk))
        assert read.status_code == 200, read.content
        etag = read["ETag"]
    body = step.body(world) or step.params
    last = AuditEvent.objects.order_by("pk").last()
    before = last.pk if last else 0
    written = AuditEvent.objects.filter(action__startswith="fidelity.", pk__gt=before)  # (tokens are audited too)

    for name in OUTSIDERS:
        assert_error(_call(api, world.people[name], step, url, body, etag), 404)
    refused = assert_error(_call(api, world.people[step.refused], step, url, body, etag), step.refused_status)
    if step.refused_status == 403:
        assert refused["message"].startswith("Only "), refused  # the access layer's own sentence
    bad = step.bad(world) if callable(step.bad) else step.bad
    error = assert_error(_call(api, world.people[step.doer], step, url, bad, etag), 400)
    assert step.bad_field in error["fields"], error
    assert not written.exists()  # nothing of the refused or bad calls was written

    done = _call(api, world.people[step.doer], step, url, body, etag)
    assert done.status_code == step.status, done.content
    assert step.effect(world, subject)
    if step.audit:
        event = written.get(action=step.audit)
        assert event.actor_id == world.people[step.doer].pk


def test_an_action_is_removed_by_the_plans_editors(world: World, api) -> None:
    action = _action(world)
    url = f"/api/v1/fidelity-actions/{action.pk}/"
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).delete(url), 404)
    # The owner updates the action, but removing it from the plan is the editors'.
    assert_error(api(world.supervisor).get(url.replace(str(action.pk), "0")), 404)
    assert_error(api(world.specialist).delete(url), 403)
    assert_error(api(world.director).delete(url, {"why": "typo"}, format="json"), 400)
    assert api(world.director).delete(url).status_code == 204
    assert not ActionItem.objects.filter(pk=action.pk).exists()
    assert AuditEvent.objects.filter(action="fidelity.action_delete", actor=world.director).exists()


def test_the_estimate_names_each_bad_or_missing_date(world: World, api) -> None:
    url = f"/api/v1/programs/{world.programs['p1'].pk}/fidelity-estimate/"
    client = api(world.state_lead)
    assert set(assert_error(client.get(url), 400)["fields"]) == {"start", "end"}
    assert set(assert_error(client.get(url, {"start": "2026-06-01"}), 400)["fields"]) == {"end"}
    swapped = assert_error(client.get(url, {"start": "2026-06-01", "end": "2026-01-01"}), 400)
    assert swapped["fields"] == {"end": ["The period must end on or after its first day; swap the dates."]}
    assert "start" in assert_error(client.get(url, {"start": "0001-01-01", "end": "0001-06-01"}), 400)["fields"]
    answer = client.get(url, {"start": "2026-06-01", "end": "2026-11-30"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["start"], data["end"]) == ("2026-06-01", "2026-11-30")
    assert [row["number"] for row in data["items"]] == [1, 2, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25]
    assert all({"indicator", "value", "score", "basis", "cuts"} <= set(row) for row in data["items"])


def test_updates_need_the_version_read(world: World, api) -> None:
    review = planned_review(world)
    url = f"/api/v1/fidelity-reviews/{review.pk}/plan/"
    client = api(world.state_lead)
    body = {"visit_day_1": days(10).isoformat(), "visit_day_2": days(11).isoformat()}
    assert_error(client.put(url, body, format="json"), 428)
    etag = client.get(url)["ETag"]
    assert client.put(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.put(url, {**body, "contact_name": "Lee"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["error"]["etag"] == stale["ETag"]
    assert Review.objects.get(pk=review.pk).contact_name == ""


def test_a_review_from_schedule_to_action_plan_through_the_api(world: World, api) -> None:
    lead, second, director = world.state_lead, second_reviewer(world), world.director
    state_team, lead_reviewer = api(lead), api(world.reviewer)
    start = AuditEvent.objects.order_by("pk").last()

    scheduled = state_team.post(
        "/api/v1/fidelity-reviews/",
        {"program": world.programs["p1"].pk, "kind": "baseline", "due_on": days(10).isoformat()},
        format="json",
    )
    assert scheduled.status_code == 201, scheduled.content
    review_url = f"/api/v1/fidelity-reviews/{scheduled.json()['id']}/"

    team = state_team.post(f"{review_url}team/", {"lead": world.reviewer.pk, "second": second.pk}, format="json")
    assert team.status_code == 200 and team.json()["status"] == "planned", team.content

    plan_url = f"{review_url}plan/"
    etag = state_team.get(plan_url)["ETag"]
    visit = {"visit_day_1": days(-3).isoformat(), "visit_day_2": days(-2).isoformat()}
    assert state_team.put(plan_url, visit, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert lead_reviewer.post(f"{review_url}agenda/standard/").status_code == 200

    all_items = [{"number": n, "score": score} for n, score in enumerate(SCORES, start=1)]
    for reviewer in (world.reviewer, second):
        client = api(reviewer)
        early = assert_error(client.post(f"{review_url}scores/submit/"), 400)
        assert "Still to score" in early["message"]
        assert client.post(f"{review_url}scores/", {"items": all_items}, format="json").status_code == 200
        submitted = client.post(f"{review_url}scores/submit/")
        assert submitted.status_code == 200 and submitted.json()["submitted_at"], submitted.content

    agreed = [{**row, "recommendations": "Keep it up." if row["number"] == 17 else ""} for row in all_items]
    assert lead_reviewer.post(f"{review_url}consensus/", {"items": agreed}, format="json").json() == {"saved": 25}
    completed = lead_reviewer.post(f"{review_url}consensus/complete/")
    assert completed.json()["status"] == "reporting" and completed.json()["total"]["rated_total"] == 93

    etag = lead_reviewer.get(review_url)["ETag"]
    overall = {"strengths": "A strong team.", "recommendations": "Plan employer contacts."}
    written = lead_reviewer.put(f"{review_url}report/", overall, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200 and written.json()["overall_strengths"] == "A strong team."

    delivered = lead_reviewer.post(f"{review_url}report/deliver/", {"delivered_on": days(0).isoformat()}, format="json")
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered", delivered.content
    assert api(director).get(review_url).json()["scores_available"]  # the partners read the delivered report

    action = api(director).post(
        f"{review_url}actions/",
        {
            "title": "Weekly employer contacts",
            "items": [17],
            "owner": world.supervisor.pk,
            "due_on": days(30).isoformat(),
        },
        format="json",
    )
    assert action.status_code == 201, action.content
    assert api(world.specialist).get(f"{review_url}actions/").json()[0]["title"] == "Weekly employer contacts"

    steps = list(
        AuditEvent.objects.filter(action__startswith="fidelity.", pk__gt=start.pk if start else 0)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert steps[0] == "fidelity.review_schedule" and steps[-1] == "fidelity.action_create"
    assert "fidelity.consensus_complete" in steps and steps.count("fidelity.scores_submit") == 2
    assert AuditEvent.objects.filter(action="fidelity.action_create", actor=director).exists()
