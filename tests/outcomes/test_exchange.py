"""Exchange with the learning community: the Employment Center and IPS Grow layouts, the aggregate file
published by one install and imported by another, and the pooled roll-up (sum of worked over sum of served).

The round trip between two databases is done as serialise-then-clear-then-import: the publishing install's
figures are written to a file, every one of its reports is deleted (so nothing of the first database is
left to pool), and the file is imported under another install's name."""

import csv
import io
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ipshub.audit.models import AuditEvent
from ipshub.outcomes import aggregates, exchange
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import AggregateUpload, ImportedAggregate, QuarterlyReport, Source, Status
from tests.world import World

pytestmark = pytest.mark.django_db

# (program key, year, quarter, served, worked): P2 is small in 2025 Q2 (served 9) and has few workers in
# 2025 Q3 (worked 4), so those rows are withheld from the published file.
FIGURES = [
    ("p1", 2025, 1, 40, 17),
    ("p2", 2025, 1, 25, 12),
    ("p1", 2025, 2, 43, 20),
    ("p2", 2025, 2, 9, 5),
    ("p1", 2025, 3, 51, 19),
    ("p2", 2025, 3, 30, 4),
    ("pb", 2025, 1, 60, 33),
]


def seed(world: World) -> None:
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            program=world.programs[key],
            year=year,
            quarter=quarter,
            definition_code=DEFAULT_CODE,
            definition_version=1,
            source=Source.SUBMITTED,
            status=Status.ACCEPTED,
            due_on=Quarter(year, quarter).last_day,
            served=served,
            worked=worked,
            in_education=12 if served > 30 else 3,
        )
        for key, year, quarter, served, worked in FIGURES
    )


def exact_pooled(state_program_keys: set[str]) -> dict[tuple[int, int], Fraction]:
    """The pooled rate per quarter over the rows the file can carry exactly (served and worked both ≥ 11)."""
    sums: dict[tuple[int, int], list[int]] = {}
    for key, year, quarter, served, worked in FIGURES:
        if key in state_program_keys and served >= 11 and worked >= 11:
            total = sums.setdefault((year, quarter), [0, 0])
            total[0] += worked
            total[1] += served
    return {k: Fraction(w, s) for k, (w, s) in sums.items()}


def test_round_trip_through_a_file_reproduces_the_exact_pooled_rate(world: World, tmp_path: Path) -> None:
    seed(world)
    published = tmp_path / "state-a.csv"
    with override_settings(IPSHUB_INSTALL_NAME="westmark"):
        call_command("outcomes-aggregate", "export", "--state", "AA", "--file", str(published), stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(published.read_text())))
    assert len(rows) == 6  # state A's six program-quarters; state B's stays home
    assert {r["source_install"] for r in rows} == {"westmark"}
    small = [r for r in rows if r["program"] == "Program P2" and r["quarter"] in ("2", "3")]
    assert [(r["served"], r["worked"]) for r in small] == [("<11", "<11"), ("30", "<11")]
    assert "client" not in ",".join(rows[0]).lower()

    # The other database: nothing of the first is left.
    QuarterlyReport.objects.all().delete()
    with override_settings(IPSHUB_INSTALL_NAME="national-pool"):
        out = io.StringIO()
        call_command("outcomes-aggregate", "import", str(published), stdout=out)
        assert "6 new" in out.getvalue()
        call_command("outcomes-aggregate", "import", str(published), stdout=out)  # twice: replaced, not added
    assert ImportedAggregate.objects.count() == 6

    pooled = aggregates.pooled_rollup(state_codes=["AA"])
    expected = exact_pooled({"p1", "p2"})
    got = {(q.year, q.quarter): q.pooled for q in pooled.quarters}
    assert got == expected
    # 2025 Q1 pooled, not averaged: (17 + 12) / (40 + 25) = 29/65, while the mean of the rates is 0.4525.
    assert got[(2025, 1)] == Fraction(29, 65)
    withheld = {(q.year, q.quarter): q.withheld for q in pooled.quarters}
    assert withheld == {(2025, 1): 0, (2025, 2): 1, (2025, 3): 1}
    assert pooled.sources == ["westmark"]


