"""Outcome exports with formulas planted in program names, regions and funding sources: the CSV and XLSX read
back hold no formula, quote every planted text, and keep counts and rates numeric, shared or exact (#20)."""

import pytest
from django.urls import reverse

from ipshub.outcomes import services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.uploads import COLUMNS
from tests.exports import PLANTED, check_csv, check_xlsx, csv_rows, neutralised_texts, plant_program_names, xlsx_sheets
from tests.world import World

pytestmark = pytest.mark.django_db

COUNTS = ["Served", "Worked", "Employment rate (%)"]


def _plant(world: World) -> None:
    """P1 and P2 renamed after planted values, both with a quarter large enough to be shown exactly."""
    plant_program_names(world)
    for key in ("p1", "p2"):
        program = world.programs[key]
        report = services.report_save(
            actor=world.admin,
            program=program,
            year=2025,
            quarter=1,
            definition_code=DEFAULT_CODE,
            figures={"served": 40, "worked": 20, "avg_weekly_hours": 18, "avg_hourly_wage": 16},
        )
        services.report_submit(actor=world.admin, report=report)
        services.report_accept(actor=world.admin, report=report)


@pytest.mark.parametrize("exact", ["0", "1"])
def test_the_state_dashboard_exports_neutralise_planted_names(world: World, client_for, exact: str) -> None:
    _plant(world)
    client = client_for(world.state_lead)
    url = reverse("outcomes:dashboard_export") + f"?end=2025-Q1&quarters=4&exact={exact}"
    columns = [
        {"numbers": COUNTS},
        {"planted": ["Group"], "numbers": COUNTS},
        {"planted": ["Program", "Region", "Funding source"], "numbers": COUNTS},
    ]
    found: set[str] = set()
    for index, checks in enumerate(columns):
        rows = csv_rows(client.get(f"{url}&table={index}"))
        check_csv(rows, **checks)
        found |= neutralised_texts(rows)
    assert set(PLANTED) - {"\tx"} <= found  # the service trims the tab off a name
    sheets = xlsx_sheets(client.get(url + "&format=xlsx"))
    for (title, sheet), checks in zip(sheets.items(), columns, strict=False):
        check_xlsx(sheet, **checks)
        assert title


@pytest.mark.parametrize("exact", ["0", "1"])
def test_a_program_export_keeps_its_figures_numeric(world: World, client_for, exact: str) -> None:
    _plant(world)
    client = client_for(world.supervisor)
    url = reverse("outcomes:program_export", args=[world.programs["p1"].pk]) + f"?exact={exact}"
    numbers = ["Version", "People served", "People who worked in a competitive job", "Employment rate (%)"]
    numbers += ["Average weekly hours", "Average hourly wage"]
    check_csv(csv_rows(client.get(url)), numbers=numbers)
    (sheet,) = xlsx_sheets(client.get(url + "&format=xlsx")).values()
    check_xlsx(sheet, numbers=numbers)


def test_the_upload_template_has_numeric_figures(world: World, client_for) -> None:
    rows = csv_rows(client_for(world.supervisor).get(reverse("outcomes:upload_template")))
    assert rows[0] == list(COLUMNS)
    check_csv(rows, numbers=COLUMNS[:2] + COLUMNS[3:])
