"""The program's director lists the people invited to the visit's interviews, on a phone: a wrong submit
keeps what was typed and shows every error; after each save the confirmation is in view; axe on every page."""

import pytest
from playwright.sync_api import expect

from ipshub.fidelity.models import ReviewInvitee
from tests.fidelity import factories
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHO = "Client A, job seeker, two years in services"


def test_the_director_lists_an_invitation_on_a_phone(ui, world) -> None:
    review = factories.planned_review(world, visit_in=10)
    ui.page.set_viewport_size({"width": 390, "height": 844})
    page = ui.sign_in("director", PASSWORD)
    page = ui.goto(f"/fidelity/reviews/{review.pk}/")
    expect(page.get_by_role("heading", name="Clients and family members invited to be interviewed")).to_be_visible()
    ui.field("Who was invited").fill(WHO)
    ui.field("Invited on").fill(factories.days(30).isoformat())
    page.get_by_role("button", name="Add to the list").click()
    ui.checked()
    summary = page.locator(".usa-alert--error, .usa-error-message").first
    expect(summary).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Choose whether a client or a family member was invited.")
    expect(page.get_by_role("main")).to_contain_text("is in the future")
    expect(ui.field("Who was invited")).to_have_value(WHO)
    ui.field("Client or family member").select_option(label="Client")
    ui.field("Invited on").fill(factories.days(-1).isoformat())
    page.get_by_role("button", name="Add to the list").click()
    ui.checked()
    expect(page.get_by_role("table", name="People invited to the interviews")).to_contain_text(WHO)
    # The page opens at the list (#invitees), and the confirmation is still in view.
    expect(page.get_by_text("The invitation was recorded.")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Answer of invitee 1").select_option(label="Accepted")
    page.get_by_role("button", name="Save the answer of invitee 1").click()
    ui.checked()
    expect(page.get_by_text("The answer was saved.")).to_be_in_viewport()
    assert ReviewInvitee.objects.get().accepted is True
