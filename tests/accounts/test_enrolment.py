"""Backup codes kept only as hashes, and first enrolment that needs more than the password."""

import datetime
import importlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipshub.accounts import mfa
from ipshub.accounts.enrolment import enrolment_code_email, enrolment_code_issue
from ipshub.accounts.models import EnrolmentCode
from ipshub.audit.models import AuditEvent
from tests.accounts.test_security import sign_in, totp_code
from tests.world import World

pytestmark = pytest.mark.django_db


# --- Backup codes -----------------------------------------------------------------------------------


def test_backup_codes_are_stored_hashed_and_each_works_once(world: World) -> None:
    person = world.people["specialist"]
    codes = mfa.mfa_new_backup_codes(person=person)
    stored = list(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(stored) == 10 and all(token.startswith("#") for token in stored)
    assert not set(codes) & set(stored)
    assert not any(code in token for code in codes for token in stored)

    device = StaticDevice.objects.get(user=person)
    assert mfa.verify(person, "12345678") is None  # wrong (and, with 10 of 10^8, surely not among them)
    device.refresh_from_db()
    device.throttle_reset()
    assert mfa.verify(person, codes[3]) == device
    device.refresh_from_db()
    device.throttle_reset()
    assert mfa.verify(person, codes[3]) is None  # used
    assert StaticToken.objects.filter(device=device).count() == 9


def test_backup_codes_survive_a_secret_key_rotation(world: World, settings) -> None:
    person = world.people["specialist"]
    codes = mfa.mfa_new_backup_codes(person=person)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-" + "x" * 40, [old]
    assert mfa.verify(person, codes[0]) is not None


def test_the_migration_hashes_plain_codes_as_the_product_checks_them(world: World) -> None:
    person = world.people["specialist"]
    device = StaticDevice.objects.create(user=person, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=device, token="24681357")  # as stored before this release
    already = mfa.backup_code_hashes("11112222")[0]
    StaticToken.objects.create(device=device, token=already)
    migration = importlib.import_module("ipshub.accounts.migrations.0003_hash_backup_codes")
    from django.apps import apps

    migration.hash_plain_codes(apps, None)
    assert set(StaticToken.objects.filter(device=device).values_list("token", flat=True)) == {
        mfa.backup_code_hashes("24681357")[0],
        already,  # left alone
    }
    assert mfa.verify(person, "24681357") == device


# --- Enrolment codes ------------------------------------------------------------------------------


@pytest.fixture
def required(settings) -> None:
    settings.IPSHUB_MFA_REQUIRED = True


def test_a_password_alone_cannot_enrol_an_authenticator(world: World, required) -> None:
    thief = Client()
    sign_in(thief, "specialist")
    assert thief.get(reverse("accounts:mfa_setup"))["Location"] == reverse("accounts:mfa_enrol")
    assert thief.post(reverse("accounts:mfa_setup"), {"code": "123456"})["Location"] == reverse("accounts:mfa_enrol")
    page = thief.get(reverse("accounts:mfa_enrol"))
    assert page.status_code == 200 and "<svg" not in page.content.decode()
    wrong = thief.post(reverse("accounts:mfa_enrol"), {"code": "ABCD-EFGH-JKMN"})
    assert wrong.status_code == 400 and "That enrolment code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.people["specialist"]).exists()
    assert AuditEvent.objects.filter(action="mfa.enrolment_code.failed", actor=world.people["specialist"]).exists()


def test_an_administrator_issues_a_code_that_works_once_and_is_stored_hashed(world: World, client_for, settings):
    subject = world.people["specialist"]
    admin = client_for(world.people["admin"])  # signed in with a password only: two-factor is off until below
    page = admin.post(reverse("tenancy:person_enrolment_code", args=[subject.pk]))
    assert page.status_code == 200
    code = page.context["enrolment_code"]
    assert code in page.content.decode() and len(code) == 14
    row = EnrolmentCode.objects.get(person=subject)
    assert code not in row.code_hash and code.replace("-", "") not in row.code_hash
    assert row.expires_at - row.created_at <= datetime.timedelta(hours=24)
    assert AuditEvent.objects.filter(action="mfa.enrolment_code.issue", object_id=str(subject.pk)).exists()

    settings.IPSHUB_MFA_REQUIRED = True
    person = Client()
    sign_in(person, "specialist")
    typed = code.lower().replace("-", " ")  # read aloud and typed loosely: still accepted
    assert person.post(reverse("accounts:mfa_enrol"), {"code": typed})["Location"] == reverse("accounts:mfa_setup")
    assert "<svg" in person.get(reverse("accounts:mfa_setup")).content.decode()
    device = TOTPDevice.objects.get(user=subject, confirmed=False)
    done = person.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)})
    assert len(done.context["codes"]) == 10

    again = Client()  # the same code a second time: refused
    sign_in(again, "specialist")
    TOTPDevice.objects.filter(user=subject).delete()
    assert again.post(reverse("accounts:mfa_enrol"), {"code": code}).status_code == 400


