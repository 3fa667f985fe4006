"""DVR exports with formulas planted in the client's names and record number: the billing CSV and the money
CSV/XLSX read back hold no formula, quote every planted text and keep numbers and dates typed (#20)."""

import datetime

import pytest
from django.urls import reverse

from ipshub.dvr import services
from tests.clients.factories import days_ago
from tests.dvr.factories import authorize, consented
from tests.exports import PLANTED, check_csv, check_xlsx, csv_rows, neutralised_texts, plant_clients, xlsx_sheets
from tests.world import World

pytestmark = pytest.mark.django_db


def _planted_dvr_clients(world: World) -> None:
    for enrollment in plant_clients(world):
        authorize(world, consented(world, enrollment))
        services.billable_unit_create(
            actor=world.people["specialist"],
            enrollment=enrollment,
            service_on=days_ago(0),
            minutes=40,
            service_code="h2023",
            funding_source="medicaid",
        )


def test_the_billing_export_neutralises_planted_client_names(world: World, client_for) -> None:
    _planted_dvr_clients(world)
    url = reverse("dvr:billing", kwargs={"program_id": world.programs["p1"].pk})
    month = datetime.date.today().strftime("%Y-%m")
    rows = csv_rows(client_for(world.supervisor).get(f"{url}?month={month}&format=csv"))
    assert len(rows) == 1 + len(PLANTED)
    check_csv(
        rows,
        planted=["Client record number", "Client last name", "Client first name"],
        numbers=["Minutes", "Units"],
        dates=["Date of service", "Birth date"],
    )
    assert set(PLANTED) - {"\tx"} <= neutralised_texts(rows)  # the services trim names, tab and all


def test_the_money_exports_keep_amounts_numeric(world: World, client_for) -> None:
    _planted_dvr_clients(world)
    url = reverse("dvr:money_state", kwargs={"state_id": world.state_a.pk})
    client = client_for(world.admin)
    amounts = ["Authorized", "Earned", "Paid"]
    check_csv(csv_rows(client.get(url + "?format=csv")), numbers=amounts)
    sheets = xlsx_sheets(client.get(url + "?format=xlsx"))
    assert list(sheets) == ["DVR money"]
    check_xlsx(sheets["DVR money"], numbers=amounts)
