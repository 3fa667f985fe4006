"""Pages, exports and the state dashboard's fixed number of queries."""

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ipshub.areakit.hooks import Hooks
from ipshub.areakit.records import ClientHistory, Span
from ipshub.outcomes import services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import Goal, GoalMetric, QuarterlyReport, Source, Status
from ipshub.tenancy.models import Phase, Program
from tests.area_hooks import CLIENTS, with_hooks

pytestmark = pytest.mark.django_db


def accepted(world, program, year, quarter, served, worked):  # type: ignore[no-untyped-def]
    report = services.report_save(
        actor=world.admin,
        program=program,
        year=year,
        quarter=quarter,
        definition_code=DEFAULT_CODE,
        figures={"served": served, "worked": worked},
    )
    services.report_submit(actor=world.admin, report=report)
    return services.report_accept(actor=world.admin, report=report)


def bulk_reports(programs, quarters):  # type: ignore[no-untyped-def]
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            program=p,
            year=q.year,
            quarter=q.quarter,
            definition_code=DEFAULT_CODE,
            definition_version=1,
            source=Source.SUBMITTED,
            status=Status.ACCEPTED,
            due_on=q.last_day,
            served=40,
            worked=10 + i % 20,
        )
        for p in programs
        for i, q in enumerate(quarters)
    )


def dashboard_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("outcomes:dashboard") + "?end=2025-Q4&quarters=40")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_runs_a_fixed_number_of_queries(world, client_for) -> None:
    client = client_for(world.state_lead)
    quarters = [Quarter.from_index(Quarter(2016, 1).index + i) for i in range(40)]
    bulk_reports(list(Program.objects.filter(state=world.state_a)), quarters)
    small = dashboard_queries(client)
    for i in range(30):
        program = Program.objects.create(
            state=world.state_a,
            name=f"Extra {i}",
            mh_agency=world.orgs["mh2"],
            phase=Phase.ONGOING,
            phase_since=datetime.date(2015, 1, 1),
            region=("North", "South")[i % 2],
            funding_source="Medicaid",
        )
        bulk_reports([program], quarters)
    assert dashboard_queries(client) == small
    page = client.get(reverse("outcomes:dashboard") + "?end=2025-Q4&quarters=40&group=funding_source").content.decode()
    assert "Extra 1" in page and "Medicaid" in page and "<svg" in page


def test_dashboard_queries_are_the_same_for_3_programs_x_4_quarters_and_40_programs_x_40_quarters(
    world, client_for
) -> None:
    """The national-scale promise in small: the dashboard's query count depends on neither the number of
    programs nor the number of quarters shown (programs, reports and goals made with bulk_create)."""
    client = client_for(world.state_lead)
    end = Quarter(2025, 4)
    state_programs = list(Program.objects.filter(state=world.state_a))
    assert len(state_programs) <= 3
    bulk_reports(state_programs, [Quarter.from_index(end.index - i) for i in range(4)])

    def count(quarters: int) -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("outcomes:dashboard") + f"?end=2025-Q4&quarters={quarters}&page=2")
            response = client.get(reverse("outcomes:dashboard") + f"?end=2025-Q4&quarters={quarters}")
        assert response.status_code == 200
        return len(ctx.captured_queries) // 2, response

    small, _ = count(4)
    extra = Program.objects.bulk_create(
        Program(
            state=world.state_a,
            name=f"Bulk {i:02d}",
            mh_agency=world.orgs["mh2"],
            phase=(Phase.ONGOING, Phase.IMPLEMENTATION)[i % 2],
            phase_since=datetime.date(2015, 1, 1),
            region=("North", "South", "East")[i % 3],
            funding_source=("Medicaid", "County levy")[i % 2],
        )
        for i in range(40 - len(state_programs))
    )
    bulk_reports(extra, [Quarter.from_index(end.index - i) for i in range(40)])
    Goal.objects.bulk_create(
        Goal(program=p, year=2025, quarter=0, metric=GoalMetric.EMPLOYMENT_RATE, target=45) for p in extra
    )
    large, response = count(40)
    assert large == small
    page = response.content.decode()
    assert "Bulk 00" in page and "Goal 45" in page and page.count("<svg") > 10
    # Flags stay few per program (a run below the benchmark is one flag) and the flagged table is capped.
    board = response.context["board"]
    bulk = next(p for p in board.programs if p.name == "Bulk 00")
    assert "Below the minimal benchmark (31%) for 3 quarters running: 2020 Q2 to 2020 Q4" in bulk.flags
    assert len(bulk.flags) <= 6 and len(board.outliers) > len(board.top_outliers) == 20


