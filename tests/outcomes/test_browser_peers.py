"""The peer page and the early warning in a browser, as the state lead: axe finds nothing, and both fit a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshub.outcomes import early_warning
from tests.browsing import wider_than_a_phone
from tests.outcomes.test_early_warning import _world
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_state_lead_reads_the_peers_and_the_early_warning(ui) -> None:
    world = build_world()
    programs, hooks = _world(world)
    with hooks:
        early_warning.early_warning_refit(actor=None, today=timezone.localdate())
        page = ui.sign_in("state_lead", PASSWORD)
        ui.goto(f"/outcomes/programs/{programs['p1'].pk}/")
        page.get_by_role("link", name="How it compares").click()
        ui.checked()
        expect(page.get_by_role("heading", level=1)).to_have_text("How Program P1 compares")
        expect(page.get_by_role("heading", name="The programs of State A")).to_be_visible()
        assert not wider_than_a_phone(page)
        ui.goto("/outcomes/early-warning/")
        expect(page.get_by_role("row").nth(1)).to_contain_text("Program A1")
        assert not wider_than_a_phone(page)
