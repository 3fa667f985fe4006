"""Quarterly outcome reports, their review trail, goals, benchmarks and uploads.

Every row reaches one Program (reports, goals, uploads) or one State (benchmarks). Figures are stored as
counts in columns so the state dashboard aggregates them in SQL, whatever the number of programs.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipshub.outcomes import figures
from ipshub.outcomes.metrics import rate
from ipshub.tenancy.models import Program, State


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from client records")
    SUBMITTED = "submitted", _("Submitted figures")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE = (Status.DRAFT, Status.RETURNED)
REPORTED_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)


@figures.with_figure_columns
class ReportFigures(models.Model):
    """A report's figures: one column per figure declared in figures.py (served, worked, ...)."""

    class Meta:
        abstract = True

    # The columns are added from the declaration (figures.FIGURES), out of the type checker's sight; these
    # annotations give it their types. A test holds them equal to the declaration, so they cannot drift.
    served: int
    worked: int
    in_education: int
    job_starts: int
    job_endings: int
    new_clients: int
    new_with_contact_30d: int
    avg_weekly_hours: Decimal | None
    avg_hourly_wage: Decimal | None


class QuarterlyReport(ReportFigures):
    """One version of a program's outcome report for one quarter under one metric definition."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcome_reports")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    definition_code = models.CharField(max_length=64)
    definition_version = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SUBMITTED)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True, help_text=_("The latest version for its quarter and definition."))
    correction_reason = models.TextField(blank=True)
    due_on = models.DateField()

    submitted_at = models.DateTimeField(null=True, blank=True)
    # Why the report was submitted before its quarter ended (empty: submitted after it ended).
    early_submission_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "-year", "-quarter", "definition_code", "-version"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="outcomes_report_quarter_1_to_4"),
            *figures.check_constraints(),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="outcomes_report_status_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="outcomes_report_source_valid"),
            models.UniqueConstraint(
                fields=["program", "year", "quarter", "definition_code", "version"],
                name="outcomes_report_unique_version",
            ),
            models.UniqueConstraint(
                fields=["program", "year", "quarter", "definition_code"],
                condition=Q(is_current=True),
                name="outcomes_report_one_current",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "definition_code", "is_current"])]

    def __str__(self) -> str:
        suffix = f" (version {self.version})" if self.version > 1 else ""
        return f"{self.program} — {self.year} Q{self.quarter}{suffix}"

    @property
    def period(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def employment_rate(self) -> Decimal | None:
        return rate(self.worked, self.served)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_locked(self) -> bool:
        return self.status == Status.ACCEPTED


class ReportEvent(models.Model):
    """The report's review trail as its people see it: submitted, returned with a comment, accepted."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.action}"

    @property
    def action_label(self) -> str:
        """What happened, for people (the action is a code)."""
        labels = {
            "create": pgettext_lazy("report history", "Create"),
            "update": pgettext_lazy("report history", "Update"),
            "submit": pgettext_lazy("report history", "Submit"),
            "return": pgettext_lazy("report history", "Return"),
            "accept": pgettext_lazy("report history", "Accept"),
            "correct": pgettext_lazy("report history", "Correct"),
        }
        return str(labels.get(self.action, self.action.capitalize()))


class GoalMetric(models.TextChoices):
    JOB_STARTS = "job_starts", _("Job starts")
    EMPLOYMENT_RATE = "employment_rate", _("Employment rate (%)")
    AVG_WEEKLY_HOURS = "avg_weekly_hours", _("Average weekly hours")
    AVG_HOURLY_WAGE = "avg_hourly_wage", _("Average hourly wage ($)")