def test_dashboard_totals_groups_and_flags(world, client_for) -> None:
    p1, p2 = world.programs["p1"], world.programs["p2"]
    Program.objects.filter(pk=p2.pk).update(phase=Phase.ONGOING, phase_since=datetime.date(2024, 1, 1), region="South")
    accepted(world, p1, 2025, 1, 40, 20)
    accepted(world, p1, 2025, 2, 40, 10)  # 50% → 25%: a drop of 25 points
    accepted(world, p2, 2025, 1, 20, 4)
    accepted(world, p2, 2025, 2, 20, 5)  # 20%, 25%: below the minimal two quarters running
    client = client_for(world.state_lead)
    response = client.get(reverse("outcomes:dashboard") + "?end=2025-Q2&quarters=4")
    board = response.context["board"]
    totals = {str(c.quarter): (c.served, c.worked, c.rate) for c in board.totals}
    assert totals["2025 Q1"][:2] == (60, 24) and str(totals["2025 Q1"][2]) == "40.0"
    flags = {p.name: p.flags for p in board.programs}
    assert any("Dropped 25.0 points" in f for f in flags["Program P1"])
    assert any("Below the minimal benchmark" in f for f in flags["Program P2"])
    assert any("Missing report: 2024 Q3, 2024 Q4" in f for f in flags["Program P2"])
    assert {g.name for g in board.groups} == {"Not set", "South"}
    # Another state's lead sees their own state only.
    other = client_for(world.other_state_lead).get(reverse("outcomes:dashboard") + "?end=2025-Q2&quarters=4")
    assert other.context["board"].state == world.state_b and not other.context["board"].totals[2].served


def test_program_people_see_their_programs_not_the_state_dashboard(world, client_for) -> None:
    response = client_for(world.specialist).get(reverse("outcomes:dashboard"))
    assert response.status_code == 200 and "Program P1" in response.content.decode()
    assert "Program P2" not in response.content.decode()
    assert client_for(world.specialist).get(reverse("outcomes:dashboard_export")).status_code == 404
    assert (
        client_for(world.specialist).get(reverse("outcomes:report_create", args=[world.programs["p1"].pk])).status_code
        == 403
    )