def test_an_expired_code_is_refused(world: World, required) -> None:
    code = enrolment_code_issue(actor=world.people["admin"], person=world.people["specialist"])
    now = timezone.now()  # issued 25 hours ago:
    EnrolmentCode.objects.update(
        created_at=now - datetime.timedelta(hours=25), expires_at=now - datetime.timedelta(hours=1)
    )
    client = Client()
    sign_in(client, "specialist")
    assert client.post(reverse("accounts:mfa_enrol"), {"code": code}).status_code == 400


def test_only_an_administrator_of_the_persons_state_issues_codes(world: World, client_for) -> None:
    subject = world.people["specialist"]
    with pytest.raises(PermissionDenied):
        enrolment_code_issue(actor=world.people["director"], person=subject)
    with pytest.raises(PermissionDenied):
        enrolment_code_issue(actor=world.people["other_state_admin"], person=subject)
    outsider = client_for(world.people["other_state_admin"])
    assert outsider.post(reverse("tenancy:person_enrolment_code", args=[subject.pk])).status_code == 404
    assert not EnrolmentCode.objects.exists()


def test_a_person_can_have_a_code_e_mailed_to_their_own_address(world: World, required) -> None:
    person = world.people["specialist"]
    person.email = "specialist@example.gov"
    person.save(update_fields=["email"])
    client = Client()
    sign_in(client, "specialist")
    sent = client.post(reverse("accounts:mfa_enrol_email"), follow=True)
    assert "We e-mailed a code to specialist@example.gov" in sent.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["specialist@example.gov"]
    code = next(line.strip() for line in mail.outbox[0].body.splitlines() if line.startswith("    "))
    again = client.post(reverse("accounts:mfa_enrol_email"), follow=True)
    assert "less than 5 minutes ago" in again.content.decode() and len(mail.outbox) == 1
    assert client.post(reverse("accounts:mfa_enrol"), {"code": code})["Location"] == reverse("accounts:mfa_setup")
    assert AuditEvent.objects.filter(action="mfa.enrolment_code.email", actor=person).exists()


def test_no_e_mail_address_gets_a_plain_answer(world: World) -> None:
    person = world.people["specialist"]
    person.email = ""
    person.save(update_fields=["email"])
    with pytest.raises(ValidationError, match="Your account has no e-mail address"):
        enrolment_code_email(actor=person)


def test_replacing_an_authenticator_still_needs_the_current_one(world: World, required) -> None:
    TOTPDevice.objects.create(user=world.people["specialist"], name="Authenticator app", confirmed=True)
    client = Client()
    sign_in(client, "specialist")
    assert client.get(reverse("accounts:mfa_setup"))["Location"] == reverse("accounts:mfa_verify")
    assert client.get(reverse("accounts:mfa_enrol"))["Location"] == reverse("accounts:mfa_setup")


def test_without_required_two_factor_no_code_is_asked(world: World, settings) -> None:
    settings.IPSHUB_MFA_REQUIRED = False  # the demo
    client = Client()
    sign_in(client, "specialist")
    assert "<svg" in client.get(reverse("accounts:mfa_setup")).content.decode()
