"""Every step of the web's outcome pages through the API (api/outcome_views.py): the same service as the web page
(its effect and its audit event), the web view's access checks (403 for a person who sees the report, program or
state but may not take the step, 404 for people of another agency and of another state), the service's messages
(400 naming the field), If-Match on the updates, and the state roll-up read through the dashboard's selector."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.audit.models import AuditEvent
from ipshub.outcomes import selectors, services
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import Benchmark, Goal, GoalMetric, QuarterlyReport, Upload
from ipshub.tenancy.models import Phase, Program
from tests.api.test_api import assert_error
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_state_lead", "other_state_director")
CODE = "worked_over_served"
CSV = b"year,quarter,served,worked\n2026,1,40,16\n2026,2,30,12\n"


def _draft(world: World, quarter: int = 2, served: int = 30, worked: int = 12) -> QuarterlyReport:
    return services.report_save(
        actor=world.supervisor,
        program=world.programs["p1"],
        year=2026,
        quarter=quarter,
        definition_code=CODE,
        figures={"served": served, "worked": worked},
    )


def _submitted(world: World, **kwargs: Any) -> QuarterlyReport:
    return services.report_submit(actor=world.supervisor, report=_draft(world, **kwargs))


def _accepted(world: World, **kwargs: Any) -> QuarterlyReport:
    return services.report_accept(actor=world.state_lead, report=_submitted(world, **kwargs))


def _upload(world: World) -> Upload:
    return services.upload_check(actor=world.supervisor, program=world.programs["p1"], filename="q.csv", content=CSV)


@dataclass
class Step:
    name: str
    method: str
    path: str  # with {id}: the object the setup returns
    setup: Callable[[World], Any]
    body: dict[str, Any]
    bad: dict[str, Any]
    bad_field: str
    doer: str
    refused: str
    audit: str
    effect: Callable[[World, Any], bool]
    status: int = 200
    etag: bool = False  # an update: If-Match is the ETag of the same URL's GET


STEPS = [
    Step(
        "compute",
        "post",
        "/api/v1/programs/{id}/outcome-reports/compute/",
        setup=lambda world: world.programs["p1"],
        body={"year": 2026, "quarter": 2},
        bad={"year": 2026, "quarter": 9},
        bad_field="quarter",
        doer="supervisor",
        refused="specialist",  # sees the program's figures, does not enter them
        audit="outcome_report.create",
        effect=lambda world, program: (
            QuarterlyReport.objects.get(program=program, year=2026, quarter=2).source == "computed"
        ),
        status=201,
    ),
    Step(
        "edit",
        "patch",
        "/api/v1/outcome-reports/{id}/",
        setup=_draft,
        body={"worked": 14},
        bad={"worked": 50},  # more than served: the service's message
        bad_field="worked",
        doer="director",
        refused="specialist",
        audit="outcome_report.update",
        effect=lambda world, report: QuarterlyReport.objects.get(pk=report.pk).worked == 14,
        etag=True,
    ),
    Step(
        "correct",
        "post",
        "/api/v1/outcome-reports/{id}/correct/",
        setup=_accepted,
        body={"reason": "Two clients were counted twice.", "served": 28},
        bad={"reason": "  "},
        bad_field="reason",
        doer="supervisor",
        refused="specialist",
        audit="outcome_report.correct",
        effect=lambda world, report: (
            QuarterlyReport.objects.get(program=report.program, year=2026, quarter=2, is_current=True).served == 28
        ),
        status=201,
    ),
    Step(
        "return",
        "post",
        "/api/v1/outcome-reports/{id}/return/",
        setup=_submitted,
        body={"comment": "Worked looks high; check the job list."},
        bad={"comment": ""},
        bad_field="comment",
        doer="state_lead",
        refused="director",  # writes the report, does not review it
        audit="outcome_report.return",
        effect=lambda world, report: QuarterlyReport.objects.get(pk=report.pk).status == "returned",
    ),
    Step(
        "accept",
        "post",
        "/api/v1/outcome-reports/{id}/accept/",
        setup=_submitted,
        body={"comment": "Thanks."},
        bad={"comment": ["not", "text"]},
        bad_field="comment",
        doer="state_lead",
        refused="supervisor",
        audit="outcome_report.accept",
        effect=lambda world, report: QuarterlyReport.objects.get(pk=report.pk).status == "accepted",
    ),
    Step(
        "goal set",
        "post",
        "/api/v1/programs/{id}/outcome-goals/",
        setup=lambda world: world.programs["p1"],
        body={"year": 2026, "quarter": 0, "metric": "job_starts", "target": "12"},
        bad={"year": 2026, "quarter": 0, "metric": "happiness", "target": "12"},
        bad_field="metric",
        doer="supervisor",
        refused="specialist",
        audit="outcome_goal.set",
        effect=lambda world, program: Goal.objects.get(program=program).target == Decimal(12),
        status=201,
    ),
    Step(
        "benchmarks",
        "put",
        "/api/v1/states/{id}/outcome-benchmarks/",
        setup=lambda world: world.state_a,
        body={"definition_code": CODE, "minimal": "30", "average": "40", "excellent": "55"},
        bad={"definition_code": CODE, "minimal": "50", "average": "40", "excellent": "55"},
        bad_field="average",
        doer="state_lead",
        refused="trainer",  # sees the state's dashboard and benchmarks, does not set them
        audit="outcome_benchmarks.set",
        effect=lambda world, state: (
            Benchmark.objects.get(state=state, definition_code=CODE, level="excellent").rate == Decimal(55)
        ),
        etag=True,
    ),
    Step(
        "upload commit",
        "post",
        "/api/v1/outcome-uploads/{id}/commit/",
        setup=_upload,
        body={"mode": "all"},
        bad={"mode": "some"},
        bad_field="mode",
        doer="supervisor",
        refused="specialist",
        audit="outcome_upload.commit",
        effect=lambda world, upload: QuarterlyReport.objects.filter(program=upload.program, year=2026).count() == 2,
    ),
]


def _call(api, person, step: Step, url: str, body: dict[str, Any], etag: str | None) -> Any:
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return getattr(api(person), step.method)(url, body, format="json", **headers)


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_each_outcome_step_through_the_api(world: World, api, step: Step) -> None:
    subject = step.setup(world)
    url = step.path.format(id=subject.pk)
    etag = None
    if step.etag:
        read = api(world.people[step.doer]).get(url)
        assert read.status_code == 200, read.content
        etag = read["ETag"]
    last = AuditEvent.objects.order_by("pk").last()
    written = AuditEvent.objects.filter(action__startswith="outcome_", pk__gt=last.pk if last else 0)

    for name in OUTSIDERS:
        assert_error(_call(api, world.people[name], step, url, step.body, etag), 404)
    refused = assert_error(_call(api, world.people[step.refused], step, url, step.body, etag), 403)
    assert refused["message"].startswith("Only "), refused  # the access layer's own sentence
    error = assert_error(_call(api, world.people[step.doer], step, url, step.bad, etag), 400)
    assert step.bad_field in error["fields"], error
    unknown = assert_error(_call(api, world.people[step.doer], step, url, {**step.body, "colour": 1}, etag), 400)
    assert unknown["fields"] == {"colour": ["This operation does not take this field."]}
    assert not written.exists()  # nothing of the refused or bad calls was written

    done = _call(api, world.people[step.doer], step, url, step.body, etag)
    assert done.status_code == step.status, done.content
    assert step.effect(world, subject)
    event = written.get(action=step.audit)
    assert event.actor_id == world.people[step.doer].pk


def test_service_messages_for_the_reports_state(world: World, api) -> None:
    supervisor = api(world.supervisor)
    submitted = _submitted(world)
    url = f"/api/v1/outcome-reports/{submitted.pk}/"
    locked = supervisor.patch(url, {"worked": 3}, format="json", HTTP_IF_MATCH=supervisor.get(url)["ETag"])
    assert "only a draft or a returned report can change" in assert_error(locked, 400)["message"]
    again = assert_error(api(world.state_lead).post(f"{url}correct/", {"reason": "x"}, format="json"), 400)
    assert again["message"].startswith("Only the current accepted report is corrected")
    api(world.state_lead).post(f"{url}accept/", {}, format="json")
    twice = assert_error(api(world.state_lead).post(f"{url}return/", {"comment": "No."}, format="json"), 400)
    assert twice["message"] == "Only a submitted report can be returned."
    future = supervisor.post(
        f"/api/v1/programs/{world.programs['p1'].pk}/outcome-reports/compute/",
        {"year": 2027, "quarter": 3},
        format="json",
    )
    assert "has not started yet" in assert_error(future, 400)["fields"]["quarter"][0]


def test_updates_need_the_version_read(world: World, api) -> None:
    report = _draft(world)
    url = f"/api/v1/outcome-reports/{report.pk}/"
    client = api(world.supervisor)
    assert_error(client.patch(url, {"worked": 10}, format="json"), 428)
    etag = client.get(url)["ETag"]
    done = client.patch(url, {"worked": 10}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200 and done.json()["worked"] == 10 and done["ETag"] != etag
    stale = client.patch(url, {"worked": 11}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["error"]["etag"] == stale["ETag"]
    assert QuarterlyReport.objects.get(pk=report.pk).worked == 10

    bench = f"/api/v1/states/{world.state_a.pk}/outcome-benchmarks/"
    lead = api(world.state_lead)
    body = {"definition_code": CODE, "minimal": "30", "average": "40", "excellent": "55"}
    assert_error(lead.put(bench, body, format="json"), 428)
    etag = lead.get(bench)["ETag"]
    assert lead.put(bench, body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = lead.put(bench, {**body, "excellent": "60"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert selectors.benchmarks_for(world.state_a, CODE)["excellent"] == Decimal(55)


def test_goals_listed_and_removed(world: World, api) -> None:
    _accepted(world)
    program = world.programs["p1"]
    goal = services.goal_set(
        actor=world.supervisor, program=program, year=2026, quarter=2, metric=GoalMetric.EMPLOYMENT_RATE, target=35
    )
    listed = api(world.specialist).get(f"/api/v1/programs/{program.pk}/outcome-goals/")
    assert listed.status_code == 200
    assert [(g["id"], g["actual"], g["met"]) for g in listed.json()] == [(goal.pk, "40.00", True)]
    replaced = api(world.director).post(
        f"/api/v1/programs/{program.pk}/outcome-goals/",
        {"year": 2026, "quarter": 2, "metric": "employment_rate", "target": "45"},
        format="json",
    )
    assert replaced.status_code == 200 and replaced.json()["met"] is False, replaced.content

    url = f"/api/v1/outcome-goals/{goal.pk}/"
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).get(url), 404)
        assert_error(api(world.people[name]).delete(url), 404)
    assert_error(api(world.specialist).delete(url), 403)
    assert_error(api(world.director).delete(url, {"why": "typo"}, format="json"), 400)
    assert api(world.director).delete(url).status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert AuditEvent.objects.filter(action="outcome_goal.delete", actor=world.director).exists()


def test_an_upload_is_checked_then_committed(world: World, api) -> None:
    program = world.programs["p1"]
    url = f"/api/v1/programs/{program.pk}/outcome-uploads/"

    def send(person, content: bytes = CSV, **extra: Any) -> Any:
        return api(person).post(
            url, {"file": SimpleUploadedFile("q.csv", content, "text/csv"), **extra}, format="multipart"
        )

    for name in OUTSIDERS:
        assert_error(send(world.people[name]), 404)
    assert_error(send(world.specialist), 403)
    assert assert_error(send(world.supervisor, colour="red"), 400)["fields"] == {
        "colour": ["This operation does not take this field."]
    }
    assert assert_error(api(world.supervisor).post(url, {}, format="multipart"), 400)["fields"] == {
        "file": ["Send the file as the form field 'file'."]
    }
    missing = assert_error(send(world.supervisor, b"year,served\n2026,3\n"), 400)
    assert missing["fields"]["file"][0].startswith("The first row must name the columns; missing: quarter")
    assert not Upload.objects.exists()

    bad_row = b"year,quarter,served,worked\n2026,1,40,16\n2026,2,30,31\n"
    checked = send(world.supervisor, bad_row)
    assert checked.status_code == 201, checked.content
    data = checked.json()
    assert (data["good_rows"], data["bad_rows"]) == (1, 1)
    assert data["rows"][1]["line"] == 3 and data["rows"][1]["problems"][0]["column"] == "worked"
    assert AuditEvent.objects.filter(action="outcome_upload.check", actor=world.supervisor).exists()

    commit = f"/api/v1/outcome-uploads/{data['id']}/commit/"
    assert api(world.specialist).get(f"/api/v1/outcome-uploads/{data['id']}/").status_code == 200
    refused = assert_error(api(world.supervisor).post(commit, {}, format="json"), 400)
    assert refused["message"].startswith("1 row(s) have problems.")
    done = api(world.supervisor).post(commit, {"mode": "good"}, format="json")
    assert done.status_code == 200 and done.json()["entered"] == 1, done.content
    assert done.json()["upload"]["committed_rows"] == 1
    assert QuarterlyReport.objects.get(program=program, year=2026, quarter=1).worked == 16


def test_a_quarter_computed_from_the_records_then_submitted_and_accepted(world: World, api) -> None:
    program = world.programs["p1"]
    supervisor = api(world.supervisor)
    computed = supervisor.post(
        f"/api/v1/programs/{program.pk}/outcome-reports/compute/", {"year": 2026, "quarter": 3}, format="json"
    )
    assert computed.status_code == 201 and computed.json()["source"] == "computed", computed.content
    report = computed.json()["id"]
    again = supervisor.post(
        f"/api/v1/programs/{program.pk}/outcome-reports/compute/", {"year": 2026, "quarter": 3}, format="json"
    )
    assert again.status_code == 200 and again.json()["id"] == report
    url = f"/api/v1/outcome-reports/{report}/"
    etag = supervisor.get(url)["ETag"]
    edited = supervisor.patch(url, {"served": 20, "worked": 11}, format="json", HTTP_IF_MATCH=etag)
    assert edited.status_code == 200 and edited.json()["source"] == "submitted"
    assert supervisor.post(f"{url}submit/", {}, format="json").status_code == 200
    accepted = api(world.state_lead).post(f"{url}accept/", {}, format="json")
    assert accepted.json()["status"] == "accepted"
    corrected = supervisor.post(f"{url}correct/", {"reason": "Late job start.", "worked": 12}, format="json")
    assert corrected.status_code == 201
    assert (corrected.json()["version"], corrected.json()["served"], corrected.json()["worked"]) == (2, 20, 12)


def _rollup(api, person, **params: Any) -> Any:
    return api(person).get(f"/api/v1/states/{params.pop('state')}/outcomes/", params)


def test_the_state_roll_up_by_quarter(world: World, api) -> None:
    p1, p2 = world.programs["p1"], world.programs["p2"]
    Program.objects.filter(pk=p2.pk).update(phase=Phase.IMPLEMENTATION, phase_since=datetime.date(2025, 1, 1))
    _accepted(world, quarter=1, served=40, worked=16)
    _accepted(world, quarter=2, served=30, worked=8)
    state = world.state_a.pk

    for name in (*OUTSIDERS, "director", "specialist"):
        assert_error(_rollup(api, world.people[name], state=state, year=2026, quarter=2), 404)
    answer = _rollup(api, world.state_lead, state=state, year=2026, quarter=2, quarters=2)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["exact"] is True and data["definition_code"] == CODE
    q1, q2 = data["quarters"]
    assert (q1["year"], q1["quarter"], q1["served"], q1["worked"], q1["employment_rate"]) == (2026, 1, 40, 16, "40.0")
    assert (q2["programs_total"], q2["programs_reported"], q2["programs_counted"]) == (2, 1, 1)
    assert q2["reported"] == "1 of 2 programs reported"
    assert q2["missing"] == [{"id": p2.pk, "name": p2.name}] and q2["awaiting_review"] == []
    assert q2["worked"] == 8 and not q2["withheld"]

    # The same figures as the dashboard's own selector.
    board = selectors.state_dashboard(
        state=world.state_a,
        programs=Program.objects.filter(state=world.state_a),
        definition_code=CODE,
        quarters=[Quarter(2026, 1), Quarter(2026, 2)],
    )
    assert [(c.served, c.worked) for c in board.totals] == [(40, 16), (30, 8)]
    assert [str(p.latest.rate) for p in board.programs if p.program_id == p1.pk] == [q2["employment_rate"]]

    # The trainer sees the dashboard with counts under 11 withheld, as on the web.
    shared = _rollup(api, world.trainer, state=state, year=2026, quarter=2).json()
    assert shared["exact"] is False
    only = shared["quarters"][0]
    assert (only["served"], only["worked"], only["employment_rate"], only["withheld"]) == (None, None, None, True)

    lead = world.state_lead
    assert "year" in assert_error(_rollup(api, lead, state=state, year=1999, quarter=2), 400)["fields"]
    assert "year" in assert_error(_rollup(api, lead, state=state, quarter=2), 400)["fields"]
    assert "quarter" in assert_error(_rollup(api, lead, state=state, year=2026, quarter=5), 400)["fields"]
    assert "quarters" in assert_error(_rollup(api, lead, state=state, year=2026, quarter=2, quarters=41), 400)["fields"]
    assert "definition_code" in assert_error(_rollup(api, lead, state=state, definition_code="nope"), 400)["fields"]
    assert "year" in assert_error(_rollup(api, lead, state=state, year="x", quarter=1), 400)["fields"]
    assert len(_rollup(api, lead, state=state).json()["quarters"]) == 1  # the last complete quarter


def test_the_roll_up_and_the_goals_take_the_same_queries_whatever_the_data(world: World, api) -> None:
    lead = api(world.state_lead)
    rollup = f"/api/v1/states/{world.state_a.pk}/outcomes/?year=2026&quarter=2&quarters=4"
    goals = f"/api/v1/programs/{world.programs['p1'].pk}/outcome-goals/"

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert lead.get(url).status_code == 200
        return len(queries)

    lead.get(rollup)  # the token's first use is recorded once
    small = (counted(rollup), counted(goals))
    for number in range(5):
        Program.objects.create(
            state=world.state_a,
            name=f"Extra {number}",
            mh_agency=world.orgs["mh2"],
            phase=Phase.IMPLEMENTATION,
            phase_since=datetime.date(2025, 1, 1),
        )
    for quarter in (1, 2):
        _accepted(world, quarter=quarter)
    for metric, target in ((GoalMetric.JOB_STARTS, 10), (GoalMetric.EMPLOYMENT_RATE, 40)):
        services.goal_set(
            actor=world.supervisor,
            program=world.programs["p1"],
            year=2026,
            quarter=0,
            metric=metric,
            target=Decimal(target),
        )
    assert (counted(rollup), counted(goals)) == small
