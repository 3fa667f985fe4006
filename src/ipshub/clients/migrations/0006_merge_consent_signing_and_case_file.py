"""The signed consent and the case file (notes, documents) were built side by side: one history again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_consent_signing"),
        ("clients", "0005_progress_notes_and_documents"),
    ]

    operations: list[migrations.operations.base.Operation] = []