def test_roll_up_adds_imported_states_to_this_installs_own(world: World) -> None:
    seed(world)
    ImportedAggregate.objects.create(
        source_install="elsewhere",
        state_code="CC",
        program_label="Far County",
        year=2025,
        quarter=1,
        definition_code=DEFAULT_CODE,
        served=100,
        worked=50,
    )
    national = {q.period: q for q in aggregates.pooled_rollup(state_codes=None).quarters}
    # Local 2025 Q1: 40 + 25 + 60 served, 17 + 12 + 33 worked; imported: 100 and 50.
    assert (national["2025 Q1"].served, national["2025 Q1"].worked) == (225, 112)
    assert national["2025 Q1"].pooled == Fraction(112, 225)
    assert (national["2025 Q1"].local_programs, national["2025 Q1"].imported_programs) == (3, 1)
    only_local = aggregates.pooled_rollup(state_codes=None, include_imported=False).quarters
    assert only_local[0].served == 125


def test_command_lists_every_bad_row_and_imports_nothing(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    header = ",".join(aggregates.COLUMNS)
    bad.write_text(
        f"{header}\n"
        "ipshub-aggregate-1,other,CC,C,One,2025,1,worked_over_served,40,12,11,11,11\n"
        "ipshub-aggregate-1,other,CC,C,Two,2025,5,worked_over_served,40,12,11,11,11\n"
        "ipshub-aggregate-1,other,CC,C,Three,2025,1,worked_over_served,40,50,11,11,11\n"
        "ipshub-aggregate-1,other,CC,C,Four,2025,1,worked_over_served,7,<11,11,11,11\n"
        "ipshub-aggregate-1,other,CC,C,Five,2025,1,nope,forty,12,11,11,11\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 bad row"):
        call_command("outcomes-aggregate", "import", str(bad), stderr=err)
    lines = err.getvalue()
    assert "line 3, quarter" in lines
    assert "line 4, worked" in lines
    assert "line 5, served" in lines  # a small count written as a number: the publisher broke the rule
    assert "line 6, definition" in lines and "line 6, served" in lines
    assert ImportedAggregate.objects.count() == 0


def test_an_install_refuses_its_own_file(world: World, tmp_path: Path) -> None:
    seed(world)
    published = tmp_path / "own.csv"
    call_command("outcomes-aggregate", "export", "--state", "AA", "--file", str(published), stdout=io.StringIO())
    with pytest.raises(CommandError, match="6 bad row"):
        call_command("outcomes-aggregate", "import", str(published), stderr=io.StringIO())


def test_web_publish_check_and_import_as_the_state_lead(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    seed(world)
    lead = client_for(world.state_lead)
    with override_settings(IPSHUB_INSTALL_NAME="westmark"):
        response = lead.get(reverse("outcomes:aggregate_export") + "?format=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(aggregates.COLUMNS)
    assert AuditEvent.objects.filter(action="outcome_aggregates.export", actor=world.state_lead).exists()
    QuarterlyReport.objects.all().delete()

    upload = io.BytesIO(content)
    upload.name = "westmark.xlsx"
    response = lead.post(reverse("outcomes:aggregate_upload"), {"file": upload})
    assert response.status_code == 302
    checked = AggregateUpload.objects.get()
    assert (len(checked.rows), len(checked.bad_rows), ImportedAggregate.objects.count()) == (6, 0, 0)
    page = lead.get(response["Location"])
    assert b"Import into the roll-up" in page.content
    response = lead.post(response["Location"])
    assert response.status_code == 302
    assert ImportedAggregate.objects.count() == 6
    assert AuditEvent.objects.filter(action="outcome_aggregates.import", actor=world.state_lead).exists()
    pooled = {(q.year, q.quarter): q.pooled for q in aggregates.pooled_rollup(state_codes=["AA"]).quarters}
    assert pooled == exact_pooled({"p1", "p2"})
    page = lead.get(reverse("outcomes:exchange"))
    assert b"westmark" in page.content and b"44.6%" in page.content  # 29/65


def test_web_check_reports_every_bad_row_and_refuses_to_import(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    lead = client_for(world.state_lead)
    header = ",".join(aggregates.COLUMNS)
    text = (
        f"{header}\n"
        "ipshub-aggregate-1,other,CC,C,One,2025,1,worked_over_served,40,12,11,11,11\n"
        "ipshub-aggregate-1,other,CC,C,Two,20x5,1,worked_over_served,40,12,11,11,11\n"
        "ipshub-aggregate-1,other,CC,C,Three,2025,1,worked_over_served,40,=1+1,11,11,11\n"
    )
    upload = io.BytesIO(text.encode())
    upload.name = "bad.csv"
    response = lead.post(reverse("outcomes:aggregate_upload"), {"file": upload})
    detail = response["Location"]
    page = lead.get(detail)
    assert b"20x5" in page.content and b"=1+1" in page.content
    assert lead.post(detail).status_code == 400
    assert ImportedAggregate.objects.count() == 0
    not_a_table = io.BytesIO(b"name\nx\n")
    not_a_table.name = "x.csv"
    response = lead.post(reverse("outcomes:aggregate_upload"), {"file": not_a_table})
    assert response.status_code == 400 and b"not an aggregate file" in response.content


def test_learning_community_layouts(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    seed(world)
    lead = client_for(world.state_lead)
    response = lead.get(reverse("outcomes:exchange_export") + "?layout=employment-center&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "State",
        "Program name",
        "Quarter",
        "Number of clients served",
        "Number of clients who worked",
        "Employment rate (%)",
        "Number of clients in education",
    ]
    p2_q2 = next(r for r in rows if r[1] == "Program P2" and r[2] == "2025 Q2")
    assert p2_q2[3:6] == ["<11", "<11", "<11"]
    assert len(rows) == 7  # state A only
    exact = lead.get(reverse("outcomes:exchange_export") + "?layout=employment-center&format=xlsx&exact=1")
    sheet = load_workbook(io.BytesIO(exact.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    p2 = next(v for v in values if v[1] == "Program P2" and v[2] == "2025 Q2")
    assert p2[3:6] == [9, 5, 55.6]  # typed numbers, exact for the lead who asked
    trainer = client_for(world.trainer)
    shared = trainer.get(reverse("outcomes:exchange_export") + "?layout=ips-grow&format=csv&exact=1")
    assert "<11" in shared.content.decode()
    assert shared.content.decode().splitlines()[0].startswith("Service name,Reporting period end,Caseload")
    supervisor = client_for(world.supervisor)
    program_url = reverse("outcomes:program_exchange_export", args=[world.programs["p1"].pk]) + "?layout=ips-grow"
    assert "Program P1" in supervisor.get(program_url).content.decode()
    assert lead.get(reverse("outcomes:exchange_export") + "?layout=nope").status_code == 404


def test_outsiders_see_nothing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    seed(world)
    upload = AggregateUpload.objects.create(state=world.state_a, filename="a.csv", sha256="0" * 64, rows=[])
    detail = reverse("outcomes:aggregate_upload_detail", args=[upload.pk])
    program_url = reverse("outcomes:program_exchange_export", args=[world.programs["p1"].pk]) + "?layout=ips-grow"
    for outsider in (world.other_state_lead, world.other_state_admin, world.other_agency_director):
        c = client_for(outsider)
        assert c.get(detail).status_code == 404
        assert c.post(detail).status_code == 404
        assert c.get(program_url).status_code == 404
    other_lead = client_for(world.other_state_lead)
    # Another state's lead sees their own state only: the file holds state B.
    published = other_lead.get(reverse("outcomes:aggregate_export") + f"?state={world.state_a.pk}")
    assert b"Program P1" not in published.content and b"Program PB" in published.content
    for person in (world.director, world.specialist, world.other_agency_director):
        c = client_for(person)
        assert c.get(reverse("outcomes:exchange")).status_code == 404
        assert c.get(reverse("outcomes:aggregate_export")).status_code == 404
    # The trainer sees the exchange page but cannot publish or import.
    trainer = client_for(world.trainer)
    assert trainer.get(reverse("outcomes:exchange")).status_code == 200
    assert trainer.get(reverse("outcomes:aggregate_export")).status_code == 403
    assert trainer.get(detail).status_code == 404
    assert trainer.get(reverse("outcomes:aggregate_upload")).status_code == 403


def test_exchange_page_runs_a_fixed_number_of_queries(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    lead = client_for(world.state_lead)
    seed(world)
    lead.get(reverse("outcomes:exchange"))
    with CaptureQueriesContext(connection) as small:
        lead.get(reverse("outcomes:exchange"))
    ImportedAggregate.objects.bulk_create(
        ImportedAggregate(
            source_install="x",
            state_code="AA",
            program_label=f"P{i}",
            year=2024,
            quarter=1 + i % 4,
            definition_code=DEFAULT_CODE,
            served=40,
            worked=20,
        )
        for i in range(40)
    )
    with CaptureQueriesContext(connection) as large:
        response = lead.get(reverse("outcomes:exchange"))
    assert response.status_code == 200
    assert len(large) == len(small)


def test_the_docs_list_every_layout_column() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "outcomes.md").read_text()
    for layout in exchange.LAYOUTS.values():
        assert f"`{layout.code}`" in docs
        for column in layout.columns:
            assert f"| {column.name} |" in docs, column.name
