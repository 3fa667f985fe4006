"""The catalog: the seed documents as versioned data (catalog/data/*.yaml), loaded into the database.

Each item keeps the stable id of its data file (`key`), so a later version of a document can be
loaded beside an earlier one without disturbing the programs that were tracked against it.
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshub.catalog.translations import local


class Translated(models.Model):
    """A catalog row shown in the reader's language: `translations` holds {language: {field: text}} from the
    translation files beside the seed file (catalog/translations.py); `local("text")` picks the active one."""

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def local(self, name: str) -> Any:
        return local(self, name)


class CatalogVersion(models.Model):
    class Document(models.TextChoices):
        ROADMAP = "roadmap", _("Implementation roadmap")
        ROLES = "roles", _("Roles and responsibilities")

    document = models.CharField(max_length=16, choices=Document.choices)
    version = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="catalog_version_unique"),
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(is_current=True), name="catalog_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.version}"


class Stage(Translated):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="stages")
    key = models.CharField(max_length=16)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=60)
    audiences = models.JSONField(default=list)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="stage_unique_key")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


PRINCIPLE_LABELS = {
    "competitive-employment": "Competitive employment",
    "systematic-job-development": "Systematic job development",
    "rapid-job-search": "Rapid job search",
    "integrated-services": "Integrated services",
    "benefits-planning": "Benefits planning",
    "zero-exclusion": "Zero exclusion",
    "time-unlimited-supports": "Time-unlimited supports",
    "worker-preferences": "Worker preferences",
}


class Strategy(Translated):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="strategies")
    key = models.CharField(max_length=16)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    principle = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["stage", "order"]
        verbose_name_plural = "strategies"
        constraints = [models.UniqueConstraint(fields=["stage", "key"], name="strategy_unique_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def principle_label(self) -> str:
        return PRINCIPLE_LABELS.get(self.principle, "")


class Tool(Translated):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tools")
    key = models.CharField(max_length=16)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["stage", "order"]
        constraints = [models.UniqueConstraint(fields=["stage", "key"], name="tool_unique_key")]

    def __str__(self) -> str:
        return self.text


class LeaderQuestion(Translated):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=16)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Party(Translated):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="parties")
    key = models.CharField(max_length=32)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    org_kind = models.CharField(max_length=32)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name_plural = "parties"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="party_unique_key")]

    def __str__(self) -> str:
        return self.name


class Phase(Translated):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(max_length=32)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="phase_unique_key")]

    def __str__(self) -> str:
        return self.name


class Responsibility(Translated):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="responsibilities")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="responsibilities")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="responsibilities")
    key = models.CharField(max_length=32)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    due_days = models.PositiveSmallIntegerField(default=30, help_text="Default days after the phase starts.")
    recurring = models.BooleanField(default=False)
    # How the product knows it is done: seedfiles.Fulfilment.as_dict() of the catalog's `fulfilment`.
    fulfilment = models.JSONField(default=dict)

    class Meta:
        ordering = ["phase__number", "party__order", "order"]
        verbose_name_plural = "responsibilities"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="responsibility_unique_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def describe(self) -> str:
        """The sentence saying how the product knows it is done (translated as `describe`)."""
        return str(self.fulfilment.get("describe", ""))
