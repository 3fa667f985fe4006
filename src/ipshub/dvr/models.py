"""DVR authorizations, deliverable reports, payment milestones and billable units.

- CatalogVersion: one version of a state's service catalog (data, see rules.py). Never edited: a
  change makes the next version. An Authorization copies the service it buys (name, report kind, time
  frame, payment rule) so a later catalog change never alters it.
- Authorization: a purchase order line from a DVR office to the program's IPS unit for one client.
- DeliverableReport: the one report the authorized service requires; submitted, returned with
  comments, corrected, accepted. ReportReview keeps each decision.
- Milestone: the payment earned when the report is accepted (amount from the rule), later paid.
- BillableUnit: a client contact billed to Medicaid or another funding source.
Every row reaches exactly one Program (through the authorization or the enrollment).
"""

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipshub.clients.models import Enrollment, Job
from ipshub.dvr.rules import REPORT_KINDS, service_local
from ipshub.tenancy.models import Organization, Person, Program, State


class CatalogVersion(models.Model):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="dvr_catalogs")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    note = models.CharField(max_length=300, blank=True, verbose_name="what changed")
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "-version"]
        constraints = [models.UniqueConstraint(fields=["state", "version"], name="dvr_catalog_unique_version")]

    def __str__(self) -> str:
        return f"DVR catalog {self.state_id} v{self.version}"

    def service(self, code: str) -> dict[str, Any] | None:
        return next((s for s in self.data["services"] if s["code"] == code), None)


class Authorization(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EARNED = "earned", _("Report accepted")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="dvr_authorizations")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="dvr_authorizations")
    dvr_office = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="DVR office")
    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    counselor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="DVR counselor")
    catalog = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="authorizations")
    service_code = models.CharField(max_length=64)
    service_name = models.CharField(max_length=200)
    report_kind = models.CharField(max_length=32, choices=list(REPORT_KINDS.items()))
    time_frame = models.JSONField()
    payment_rule = models.JSONField()
    number = models.CharField(max_length=40, blank=True, verbose_name="purchase order number")
    starts_on = models.DateField()
    ends_on = models.DateField()
    units = models.DecimalField(max_digits=7, decimal_places=2)
    amount = models.DecimalField(max_digits=10, decimal_places=2, verbose_name="authorized amount")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="dvr_auth_ends_after_start"),
            models.CheckConstraint(condition=Q(units__gt=0), name="dvr_auth_units_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dvr_auth_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["dvr_office", "status"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["program", "starts_on"]),
        ]

    def __str__(self) -> str:
        return f"DVR authorization {self.pk}"

    @property
    def service_name_local(self) -> str:
        """The service's name in the reader's language while it is the default catalog's (services.<lang>.yaml)."""
        return service_local(self.service_code, "name", self.service_name)


class Extension(models.Model):
    authorization = models.ForeignKey(Authorization, on_delete=models.CASCADE, related_name="extensions")
    from_ends_on = models.DateField()
    to_ends_on = models.DateField()
    added_units = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    reason = models.CharField(max_length=300)
    by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authorization", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(to_ends_on__gte=F("from_ends_on")), name="dvr_extension_later"),
            models.CheckConstraint(condition=Q(added_units__gte=0), name="dvr_extension_units_not_negative"),
        ]

    def __str__(self) -> str:
        return f"DVR extension {self.pk}"


class DeliverableReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, waiting for the counselor")
        RETURNED = "returned", _("Returned for corrections")
        ACCEPTED = "accepted", _("Accepted")

    authorization = models.OneToOneField(Authorization, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    completed_on = models.DateField(verbose_name="service completed on")
    units_used = models.DecimalField(max_digits=7, decimal_places=2, verbose_name="units used")
    summary = models.TextField()
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    employer_name = models.CharField(max_length=200, blank=True, verbose_name="employer")
    job_title = models.CharField(max_length=200, blank=True)
    hire_on = models.DateField(null=True, blank=True, verbose_name="job start date")
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    hourly_wage = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    still_employed = models.BooleanField(null=True, blank=True)
    submitted_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(units_used__gte=0), name="dvr_report_units_not_negative"),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gte=0), name="dvr_report_hours_ok"
            ),
            models.CheckConstraint(
                condition=Q(hourly_wage__isnull=True) | Q(hourly_wage__gte=0), name="dvr_report_wage_ok"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"DVR report {self.pk}"


class ReportReview(models.Model):
    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        RETURN = "return", _("Returned for corrections")

    report = models.ForeignKey(DeliverableReport, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    comments = models.TextField(blank=True)
    by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    # The submission this decision answers (a returned report is submitted again, and the report keeps only
    # its latest submission): the counselor's review duty counts from it (dvr/work.py).
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at"]

    def __str__(self) -> str:
        return f"DVR report review {self.pk}"


class Milestone(models.Model):
    """The payment earned by an accepted report (one per authorization)."""

    authorization = models.OneToOneField(Authorization, on_delete=models.CASCADE, related_name="milestone")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    explanation = models.CharField(max_length=300)
    earned_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="dvr_milestone_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("earned_on")), name="dvr_milestone_paid_after"
            ),
        ]

    def __str__(self) -> str:
        return f"DVR milestone {self.pk}"


class FundingSource(models.TextChoices):
    MEDICAID = "medicaid", _("Medicaid")
    DVR = "dvr", _("DVR")
    COUNTY = "county", _("County")
    STATE_GRANT = "state_grant", _("State grant")
    OTHER = "other", _("Other")


class BillableUnit(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="billable_units")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="billable_units")
    service_on = models.DateField(verbose_name="date of service")
    minutes = models.PositiveIntegerField()
    units = models.PositiveIntegerField(help_text="15-minute units")
    service_code = models.CharField(max_length=20, help_text="The billing code, e.g. H2023.")
    funding_source = models.CharField(max_length=16, choices=FundingSource.choices)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-service_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="dvr_billable_minutes_positive"),
            models.CheckConstraint(condition=Q(funding_source__in=FundingSource.values), name="dvr_funding_valid"),
        ]
        indexes = [models.Index(fields=["program", "service_on"])]

    def __str__(self) -> str:
        return f"Billable unit {self.pk}"