class Goal(models.Model):
    """A program's target for one metric, for a whole year (quarter 0) or one quarter."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcome_goals")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0, help_text=_("0 for the whole year."))
    metric = models.CharField(max_length=32, choices=GoalMetric.choices)
    target = models.DecimalField(max_digits=9, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    # When the goal was set, and last changed: setting goals is a yearly duty of the roles matrix
    # (outcomes/work.py). Plain defaults rather than auto_now, so a demo or an import can date them.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["program", "-year", "quarter", "metric"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=0, quarter__lte=4), name="outcomes_goal_quarter_0_to_4"),
            models.CheckConstraint(condition=Q(target__gte=0), name="outcomes_goal_target_not_negative"),
            models.CheckConstraint(condition=Q(metric__in=GoalMetric.values), name="outcomes_goal_metric_valid"),
            models.UniqueConstraint(fields=["program", "year", "quarter", "metric"], name="outcomes_goal_unique"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}" if not self.quarter else f"{self.year} Q{self.quarter}"
        return f"{self.program}: {self.get_metric_display()} {period}"


class BenchmarkLevel(models.TextChoices):
    MINIMAL = "minimal", _("Minimal")
    AVERAGE = "average", _("Average")
    EXCELLENT = "excellent", _("Excellent")


class Benchmark(models.Model):
    """A state's employment-rate benchmark for one definition and level (defaults from the data file)."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="outcome_benchmarks")
    definition_code = models.CharField(max_length=64)
    level = models.CharField(max_length=16, choices=BenchmarkLevel.choices)
    rate = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["state", "definition_code", "rate"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="outcomes_benchmark_rate_percent"),
            models.CheckConstraint(condition=Q(level__in=BenchmarkLevel.values), name="outcomes_benchmark_level"),
            models.UniqueConstraint(fields=["state", "definition_code", "level"], name="outcomes_benchmark_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.definition_code} {self.level} {self.rate}%"


class Upload(models.Model):
    """A CSV/XLSX file of figures, checked in a dry run; committed all, or only its good rows."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcome_uploads")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list, help_text=_("Parsed rows: line, values, errors."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.program}: {self.filename}"

    @property
    def good_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if not row["errors"]]

    @property
    def bad_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["errors"]]


# --- Exchange: aggregates imported from other installs (outcomes/aggregates.py) ---------------------


class AggregateUpload(models.Model):
    """An aggregate file from another install, checked in a dry run and then committed (the rows as checked:
    {"line": n, "values": {...}, "errors": [{"column": ..., "message": ...}]}). Install-wide, like the
    aggregates it brings: they hold no client data and belong to no program of this install. The upload
    itself (who checked what) belongs to the state team that brought it."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def good_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if not row["errors"]]

    @property
    def bad_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["errors"]]


class ImportedAggregate(models.Model):
    """One program-quarter of another install's published figures. A count withheld by the publisher's
    small-count rule is NULL (never a guess), and a row with served or worked withheld stays out of the
    pooled rate (aggregates.pooled_rollup says how many)."""

    source_install = models.CharField(max_length=100)
    state_code = models.CharField(max_length=8)
    state_name = models.CharField(max_length=100, blank=True)
    program_label = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    definition_code = models.CharField(max_length=64)
    served = models.PositiveIntegerField(null=True, blank=True)
    worked = models.PositiveIntegerField(null=True, blank=True)
    in_education = models.PositiveIntegerField(null=True, blank=True)
    job_starts = models.PositiveIntegerField(null=True, blank=True)
    job_endings = models.PositiveIntegerField(null=True, blank=True)
    upload = models.ForeignKey(AggregateUpload, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state_code", "program_label", "-year", "-quarter"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="outcomes_aggregate_quarter"),
            models.CheckConstraint(
                condition=Q(worked__isnull=True) | Q(served__isnull=True) | Q(worked__lte=models.F("served")),
                name="outcomes_aggregate_worked_at_most_served",
            ),
            models.UniqueConstraint(
                fields=["source_install", "state_code", "program_label", "year", "quarter", "definition_code"],
                name="outcomes_aggregate_unique",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "definition_code"])]

    def __str__(self) -> str:
        return f"{self.source_install}/{self.state_code}: {self.program_label} {self.year} Q{self.quarter}"


# --- Early warning (issue #23, peers): the fitted model and its predictions (outcomes/early_warning.py) ---


class EarlyWarningModel(models.Model):
    """One fit of the early warning's logistic regression on the install's own quarters: the coefficients
    (on standardised indicators), the means and spreads they were standardised with, and what it was fitted
    on. The newest row is the one in use; `ipshub early-warning --refit` adds a row."""

    definition_code = models.CharField(max_length=64)
    threshold = models.DecimalField(max_digits=4, decimal_places=1, help_text=_("The rate it predicts falling below."))
    features = models.JSONField(default=list, help_text=_("The indicators, in the coefficients' order."))
    coefficients = models.JSONField(default=list)
    intercept = models.FloatField(default=0.0)
    means = models.JSONField(default=list)
    scales = models.JSONField(default=list)
    quarters_used = models.JSONField(default=list, help_text=_('The quarters predicted from, as "2026 Q1".'))
    samples = models.PositiveIntegerField(default=0, help_text=_("Program-quarters fitted on."))
    below = models.PositiveIntegerField(default=0, help_text=_("Of them, followed by a quarter below the threshold."))
    fitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Early-warning model of {self.fitted_at:%Y-%m-%d %H:%M}"


class EarlyWarningScore(models.Model):
    """One program's predicted chance of a rate below the threshold in `year` Q`quarter`, by one fit."""

    model = models.ForeignKey(EarlyWarningModel, on_delete=models.CASCADE, related_name="scores")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="early_warnings")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    chance = models.FloatField()
    reasons = models.JSONField(default=list, help_text=_("The largest contributions to the chance, in words."))
    last_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-chance", "program__name"]
        constraints = [
            models.UniqueConstraint(fields=["model", "program"], name="outcomes_early_warning_one_per_program"),
            models.CheckConstraint(condition=Q(chance__gte=0, chance__lte=1), name="outcomes_early_warning_chance"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.chance:.2f} for {self.year} Q{self.quarter}"


# --- end early warning ---
