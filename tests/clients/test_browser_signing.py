"""In the browser: a case manager opens a client and prepares a release to share with the DVR office, the
client draws their signature on the device, the signed PDF holds every required element; the DVR counselor
then reads the progress notes marked shareable and not the others; revoking the consent ends the counselor's
access at once. axe checks every page (the signing page included)."""

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Consent
from tests.clients.case_file_factories import write_note
from tests.clients.factories import enroll
from tests.clients.test_signing import in_pdf, pdf_text
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUIRED_ELEMENTS = (
    "Robin Lakes",  # whose information
    "A Pine County Human Services",  # who discloses
    "A DVR Pine Office",  # to whom
    "What may be shared: my work goals",  # what information
    "Why it is shared: to plan and coordinate my employment services",  # for what purpose
    "and ends on",  # until when
    "I may revoke (take back) this permission at any time",  # the right to revoke
    "To revoke it, I tell any staff member",  # and how
    "My treatment, payment, enrollment and eligibility",  # treatment does not depend on signing
    "do not depend on signing",
    "Signature of Robin Lakes",  # the signature
    "Date signed:",  # and the date
)


def test_the_client_draws_a_signature_and_revoking_ends_the_dvr_counselors_access(ui) -> None:
    world = build_world(with_catalog=False)
    enrollment = enroll(world, first="Robin", last="Lakes")
    write_note(world.case_manager, enrollment, "Robin is ready to apply to DVR.", shareable=True, kind="client")
    write_note(world.case_manager, enrollment, "Talked about the hospital stay last spring.", kind="treatment_team")

    page = ui.sign_in("case_manager", PASSWORD)
    ui.goto("/clients/")
    page.get_by_role("link", name="Lakes, Robin").click()
    ui.checked()
    page.get_by_role("navigation", name="Client record sections").get_by_role("link", name="Consents").click()
    ui.checked()
    page.get_by_role("link", name="Sign a release with the client").click()
    ui.checked()
    page.get_by_label("Share with").select_option(label="A DVR Pine Office")
    page.get_by_role("button", name="Show the release to the client").click()
    ui.checked()  # the hand-over page, with its signature pad

    expect(page.get_by_role("heading", level=1)).to_have_text("Please read this release, then sign it")
    expect(page.locator(".clients-release")).to_contain_text("A DVR Pine Office")
    canvas = page.locator("canvas[data-signature-canvas]")
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()  # the mouse draws in the viewport's coordinates
    box = canvas.bounding_box()
    assert box is not None
    left, middle = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(left, middle)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(left + step * 25, middle + (18 if step % 2 else -18), steps=3)
    page.mouse.up()
    expect(page.get_by_label("Draw my signature")).to_be_checked()
    expect(page.locator("[data-signature-status]")).to_contain_text("Signature drawn")
    page.get_by_role("button", name="Sign the release").click()
    ui.checked()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consent to share with A DVR Pine Office")
    consent = Consent.objects.get(client=enrollment.client)
    assert consent.signed_by == "drawn" and consent.signature_image and consent.document
    text = pdf_text(consent)
    missing = [element for element in REQUIRED_ELEMENTS if not in_pdf(element, text)]
    assert not missing, f"not in the PDF: {missing}"
    expect(page.get_by_role("link", name="Download the signed release (PDF)")).to_be_visible()
    consent_url = page.url

    # Under the consent, the counselor reads what was marked shareable with DVR, and only that.
    page.context.clear_cookies()
    ui.sign_in("counselor", PASSWORD)
    ui.goto(f"/clients/{enrollment.pk}/record/notes/")
    expect(page.locator("main")).to_contain_text("Robin is ready to apply to DVR.")
    expect(page.locator("main")).not_to_contain_text("hospital stay")

    page.context.clear_cookies()
    ui.sign_in("case_manager", PASSWORD)
    ui.goto(consent_url.removeprefix(ui.base_url))
    page.get_by_role("link", name="Revoke this consent").click()
    ui.checked()
    page.get_by_label("Verbally (in person or by phone)").check()
    page.get_by_role("button", name="Revoke consent").click()
    ui.checked()
    expect(page.get_by_role("status").first).to_contain_text("was revoked")
    consent.refresh_from_db()
    assert consent.revoked_how == "verbal" and consent.revoked_by == world.case_manager

    page.context.clear_cookies()
    ui.sign_in("counselor", PASSWORD)
    for gone in (f"/clients/{enrollment.pk}/", f"/clients/{enrollment.pk}/record/notes/"):
        response = page.goto(f"{ui.base_url}{gone}")
        assert response is not None and response.status == 404, gone
