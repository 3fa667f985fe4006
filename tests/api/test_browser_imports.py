"""A supervisor uploads a spreadsheet with bad rows on the import page, sees every bad row with its row and
column, fixes the file, checks it again and imports it, watching the progress (htmx polls a chunk of rows
per request) until it is complete. axe checks every page."""

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Enrollment
from tests.clients.factories import days_ago
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "record_number,first_name,last_name,birth_date,referral_date,referral_source"


def _file(rows: list[str]) -> dict:
    return {"name": "referrals.csv", "mimeType": "text/csv", "buffer": "\n".join([HEADER, *rows]).encode()}


def _upload(ui, rows: list[str]) -> None:
    page = ui.goto("/account/imports/")
    ui.field("What the file holds").select_option(label="Clients (referrals)")
    page.locator("input[type=file][name=file]").set_input_files(_file(rows))
    page.get_by_label("Check the file only (dry run): nothing is saved").check()
    page.get_by_role("button", name="Go").click()


def test_a_supervisor_fixes_the_bad_rows_then_imports_with_progress(ui, settings) -> None:
    settings.IPSHUB_IMPORT_CHUNK_ROWS = 2  # a few requests even for a small file: the progress moves
    build_world()
    referred = days_ago(10).isoformat()
    good = [f"MR-{i},Person{i},Tester,1980-01-0{i},{referred},self" for i in range(1, 6)]
    bad = [
        good[0],
        f"MR-2,,Tester,1980-01-02,{referred},self",  # row 3: no first name
        good[2],
        f"MR-4,Person4,Tester,1980-13-04,{referred},nobody",  # row 5: bad birth date and source
        good[4],
        f"MR-6,Person6,Tester,1980-01-06,{referred},self",
    ]
    page = ui.sign_in("supervisor", PASSWORD)
    _upload(ui, bad)
    expect(page.get_by_role("heading", level=2, name="Checked: nothing was saved")).to_be_visible(timeout=30_000)
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of referrals.csv")
    expect(page.get_by_text("Done: 6 of 6 rows")).to_be_visible()
    problems = page.get_by_role("table", name="Rows with problems (the header is row 1)")
    rows = problems.locator("tbody tr")
    expect(rows).to_have_count(3)
    cells = [" | ".join(rows.nth(i).locator("td").all_inner_texts()) for i in range(3)]
    assert cells[0] == "3 | first_name | This column is required: fill it in."
    assert {c.split(" | ")[1] for c in cells[1:]} == {"birth_date", "referral_source"}
    assert all(c.startswith("5 | ") for c in cells[1:])
    assert Enrollment.objects.count() == 0

    # Fixed in the spreadsheet: checked again, then imported from the check (no second upload).
    _upload(ui, [*good, f"MR-6,Person6,Tester,1980-01-06,{referred},self"])
    expect(page.get_by_role("heading", level=2, name="Checked: nothing was saved")).to_be_visible(timeout=30_000)
    ui.checked()
    expect(page.get_by_text("Every row is good")).to_be_visible()
    expect(page.get_by_role("table", name="Rows with problems (the header is row 1)")).to_have_count(0)
    page.get_by_label("Every row, or nothing if any row is bad").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Imported")).to_be_visible(timeout=30_000)
    ui.checked()
    expect(page.get_by_text("6 new, 0 updated, 0 already in IPS Hub, 0 with problems")).to_be_visible()
    bar = page.locator("progress#import-bar")
    assert bar.get_attribute("value") == bar.get_attribute("max") == "6"
    assert Enrollment.objects.filter(program__name="Program P1").count() == 6

    # The page lists the imports; the uploader's job pages stay readable.
    ui.goto("/account/imports/")
    expect(page.get_by_role("table", name="The last ten files you uploaded").locator("tbody tr")).to_have_count(3)
