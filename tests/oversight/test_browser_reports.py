"""In the browser: a supervisor breaks the glass for a record of another program, the state lead sees it
flagged and reads who saw the client and what the supervisor saw. axe checks every page."""

import pytest
from playwright.sync_api import expect

from ipshub.audit.models import BreakGlassGrant
from tests.clients.factories import enroll
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_break_glass_then_the_audit_reports(ui, transactional_db) -> None:
    world = build_world(with_catalog=False)
    record = enroll(
        world, program="p2", referrer="other_agency_director", supervisor=None, specialist=None, first="Ilse"
    )
    page = ui.sign_in("supervisor", PASSWORD)
    ui.goto("/audit/break-glass/new/")
    ui.field("Client record number").fill(str(record.pk))
    ui.field("Why do you need this record now?").fill("urgent")
    page.get_by_role("button", name="Open the record").click()
    ui.checked()
    expect(page.get_by_role("alert").first).to_contain_text("Say why")
    ui.field("Why do you need this record now?").fill("Covering Harbor's caseload while their supervisor is out")
    page.get_by_label("For how long").select_option(label="30 minutes")
    page.get_by_role("button", name="Open the record").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ilse")
    assert BreakGlassGrant.objects.filter(person=world.people["supervisor"], enrollment=record).exists()
    page.context.clear_cookies()

    page = ui.sign_in("state_lead", PASSWORD)
    ui.goto("/audit/break-glass/")
    expect(page.get_by_role("table")).to_contain_text("Covering Harbor")
    page.get_by_role("link", name=f"Client record {record.pk}").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Who saw Client record {record.pk}")
    expect(page.get_by_role("table")).to_contain_text("breakglass.view")
    expect(page.locator("main")).not_to_contain_text("Ilse")
    page.get_by_role("link", name="supervisor").first.click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text(f"Client record {record.pk}")
    ui.goto("/audit/reports/")
    ui.field("Username").fill("specialist")
    page.get_by_role("button", name="Show the report").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("saw")
