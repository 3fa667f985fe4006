"""The client, job and employer-contact exports (API and the web export of an import) with a formula planted
in every text column: read back with the csv module and openpyxl, no cell is a formula, every planted text
starts with a quote, and numbers and dates are typed (issue #20, finding 2)."""

import pytest
from django.urls import reverse

from tests.exports import PLANTED, check_csv, check_xlsx, csv_rows, neutralised_texts, plant_clients, xlsx_sheets
from tests.world import World

pytestmark = pytest.mark.django_db

COLUMNS = {
    "clients": {
        "planted": ["record_number", "first_name", "last_name", "preferred_name", "phone", "email", "referral_note"],
        "dates": ["birth_date", "referral_date"],
    },
    "jobs": {
        "planted": ["client_record_number", "employer", "title", "end_note"],
        "numbers": ["hours_per_week", "hourly_wage"],
        "dates": ["started_on", "ended_on"],
    },
    "employer-contacts": {"planted": ["employer", "client_record_number", "outcome"], "dates": ["contacted_on"]},
}


def _check(csv_response, xlsx_response, kind: str) -> None:
    rows = csv_rows(csv_response)
    check_csv(rows, **COLUMNS[kind])
    assert len(rows) == 1 + len(PLANTED)
    # Every planted value reached the file, neutralised (the services trim the tab off names, not off notes).
    assert set(PLANTED) <= neutralised_texts(rows), neutralised_texts(rows)
    (sheet,) = xlsx_sheets(xlsx_response).values()
    check_xlsx(sheet, **COLUMNS[kind])
    assert [str(c.value) for c in sheet[0]] == rows[0]


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_api_exports_neutralise_planted_formulas(world: World, api, kind: str) -> None:
    plant_clients(world)
    client = api(world.supervisor)
    url = f"/api/v1/exports/{kind}/?program={world.programs['p1'].pk}"
    _check(client.get(url + "&file_format=csv"), client.get(url + "&file_format=xlsx"), kind)


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_the_web_export_of_an_import_neutralises_planted_formulas(world: World, client_for, kind: str) -> None:
    plant_clients(world)
    client = client_for(world.supervisor)
    url = reverse("tokens:import-export", args=[world.programs["p1"].pk]) + f"?kind={kind}"
    _check(client.get(url + "&file_format=csv"), client.get(url + "&file_format=xlsx"), kind)
