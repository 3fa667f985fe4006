"""The state lead reads the demo's state dashboard and a late program's page: the flag list names the one late
report, the incomplete quarter says so, axe finds nothing and both pages fit a phone's width."""

import pytest
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Program
from tests.browsing import wider_than_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_state_lead_sees_trustworthy_figures(ui, demo) -> None:  # type: ignore[no-untyped-def]
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    ui.goto("/outcomes/")
    flags = page.get_by_role("table", name="Programs below the minimal benchmark")
    expect(flags).to_contain_text("Late report")
    expect(flags).not_to_contain_text("Missing report")
    expect(page.get_by_role("table", name="State totals by quarter")).to_contain_text("2 of 3 programs reported")
    expect(page.get_by_role("table", name="State totals by quarter")).to_contain_text("(incomplete)")
    assert wider_than_a_phone(page) == []
    red_cedar = Program.objects.get(name="Red Cedar Nation IPS")
    ui.goto(f"/outcomes/programs/{red_cedar.pk}/")
    quarters = page.get_by_role("table", name="The last complete quarters, latest first")
    expect(quarters).to_contain_text("Accepted (submitted late)")
    assert wider_than_a_phone(page) == []
