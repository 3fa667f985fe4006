"""Trustworthy figures: one status per program and quarter, the completeness of every total, the chart the PDF
draws (the same SVG as the page), and typed Excel cells."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ipshub.outcomes import charts, exports, selectors, services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport
from ipshub.outcomes.report_status import QuarterStatus, quarter_status
from ipshub.tenancy.models import Phase, Program, State
from tests.api.conftest import api, token_for  # noqa: F401  (the API client fixtures)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
Q2 = Quarter(2026, 2)  # ends 2026-06-30; its report is due on 2026-07-30
TODAY = datetime.date(2026, 12, 7)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


# --- One status per program and quarter ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("review", "submitted", "owed", "today", "expected", "missing"),
    [
        (None, None, True, datetime.date(2026, 7, 10), QuarterStatus.DUE, False),
        ("draft", None, True, datetime.date(2026, 7, 30), QuarterStatus.DUE, False),  # the deadline day itself
        ("draft", None, True, datetime.date(2026, 7, 31), QuarterStatus.LATE, True),
        (None, None, True, TODAY, QuarterStatus.LATE, True),
        ("submitted", datetime.date(2026, 7, 15), True, TODAY, QuarterStatus.SUBMITTED, False),
        ("returned", datetime.date(2026, 7, 15), True, TODAY, QuarterStatus.RETURNED, False),
        ("accepted", datetime.date(2026, 7, 30), True, TODAY, QuarterStatus.ACCEPTED, False),
        ("accepted", datetime.date(2026, 8, 13), True, TODAY, QuarterStatus.LATE, False),
        ("accepted", datetime.date(2026, 7, 15), False, TODAY, QuarterStatus.ACCEPTED, False),  # reported unowed
        (None, None, False, TODAY, None, False),  # not owed, nothing: nothing to show
        ("draft", None, False, TODAY, QuarterStatus.DUE, False),  # a draft not owed yet: never late
    ],
)
def test_one_status_per_quarter(review, submitted, owed, today, expected, missing) -> None:  # type: ignore[no-untyped-def]
    standing = quarter_status(
        quarter=Q2,
        owed=owed,
        today=today,
        review_status=review,
        submitted_at=_at(submitted) if submitted else None,
    )
    if expected is None:
        assert standing is None
        return
    assert standing is not None and standing.status == expected and standing.missing == missing
    assert standing.deadline == datetime.date(2026, 7, 30)
    if expected == QuarterStatus.LATE:
        draft = " (a draft is saved)" if review == "draft" else ""
        assert standing.label == (
            f"Late: not received{draft}" if missing else f"{review.capitalize()} (submitted late)"
        )


def _report(world: Any, program: Program, q: Quarter, served: int, worked: int, days_after: int, accept: bool = True):  # type: ignore[no-untyped-def]
    report = services.report_save(
        actor=world.admin,
        program=program,
        year=q.year,
        quarter=q.quarter,
        definition_code=DEFAULT_CODE,
        figures={"served": served, "worked": worked},
    )
    services.report_submit(actor=world.admin, report=report)
    if accept:
        services.report_accept(actor=world.admin, report=report)
    QuarterlyReport.objects.filter(pk=report.pk).update(
        submitted_at=_at(q.last_day + datetime.timedelta(days=days_after))
    )
    return report


def _two_programs(world: Any) -> tuple[Program, Program]:
    """P1 reports 2026 Q1 and Q2 on time (Q2 accepted); P2 reports Q1 late and never sends Q2."""
    p1, p2 = world.programs["p1"], world.programs["p2"]
    started = datetime.date(2026, 1, 1)  # owe 2026 Q1 on, not the window's earlier quarters
    Program.objects.filter(pk__in=[p1.pk, p2.pk]).update(phase=Phase.IMPLEMENTATION, phase_since=started)
    _report(world, p1, Quarter(2026, 1), 60, 24, days_after=10)
    _report(world, p1, Q2, 62, 25, days_after=12)
    _report(world, p2, Quarter(2026, 1), 40, 16, days_after=45)
    return p1, p2


def test_dashboard_statuses_flags_and_completeness(world, client_for) -> None:  # type: ignore[no-untyped-def]
    _p1, p2 = _two_programs(world)
    response = client_for(world.state_lead).get(reverse("outcomes:dashboard") + "?end=2026-Q2&quarters=4")
    board = response.context["board"]
    cells = {(p.name, str(c.quarter)): c for p in board.programs for c in p.cells}
    assert cells[("Program P1", "2026 Q2")].standing.status == QuarterStatus.ACCEPTED
    assert cells[("Program P2", "2026 Q1")].late and not cells[("Program P2", "2026 Q1")].missing
    assert cells[("Program P2", "2026 Q2")].missing and not cells[("Program P2", "2026 Q2")].late
    assert not any(c.late and c.missing for c in cells.values())
    flags = {p.name: p.flags for p in board.programs}
    assert not any("Late" in f or "Missing" in f for f in flags["Program P1"]), flags
    assert "Late report: 2026 Q1" in flags["Program P2"] and "Missing report: 2026 Q2" in flags["Program P2"]
    totals = {str(c.quarter): c for c in board.totals}
    assert totals["2026 Q1"].completeness.sentence == "2 of 2 programs reported" and not totals["2026 Q1"].incomplete
    assert totals["2026 Q2"].completeness.sentence == "1 of 2 programs reported" and totals["2026 Q2"].incomplete
    page = response.content.decode()
    assert "1 of 2 programs reported" in page and "(incomplete)" in page and "Late: not received" in page
    # The chart marks the incomplete quarter: an open dot and an asterisk under its label.
    assert "2026 Q2*" in page and "ipshub-dot-incomplete" in page
    # The program's own page gives the same status for each quarter.
    own = client_for(world.state_lead).get(reverse("outcomes:program", args=[p2.pk]))
    statuses = {str(c.quarter): c.standing.label for c in own.context["quarter_cells"]}
    assert statuses["2026 Q1"] == "Accepted (submitted late)" and statuses["2026 Q2"] == "Late: not received"
    # Nobody of another state sees the program.
    assert client_for(world.other_state_lead).get(reverse("outcomes:program", args=[p2.pk])).status_code == 404


def test_api_gives_the_same_status_and_the_completeness(world, api) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _p1, p2 = _two_programs(world)
    answer = api(world.state_lead).get(
        f"/api/v1/states/{world.state_a.pk}/outcomes/", {"year": 2026, "quarter": 2, "quarters": 2}
    )
    assert answer.status_code == 200, answer.content
    q1, q2 = answer.json()["quarters"]
    assert (q1["programs_expected"], q1["programs_reported"], q1["complete"]) == (2, 2, True)
    assert (q2["programs_expected"], q2["programs_reported"], q2["complete"]) == (2, 1, False)
    assert q2["reported"] == "1 of 2 programs reported"
    assert q1["late"] == [{"id": p2.pk, "name": p2.name}] and q1["missing"] == []
    assert q2["missing"] == [{"id": p2.pk, "name": p2.name}] and q2["late"] == []
    report = QuarterlyReport.objects.get(program=p2, year=2026, quarter=1)
    data = api(world.state_lead).get(f"/api/v1/outcome-reports/{report.pk}/").json()
    assert (data["quarter_status"], data["quarter_status_label"]) == ("late", "Accepted (submitted late)")


# --- The demo ------------------------------------------------------------------------------------------------


def test_the_demo_flags_only_real_late_and_missing_reports(demo) -> None:  # type: ignore[no-untyped-def]
    state = State.objects.get(code="WM")
    board = selectors.state_dashboard(
        state=state,
        programs=Program.objects.filter(state=state),
        definition_code=DEFAULT_CODE,
        quarters=selectors.window(selectors.last_complete_quarter(timezone.localdate()), 8),
    )
    deadline_flags = {
        p.name: [f for f in p.flags if f.startswith(("Late", "Missing"))] for p in board.programs if p.flags
    }
    last = board.quarters[-1]
    assert {name: flags for name, flags in deadline_flags.items() if flags} == {
        "Red Cedar Nation IPS": [f"Late report: {last.previous()}"]
    }
    pine = next(p for p in board.programs if p.name == "Pine County IPS")
    assert all(c.standing and c.standing.status == QuarterStatus.ACCEPTED for c in pine.cells)
    lake = next(p for p in board.programs if p.name == "Lake County IPS")
    assert lake.cells[-1].standing.status == QuarterStatus.RETURNED  # returned on time: neither missing nor late
    total = board.totals[-1]
    assert total.incomplete and total.completeness.sentence == "2 of 3 programs reported"


# --- The chart: one SVG for the page and the PDF -------------------------------------------------------------


def _check_chart(svg_text: str, labels: list[str]) -> None:
    svg = ET.fromstring(svg_text)
    width = float(svg.get("viewBox", "0 0 0 0").split()[2])
    lines = svg.findall(f"{SVG}polyline")
    assert lines and all(line.get("fill") == "none" and line.get("stroke") for line in lines)
    benchmark_lines = [e for e in svg.findall(f"{SVG}line") if "ipshub-bm-" in (e.get("class") or "")]
    assert len(benchmark_lines) == 3 and all(e.get("stroke") and e.get("stroke-dasharray") for e in benchmark_lines)
    texts = svg.findall(f"{SVG}text")
    shown = [t.text or "" for t in texts]
    for label in labels:
        assert label in shown, (label, shown)
    for t in texts:
        assert t.get("font-size") == "11" and t.get("fill")
        x, size = float(t.get("x", 0)), len(t.text or "") * charts.TEXT_CHAR_WIDTH
        anchor = t.get("text-anchor", "start")
        left = x - size if anchor == "end" else x - size / 2 if anchor == "middle" else x
        assert left >= 0 and left + size <= width, (t.text, left, size)


def test_the_state_pdf_draws_the_web_chart(world, client_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _two_programs(world)
    client = client_for(world.state_lead)
    query = "?end=2026-Q2&quarters=4"
    page = client.get(reverse("outcomes:dashboard") + query).content.decode()
    rendered: list[str] = []
    real = exports.render_to_string

    def keep(template: str, context: dict[str, Any]) -> str:
        rendered.append(real(template, context))
        return rendered[-1]

    monkeypatch.setattr(exports, "render_to_string", keep)
    pdf = client.get(reverse("outcomes:dashboard_export") + query + "&format=pdf")
    assert pdf.content.startswith(b"%PDF")
    state_chart = re.compile(r'<svg[^>]*aria-labelledby="chart-state-title[^"]*".*?</svg>', re.S)
    web_svg, pdf_svg = state_chart.search(page), state_chart.search(rendered[0])
    assert web_svg and pdf_svg and web_svg.group(0) == pdf_svg.group(0)  # one code path, the same drawing
    labels = ["Minimal 31%", "Average 41%", "Excellent 50%", "2026 Q2*"]
    _check_chart(pdf_svg.group(0), labels)
    text = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf.content)).pages)
    for label in ("Minimal 31%", "Excellent 50%", "1 of 2 programs reported"):
        assert label in text, label


def test_the_chart_fits_a_long_series_and_a_goal() -> None:
    points = [charts.Point(f"20{20 + i // 4} Q{i % 4 + 1}", Decimal(30 + i % 7)) for i in range(40)]
    svg = charts.rate_chart(
        "c", "t", points, {"minimal": Decimal(31), "average": Decimal(41), "excellent": Decimal(50)}, Decimal(45)
    )
    _check_chart(svg, ["Minimal 31%", "Goal 45%"])


# --- Excel cells are typed --------------------------------------------------------------------------------


def test_excel_exports_store_numbers_as_numbers(world, client_for) -> None:  # type: ignore[no-untyped-def]
    p1, _p2 = _two_programs(world)
    client = client_for(world.state_lead)
    book = load_workbook(
        io.BytesIO(client.get(reverse("outcomes:dashboard_export") + "?end=2026-Q2&quarters=4&format=xlsx").content)
    )
    totals = book["State totals"]
    header = [c.value for c in totals[1]]
    assert header[:4] == ["Quarter", "Served", "Worked", "Employment rate (%)"]
    assert header[4:] == ["Programs reported", "Programs expected", "Programs in the total", "Complete"]
    q1 = {c.column_letter: c for c in totals[4]}  # 2025 Q3, Q4, 2026 Q1, Q2
    assert totals["A4"].value == "2026 Q1"
    assert (q1["B"].data_type, q1["B"].value) == ("n", 100) and isinstance(q1["B"].value, int)
    assert (q1["D"].data_type, q1["D"].value, q1["D"].number_format) == ("n", 40.0, "0.0")
    assert (q1["E"].value, q1["F"].value, q1["H"].value) == (2, 2, "yes")
    assert totals["H5"].value == "no: incomplete"
    programs = book["Programs"]
    deadline = [c for c in programs[4] if isinstance(c.value, datetime.datetime)]  # P1, 2026 Q1
    assert deadline and deadline[0].number_format == "yyyy-mm-dd"
    QuarterlyReport.objects.filter(program=p1).update(avg_hourly_wage=Decimal("16.75"))
    own = load_workbook(
        io.BytesIO(client.get(reverse("outcomes:program_export", args=[p1.pk]) + "?format=xlsx&exact=1").content)
    ).worksheets[0]
    header = [c.value for c in own[1]]
    row = {header[i]: cell for i, cell in enumerate(own[2])}
    assert row["People served"].data_type == "n" and row["People served"].value == 62
    wage = row["Average hourly wage"]
    assert (wage.data_type, wage.value, wage.number_format) == ("n", 16.75, "0.00")
    assert row["Quarter status"].value == "Accepted" and isinstance(row["Deadline"].value, datetime.datetime)
    rate = row["Employment rate (%)"]
    assert (rate.data_type, rate.number_format) == ("n", "0.0")