def test_exports_apply_the_small_count_rule(world, client_for) -> None:
    accepted(world, world.programs["p1"], 2025, 1, 40, 8)
    client = client_for(world.state_lead)
    csv_text = client.get(reverse("outcomes:dashboard_export") + "?end=2025-Q1&quarters=4&table=0").content.decode()
    assert "2025 Q1,40,<11,<11" in csv_text
    exact = client.get(
        reverse("outcomes:dashboard_export") + "?end=2025-Q1&quarters=4&table=0&exact=1"
    ).content.decode()
    assert "2025 Q1,40,8,20.0" in exact
    xlsx = client.get(reverse("outcomes:dashboard_export") + "?end=2025-Q1&quarters=4&format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["State totals", "By region", "Programs", "Flagged programs"]
    pdf = client.get(reverse("outcomes:dashboard_export") + "?end=2025-Q1&quarters=4&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    program_pdf = client.get(reverse("outcomes:program_export", args=[world.programs["p1"].pk]) + "?format=pdf")
    assert program_pdf.content.startswith(b"%PDF")
    program_csv = client.get(reverse("outcomes:program_export", args=[world.programs["p1"].pk])).content.decode()
    assert "2025 Q1" in program_csv and ",<11," in program_csv


def test_upload_pages_report_bad_rows_and_commit(world, client_for) -> None:
    client = client_for(world.supervisor)
    p1 = world.programs["p1"]
    content = io.BytesIO(b"year,quarter,served,worked\n2025,1,40,16\n2025,2,10,12\n")
    content.name = "figures.csv"
    response = client.post(reverse("outcomes:upload", args=[p1.pk]), {"file": content})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Worked (12) is more than served (10)" in text and "Rows ready to enter" in text
    refused = client.post(response["Location"], {"mode": "all"})
    assert refused.status_code == 400 and "have problems" in refused.content.decode()
    assert client.post(response["Location"], {"mode": "good"}).status_code == 302
    assert QuarterlyReport.objects.filter(program=p1).count() == 1
    bad = io.BytesIO(b"nothing useful")
    bad.name = "figures.pdf"
    response = client.post(reverse("outcomes:upload", args=[p1.pk]), {"file": bad})
    assert response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()


def test_review_form_and_benchmark_page(world, client_for) -> None:
    report = services.report_save(
        actor=world.supervisor,
        program=world.programs["p1"],
        year=2025,
        quarter=1,
        definition_code=DEFAULT_CODE,
        figures={"served": 40, "worked": 16},
    )
    services.report_submit(actor=world.supervisor, report=report)
    lead = client_for(world.state_lead)
    response = lead.post(reverse("outcomes:report_review", args=[report.pk]), {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "Say what needs to change" in response.content.decode()
    assert (
        client_for(world.supervisor)
        .post(reverse("outcomes:report_review", args=[report.pk]), {"decision": "accept"})
        .status_code
        == 403
    )
    response = lead.post(
        reverse("outcomes:benchmarks"),
        {"definition_code": DEFAULT_CODE, "minimal": "30", "average": "29", "excellent": "50"},
    )
    assert response.status_code == 400 and "must rise" in response.content.decode()
    assert client_for(world.trainer).post(reverse("outcomes:benchmarks"), {}).status_code == 403


def test_recompute_command_says_when_no_loader_is_registered(world) -> None:
    with with_hooks(without=(CLIENTS,)), pytest.raises(CommandError, match="No client-record loader"):
        call_command("outcomes_recompute")


def test_recompute_command_with_the_client_records_loader(world) -> None:
    out = io.StringIO()
    call_command("outcomes_recompute", stdout=out)
    assert out.getvalue().startswith("Recomputed 0 report(s)")


def test_recompute_measure_times_every_report_and_changes_nothing(world) -> None:
    def loader(program_ids, first, last):  # type: ignore[no-untyped-def]
        people = [ClientHistory(n, (Span(datetime.date(2024, 1, 1)),)) for n in range(12)]
        return {pid: people for pid in program_ids}

    p1 = world.programs["p1"]
    accepted(world, p1, 2025, 1, 40, 20)
    accepted(world, p1, 2025, 2, 40, 20)
    with with_hooks(Hooks(history_loader=loader), without=(CLIENTS,)):
        out = io.StringIO()
        call_command("outcomes_recompute", "--measure", stdout=out)
    text = out.getvalue()
    assert "Recomputed 2 report(s) of 1 program(s) from 12 clients (24 client-quarters on the caseload)" in text
    assert "National scale (500 programs × 40 quarters, 100,000 clients), extrapolated:" in text
    assert sorted(QuarterlyReport.objects.values_list("source", "status", "served")) == [
        (Source.SUBMITTED, Status.ACCEPTED, 40),
        (Source.SUBMITTED, Status.ACCEPTED, 40),
    ]


def test_small_counts_on_screen_follow_the_export_rule(world, client_for) -> None:
    """On screen, the people who may download exact figures (the state reviewers on the dashboard; the
    program's writers and the state team on a program) see them; everyone else sees "<11", rates built on
    such counts withheld, and no chart point for them."""
    p1 = world.programs["p1"]
    report = accepted(world, p1, 2025, 1, 40, 8)
    dashboard = reverse("outcomes:dashboard") + "?end=2025-Q1&quarters=4"

    lead_page = client_for(world.state_lead).get(dashboard)
    assert lead_page.context["board"].exact
    lead_html = lead_page.content.decode()
    assert "<td>8</td>" in lead_html and "20.0%" in lead_html and "ipshub-dot" in lead_html

    trainer_page = client_for(world.trainer).get(dashboard)
    assert trainer_page.status_code == 200 and not trainer_page.context["board"].exact
    trainer_html = trainer_page.content.decode()
    assert "<td>40</td>" in trainer_html and "<td>&lt;11</td>" in trainer_html
    assert "<td>8</td>" not in trainer_html and "20.0%" not in trainer_html and "ipshub-dot" not in trainer_html

    program = reverse("outcomes:program", args=[p1.pk])
    supervisor_html = client_for(world.supervisor).get(program).content.decode()
    assert "<td>8</td>" in supervisor_html and "20.0%" in supervisor_html and "ipshub-dot" in supervisor_html
    specialist_html = client_for(world.specialist).get(program).content.decode()
    assert "<td>&lt;11</td>" in specialist_html and "<td>40</td>" in specialist_html
    assert "<td>8</td>" not in specialist_html and "20.0%" not in specialist_html
    assert "ipshub-dot" not in specialist_html

    detail = reverse("outcomes:report_detail", args=[report.pk])
    assert "20.0%" in client_for(world.supervisor).get(detail).content.decode()
    specialist_detail = client_for(world.specialist).get(detail).content.decode()
    assert "<td>&lt;11</td>" in specialist_detail and "20.0%" not in specialist_detail
