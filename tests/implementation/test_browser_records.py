"""The tick-box duties' records in the browser, on the demo's Pine County: the state lead sends a data
request, the IPS supervisor answers it (a file of the wrong kind first), the director logs outreach and the
handouts displayed, and the state lead sends the revenue sources. axe-core checks every page visited; the
pages fit a 390 px wide phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.implementation.models import DataRequest, DataRequestAnswer, MaterialDistribution, OutreachActivity
from ipshub.tenancy.models import Program
from tests.browsing import CheckedPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = "specialist,caseload\nJamie Patel,19\n"


@pytest.fixture
def pine(demo: None) -> Program:
    return Program.objects.get(name="Pine County IPS")


def sign_out(ui: CheckedPage) -> None:
    ui.page.get_by_role("button", name="Sign out").click()
    ui.checked()


def test_data_request_outreach_and_materials(ui: CheckedPage, pine: Program, tmp_path) -> None:
    page = ui.page
    today = timezone.localdate()
    ui.sign_in("statelead", DEMO_PASSWORD)
    ui.goto(f"/implementation/programs/{pine.pk}/responsibilities/")
    page.get_by_role("navigation", name="Program sections").get_by_role("link", name="Data requests").click()
    ui.checked()
    ui.field("What data is asked for").fill("Employer contacts per specialist, last month")
    page.get_by_label("A spreadsheet (CSV or Excel .xlsx)").check()
    ui.field("Date of the request").fill(today.isoformat())
    ui.field("Due date").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Send the request").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data request of")
    asked = DataRequest.objects.get(what="Employer contacts per specialist, last month")
    # The revenue sources, from the library, sent to the program.
    ui.goto(f"/implementation/programs/{pine.pk}/resources-sent/")
    expect(page.get_by_role("table")).to_contain_text("Paying for IPS in Westmark")
    sign_out(ui)

    ui.sign_in("supervisor", DEMO_PASSWORD)
    ui.goto(f"/implementation/programs/{pine.pk}/data-requests/{asked.pk}/")
    wrong = tmp_path / "contacts.pdf"
    wrong.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("File").set_input_files(str(wrong))
    page.get_by_role("button", name="Send the file").click()
    ui.checked()
    expect(page.get_by_text("is not what this request accepts").first).to_be_visible()
    assert not DataRequestAnswer.objects.filter(request=asked).exists()
    right = tmp_path / "contacts.csv"
    right.write_text(CSV)
    page.get_by_label("File").set_input_files(str(right))
    page.get_by_role("button", name="Send the file").click()
    ui.checked()
    expect(page.get_by_role("link", name="contacts.csv")).to_be_visible()
    sign_out(ui)

    ui.sign_in("director", DEMO_PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    ui.goto(f"/implementation/programs/{pine.pk}/outreach/")
    ui.field("Date").fill(today.isoformat())
    page.get_by_label("What was shared").select_option(label="Presentation")
    ui.field("Forum or audience").fill("Pine County Rotary Club")
    page.get_by_role("button", name="Log outreach").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("Pine County Rotary Club")
    assert OutreachActivity.objects.filter(program=pine, forum="Pine County Rotary Club").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ui.goto(f"/implementation/programs/{pine.pk}/materials/")
    page.get_by_label("IPS handouts and posters").check()
    ui.field("Date").fill(today.isoformat())
    ui.field("To whom, or where").fill("The new clinic in Pine Falls")
    page.get_by_role("button", name="Log it").click()
    ui.checked()
    assert MaterialDistribution.objects.filter(program=pine, recipients="The new clinic in Pine Falls").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
