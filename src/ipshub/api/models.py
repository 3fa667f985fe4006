"""Personal API tokens: a person's key to the REST API, stored only as a SHA-256 digest.

A token belongs to one person and acts with exactly that person's access; it is not tenant data of
its own. The key is shown once, when it is made; the database keeps its digest and a short prefix
so the person can tell their tokens apart.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiToken(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Nightly EHR export.")
    prefix = models.CharField(max_length=16, help_text="The key's first characters, to recognise it.")
    key_digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
            models.CheckConstraint(
                condition=Q(key_digest__regex=r"^[0-9a-f]{64}$"), name="api_token_digest_is_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        """In the reader's language (the tokens page)."""
        if self.revoked_at is not None:
            return str(pgettext_lazy("an API token", "Revoked"))
        return str(
            pgettext_lazy("an API token", "Expired") if self.is_expired else pgettext_lazy("an API token", "Active")
        )


class ImportJob(models.Model):
    """An uploaded file of one program's records, checked and imported a chunk of rows per request (the import
    page polls), so a large file shows its progress. Seen only by the person who uploaded it.

    `phase` is "check" (rows run and rolled back: the dry run, or the check before an all-or-nothing import),
    then "import" (rows run and kept), then "done". The stored rows are cleared once an import is done."""

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("Check only")
        ALL = "all", _("Every row, or none if any is bad")
        GOOD = "good", _("Only the good rows")

    class Phase(models.TextChoices):
        CHECK = "check", _("Checking")
        IMPORT = "import", _("Importing")
        DONE = "done", _("Done")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    program = models.ForeignKey("tenancy.Program", on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=32)
    mode = models.CharField(max_length=16, choices=Mode.choices)
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list, help_text="The file's rows, keyed by column; cleared once imported.")
    rows_total = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0, help_text="Rows handled in the current phase.")
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.CHECK)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[[row, column, message], ...] (the header is row 1).")
    committed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")), name="import_job_done_le_total"),
            models.CheckConstraint(condition=Q(mode__in=["dry_run", "all", "good"]), name="import_job_mode_valid"),
            models.CheckConstraint(condition=Q(phase__in=["check", "import", "done"]), name="import_job_phase_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["clients", "employer-contacts", "jobs"]), name="import_job_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind}, {self.get_phase_display()})"

    @property
    def is_done(self) -> bool:
        return self.phase == self.Phase.DONE

    @property
    def bad_rows(self) -> int:
        return len({row for row, _column, _message in self.errors})


class OfflineEntry(models.Model):
    """An entry a person logged on their device without a connection, once the sync has settled it: saved
    (through the same service as the web form: `record_type`/`record_id` name the record) or discarded by the
    person after a conflict. The device's uuid makes the sync idempotent: sending the entry again finds this row
    and creates nothing. Entries that came back with problems or a conflict are not kept here (nothing was
    written; the device keeps them). Seen only by the person who logged it (api/offline.py)."""

    class Kind(models.TextChoices):
        EMPLOYER_CONTACT = "employer_contact", "Employer contact"
        SUPPORT_CONTACT = "support_contact", "Support contact"
        PROGRESS_NOTE = "progress_note", "Progress note"
        FIELD_MENTORING = "field_mentoring", "Field mentoring"

    class Outcome(models.TextChoices):
        SAVED = "saved", "Saved"
        DISCARDED = "discarded", "Discarded"

    uuid = models.UUIDField(unique=True, help_text="Made on the device when the entry was logged.")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offline_entries")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    logged_at = models.DateTimeField(help_text="When the person saved it on the device (the device's clock).")
    synced_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    record_type = models.CharField(max_length=32, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record_url = models.CharField(max_length=300, blank=True, help_text="The saved record's page.")

    class Meta:
        ordering = ["-synced_at", "-id"]
        verbose_name_plural = "offline entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["employer_contact", "support_contact", "progress_note", "field_mentoring"]),
                name="offline_entry_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome="saved", record_id__isnull=False) & ~Q(record_type="")
                | Q(outcome="discarded", record_id__isnull=True, record_type=""),
                name="offline_entry_saved_has_record",
            ),
        ]

    def __str__(self) -> str:
        return f"Offline entry {self.uuid} ({self.kind}, {self.outcome})"
