"""Every curl example in docs/api.md, run against a live server with a real token."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ipshub.api import services
from ipshub.api.changes import cursor_for
from ipshub.api.versions import etag_of
from ipshub.audit.models import AuditEvent
from ipshub.clients.models import Enrollment
from ipshub.dvr import services as dvr_services
from ipshub.dvr.models import Authorization
from ipshub.implementation.models import Assignment, Evidence, PartnershipItem
from ipshub.outcomes import services as outcome_services
from ipshub.outcomes.models import QuarterlyReport
from tests.api.test_program_records import _assignments, _completion, _meeting
from tests.dvr.factories import authorize, hired, report_data, shared_client
from tests.fidelity.factories import delivered_review
from tests.world import build_world

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
# The status each example answers, in the order they appear on the page.
EXPECTED = [200, 200, 200, 200, 200, 201, 200, 400, 200, 201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
EXPECTED += [200, 412]  # section 12: an update with the ETag just read, then one with a stale ETag
EXPECTED += [200, 200, 400]  # section 13: the change feed, from the start, after a cursor, a bad cursor
EXPECTED += [201, 200]  # section 14: an action added to a delivered review's plan, the running estimate
EXPECTED += [201, 200, 201]  # section 15: a steering committee member, a waived set-up item, an evidence upload
EXPECTED += [201, 200, 200]  # section 16: a quarter computed from the records, a report accepted, the roll-up
EXPECTED += [201, 201, 201]  # section 17: a meeting with its attendance, a follow-up, technical assistance
EXPECTED += [201, 200, 200]  # section 18: a counselor authorizes, accepts a hire report; the state's DVR catalog
EXPECTED += [201, 200, 201]  # section 19: a person added, an organization changed, a role given (ADMIN_TOKEN)
# Examples run with the token of program P1's IPS supervisor (the imports); the others, the state lead's.
SUPERVISOR_EXAMPLES = {12, 13}
AGREEMENT = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"  # section 15's upload


def files() -> list[str]:
    """The example files shown on the page (```csv blocks), written where the examples run."""
    return re.findall(r"```csv\n(.*?)```", DOC.read_text(), flags=re.S)


def examples() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_examples_are_all_curl_commands() -> None:
    found = examples()
    assert len(found) == len(EXPECTED), "add the new example's status to EXPECTED"
    # A curl command, or one that first reads a record's ETag with curl (section 12).
    assert all(block.lstrip().startswith(("curl ", "ETAG=$(curl ")) for block in found)


@pytest.mark.django_db(transaction=True)
def test_every_curl_example_in_the_docs_works(live_server, tmp_path) -> None:
    curl = shutil.which("curl")
    assert curl, "curl is needed: apt-get install -y curl"
    world = build_world()
    lead = world.people["state_lead"]
    _token, key = services.token_create(actor=lead, person=lead, name="Docs examples")
    supervisor = world.people["supervisor"]
    supervisor_key = services.token_create(actor=supervisor, person=supervisor, name="Docs examples")[1]
    admin = world.people["admin"]
    admin_key = services.token_create(actor=admin, person=admin, name="Docs examples")[1]
    (tmp_path / "referrals.csv").write_text(files()[0])
    (tmp_path / "agreement.pdf").write_bytes(AGREEMENT)
    # A program's work for section 10: its roles matrix, a delivered review, a meeting, training.
    _assignments(world)
    review = delivered_review(world)
    held = _meeting(world)
    _completion(world)
    # Section 16: a submitted 2026 Q2 report of P1 for the state lead to accept.
    outcome_report = outcome_services.report_submit(
        actor=supervisor,
        report=outcome_services.report_save(
            actor=supervisor,
            program=world.programs["p1"],
            year=2026,
            quarter=2,
            definition_code="worked_over_served",
            figures={"served": 30, "worked": 12},
        ),
    )
    # Section 18: a client shared with the DVR office dvr1, and a placement whose hire report waits for review.
    dvr_client = shared_client(world, first="Dana")
    hired(world, dvr_client)
    placement = authorize(world, dvr_client)
    dvr_services.report_submit(actor=world.people["specialist"], authorization=placement, data=report_data(placement))
    counselor = world.people["counselor"]
    counselor_key = services.token_create(actor=counselor, person=counselor, name="Docs examples")[1]
    env = {
        "PATH": "/usr/bin:/bin",
        "IPSHUB": live_server.url,
        "TOKEN": key,
        "PROGRAM": str(world.programs["p1"].pk),
        "MH_AGENCY": str(world.orgs["mh2"].pk),
        "DVR_OFFICE": str(world.orgs["dvr2"].pk),
        "REVIEW": str(review.pk),
        # Section 19: the directory's writes, with an administrator's token, for the case manager of program P1.
        "ADMIN_TOKEN": admin_key,
        "PERSON": str(world.people["case_manager"].pk),
        # Section 15: a partnership set-up item and an assignment of the program.
        "ITEM": str(PartnershipItem.objects.get(program=world.programs["p1"], kind="billing").pk),
        "ASSIGNMENT": str(Assignment.objects.filter(program=world.programs["p1"]).order_by("pk").first().pk),  # type: ignore[union-attr]
        "REPORT": str(outcome_report.pk),
        "DVR_TOKEN": counselor_key,
        "DVR_CLIENT": str(dvr_client.pk),
        "AUTHORIZATION": str(placement.pk),
        "STATE": str(world.state_a.pk),
        # The program's ETag as read before the examples changed it: stale by the last example (section 12).
        "ETAG": etag_of(world.programs["p1"]),
        # Section 13 resumes the change feed where it stood before the examples: it lists their changes.
        "CURSOR": cursor_for(AuditEvent.objects.order_by("pk").last().pk),  # type: ignore[union-attr]
        # Section 17: a meeting series of program P1 with one meeting, and two of the program's people.
        "SERIES": str(held.series_id),
        "MEETING": str(held.pk),
        "SUPERVISOR": str(world.people["supervisor"].pk),
        "SPECIALIST": str(world.people["specialist"].pk),
    }
    bodies: dict[str, dict] = {}
    # Each example runs as written; a wrapper adds the status code on a last line of its own.
    prelude = f'curl() {{ "{curl}" -w "\\n%{{http_code}}" "$@"; }}\n'
    for number, (block, expected) in enumerate(zip(examples(), EXPECTED, strict=True)):
        token = supervisor_key if number in SUPERVISOR_EXAMPLES else key
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", prelude + block],
            env=env | {"TOKEN": token},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"{block}\n{result.stderr}"
        body, _, status = result.stdout.rpartition("\n")
        assert int(status) == expected, f"{block}\nanswered {status}: {body[:500]}"
        data = json.loads(body)
        bodies[block.split('"$IPSHUB')[-1].split('"')[0]] = data
        if expected >= 400:
            assert set(data["error"]) >= {"status", "code", "message", "fields"}
    programs = json.loads(
        subprocess.run(
            [
                curl,
                "-sS",
                "-H",
                f"Authorization: Token {key}",
                f"{live_server.url}/api/v1/programs/?q=Harbor",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert [p["name"] for p in programs["results"]] == ["Harbor City IPS"]
    # Section 10 answered with real records.
    assert bodies["/api/v1/assignments/?program=$PROGRAM&open=true&ordering=due_on"]["count"] >= 1
    assert review.pk in [r["id"] for r in bodies["/api/v1/fidelity-reviews/?program=$PROGRAM"]["results"]]
    detail = bodies["/api/v1/fidelity-reviews/$REVIEW/"]
    assert detail["scores_available"] and len(detail["items"]) == 25 and detail["total"]["rated_total"] == 93
    meetings = bodies["/api/v1/meetings/?program=$PROGRAM&follow_up_status=open"]["results"]
    assert len(meetings) == 1 and meetings[0]["follow_ups"][0]["status"] == "open"
    assert bodies["/api/v1/training/courses/?role=employment_specialist"]["count"] > 0
    assert bodies["/api/v1/training/completions/?since=2025-01-01&ordering=-completed_on"]["count"] == 1
    # The outcome examples left one submitted report with the second example's figures.
    report = QuarterlyReport.objects.get(program=world.programs["p1"], year=2025, quarter=3)
    assert (report.status, report.worked, report.in_education) == ("submitted", 20, 0)
    # Section 13: the action is on the plan, and the estimate gives each measurable item.
    assert review.actions.get().items.get().number == 17
    estimate = bodies["/api/v1/programs/$PROGRAM/fidelity-estimate/?start=2026-06-01&end=2026-11-30"]
    assert [row["number"] for row in estimate["items"]] == [1, 2, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25]
    # Section 15: the member, the waiver with its reason, the evidence's file.
    assert world.programs["p1"].steering_members.get().name == "Pat Rivera"
    waived = PartnershipItem.objects.get(pk=int(env["ITEM"]))
    assert (waived.status, waived.waiver_reason) == ("waived", "The statewide DVR agreement covers it.")
    evidence = Evidence.objects.get(assignment_id=int(env["ASSIGNMENT"]))
    assert evidence.original_name == "agreement.pdf" and evidence.file.read() == AGREEMENT
    # Section 16: the quarter computed into a draft; the accepted report counted in the state's roll-up.
    assert bodies["/api/v1/programs/$PROGRAM/outcome-reports/compute/"]["source"] == "computed"
    rollup = bodies["/api/v1/states/$STATE/outcomes/?year=2026&quarter=2"]["quarters"]
    assert [(q["served"], q["worked"], q["programs_counted"]) for q in rollup] == [(30, 12, 1)]
    # Section 12: the change made with the ETag read first, the one made with a stale ETag refused.
    program = world.programs["p1"]
    program.refresh_from_db()
    assert (program.region, program.funding_source) == ("Lakeside", "Medicaid")
    # Section 13: the state lead's feed after the cursor holds the examples' own changes, in order.
    resumed = [(c["kind"], c["action"]) for c in bodies["/api/v1/changes/?after=$CURSOR"]["results"]]
    harbor = ("program", "program.create")
    assert resumed[0] == harbor and ("quarterly_report", "outcome_report.submit") in resumed
    assert harbor in [(c["kind"], c["action"]) for c in bodies["/api/v1/changes/?page_size=50"]["results"]]
    # Section 17: the meeting with who came, the follow-up and the technical assistance, each by the state lead.
    recorded = bodies["/api/v1/meeting-series/$SERIES/meetings/"]
    assert {row["person"]["username"] for row in recorded["attendance"]} == {"supervisor", "specialist"}
    assert bodies["/api/v1/meetings/$MEETING/follow-ups/"]["owner"]["username"] == "supervisor"
    assert bodies["/api/v1/programs/$PROGRAM/technical-assistance/"]["trainer"]["username"] == "state_lead"
    # Section 19: the person added, the organization changed, the second role given.
    assert bodies["/api/v1/people/"]["memberships"][0]["role"] == "case_manager"
    assert bodies["/api/v1/organizations/$MH_AGENCY/"]["county"] == "Harbor"
    assert world.people["case_manager"].memberships.filter(organization=world.orgs["mh2"], is_active=True).exists()
    # The import examples: a dry run that found the bad row, then the good rows committed.
    imported = Enrollment.objects.filter(client__record_number__startswith="EHR-")
    assert sorted(imported.values_list("client__record_number", flat=True)) == ["EHR-2041", "EHR-2042"]
    # Section 18: the counselor's authorization, and the placement accepted (its payment earned).
    made = Authorization.objects.get(enrollment=dvr_client, number="PO-2041")
    assert (made.service_code, made.counselor_id) == ("placement", counselor.pk)
    placement.refresh_from_db()
    assert placement.status == "earned" and placement.milestone.amount > 0
    assert bodies["/api/v1/states/$STATE/dvr-catalog/"]["version"] == 1
