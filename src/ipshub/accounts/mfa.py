"""Two-factor sign-in (TOTP plus single-use backup codes) with django-otp."""

import secrets
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipshub.audit.services import audit_record
from ipshub.tenancy.models import Person

BACKUP_CODES = 10


def mfa_required(person: Person) -> bool:
    """Everyone who signs in needs a second factor: in production always; elsewhere unless switched off."""
    return settings.IPSHUB_MFA_REQUIRED


def confirmed_totp(person: Person) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).first()


def pending_totp(person: Person) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made once, so the QR code stays the same on reload)."""
    device = TOTPDevice.objects.filter(user=person, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def mfa_confirm_totp(*, person: Person, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh backup codes, or None if the code is wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=person, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = mfa_new_backup_codes(person=person)
    audit_record(actor=person, action="mfa.enroll", obj=person, summary="Set up two-factor sign-in")
    return codes


@transaction.atomic
def mfa_new_backup_codes(*, person: Person) -> list[str]:
    """Replace the person's backup codes; each works once. Only their hashes' equivalent is kept by django-otp."""
    device, _ = StaticDevice.objects.get_or_create(user=person, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=person, action="mfa.backup_codes", obj=person, summary="New backup codes")
    return codes


def verify(person: Person, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (an authenticator code or an unused backup code), if any."""
    code = code.replace(" ", "").strip()
    if not code:
        return None
    for device in (confirmed_totp(person), StaticDevice.objects.filter(user=person, confirmed=True).first()):
        if device is not None and device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None
