"""Two-factor sign-in (TOTP plus single-use backup codes) with django-otp.

Backup codes are kept only as keyed hashes (see `backup_code_hashes`); django-otp's StaticToken rows
hold the hash, so its StaticDevice still serves as the session's verified device.
"""

import secrets
from base64 import b32encode, urlsafe_b64encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipshub.audit.services import audit_record
from ipshub.tenancy.models import Person

BACKUP_CODES = 10
# Stored backup codes start with this mark: a StaticToken without it is a plain code from before hashing
# (migration accounts 0003 hashes those) or one made by django-otp's own tools, which never match.
HASHED = "#"


def keyed_hashes(purpose: str, value: str) -> list[str]:
    """HMAC-SHA256 of `value` under the secret key, then under each of Django's SECRET_KEY_FALLBACKS (so codes
    keep working through a key rotation while the old key is listed there).

    Why a keyed hash and not a salted slow one (make_password): a backup code has only 10^8 values, so an
    unkeyed hash of it is reversed in seconds; a salted Argon2 hash could not be looked up, so each check
    would cost ten slow hashes, a lever for anyone wanting to load the servers. With the key, a copy of the
    database alone (a backup, a dump) reveals no code; whoever holds the key can forge sessions anyway."""
    return [
        salted_hmac(f"ipshub.accounts.{purpose}", value, secret=secret, algorithm="sha256").hexdigest()
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]


def backup_code_hashes(code: str) -> list[str]:
    """What a StaticToken holds for `code` (its token column is 16 characters: the mark and 90 bits)."""
    return [HASHED + urlsafe_b64encode(bytes.fromhex(h)).decode()[:15] for h in keyed_hashes("backup-code", code)]


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
    """Replace the person's backup codes; each works once. Only their keyed hashes are kept: the codes are
    returned to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=person, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=backup_code_hashes(code)[0]) for code in codes)
    audit_record(actor=person, action="mfa.backup_codes", obj=person, summary="New backup codes")
    return codes


def _use_backup_code(device: StaticDevice, code: str) -> bool:
    """Spend one backup code: the delete that removes its hash is what makes it single-use, also when two
    sign-ins race with the same code (only one delete finds the row)."""
    deleted, _ = device.token_set.filter(token__in=backup_code_hashes(code)).delete()
    if deleted:
        device.throttle_reset()
    else:
        device.throttle_increment()
    return bool(deleted)


def verify(person: Person, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (an authenticator code or an unused backup code), if any."""
    code = code.replace(" ", "").strip()
    if not code:
        return None
    totp = confirmed_totp(person)
    if totp is not None and totp.verify_is_allowed()[0] and totp.verify_token(code):
        return totp
    backup = StaticDevice.objects.filter(user=person, confirmed=True).first()
    if backup is not None and backup.verify_is_allowed()[0] and _use_backup_code(backup, code):
        return backup
    return None
