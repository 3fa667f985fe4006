"""Backup codes were stored in plain text in django-otp's StaticToken rows; keep only their keyed hashes.

The hash is written out here rather than imported, so this migration keeps doing what it did if
accounts/mfa.py changes; it must equal mfa.backup_code_hashes(code)[0] today (tested). Codes already
hashed (they start with "#") are left alone, so the migration can run twice. Not reversible: the plain
codes are gone, which is the point."""

from base64 import urlsafe_b64encode

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac


def stored_form(code: str) -> str:
    digest = salted_hmac("ipshub.accounts.backup-code", code, secret=settings.SECRET_KEY, algorithm="sha256")
    return "#" + urlsafe_b64encode(digest.digest()).decode()[:15]


def hash_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.exclude(token__startswith="#").iterator():
        token.token = stored_form(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_enrolmentcode"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
