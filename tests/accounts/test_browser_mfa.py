import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ipshub.accounts.enrolment import enrolment_code_issue
from tests.accounts.test_security import totp_code
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_sets_up_two_factor_sign_in(ui, settings) -> None:
    settings.IPSHUB_MFA_REQUIRED = True
    world = build_world()
    page = ui.sign_in("specialist", PASSWORD)
    # The password alone shows no QR code: first the enrolment code an administrator gave the person.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".ipshub-qr")).to_have_count(0)
    ui.field("Enrolment code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Continue").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("That enrolment code is not right")
    code = enrolment_code_issue(actor=world.people["admin"], person=world.people["specialist"])
    ui.field("Enrolment code").fill(code)
    page.get_by_role("button", name="Continue").click()
    ui.checked()
    expect(page.locator(".ipshub-qr")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="specialist")
    ui.field("Code").fill("123")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    device.refresh_from_db()
    device.throttle_reset()  # a person takes longer than django-otp's 1-second back-off to type again
    ui.field("Code").fill(totp_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator(".ipshub-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue to IPS Hub").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    ui.goto("/accounts/")
    expect(page.locator(".ipshub-facts")).to_contain_text("On")
