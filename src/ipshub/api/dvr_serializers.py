"""What the API accepts for the DVR area's writes (authorize, extend, the deliverable report and its review,
a payment, a billable service, the state's service catalog) and what it answers for authorizations, billing,
money and the catalog.

The input serializers check only the shape (types, lengths, choices, sane years); who may act and every rule
of the work are the DVR service's (`ipshub.dvr.services`), whose messages the API answers as they are. Where a
serializer bound is also a service rule (units above 0, minutes of one day) it says the service's words."""

import datetime
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.filters import MAX_INT
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import OrganizationRefSerializer, PersonRefSerializer, StateRefSerializer
from ipshub.dvr import selectors
from ipshub.dvr.models import (
    Authorization,
    BillableUnit,
    DeliverableReport,
    Extension,
    FundingSource,
    Milestone,
    ReportReview,
)
from ipshub.dvr.rules import REPORT_KINDS

LONG_TEXT = 4000
SUMMARY_TEXT = 20000
CATALOG_TEXT = 200_000
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199
# The kinds of deliverable report (one enum in the schema: settings' ENUM_NAME_OVERRIDES names it).
REPORT_KIND_CHOICES = list(REPORT_KINDS.items())


class SaneDateField(serializers.DateField):
    """A date of DVR work: years 1900 to 2199 (a date far outside is a typo, and the due dates computed from it
    would overflow the calendar)."""

    def to_internal_value(self, value: Any) -> datetime.date:
        day: datetime.date = super().to_internal_value(value)
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise serializers.ValidationError(
                f"{day:%Y-%m-%d} is far from any DVR work: give a date between {EARLIEST_YEAR} and {LATEST_YEAR}."
            )
        return day


def _id(help_text: str, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text=help_text, **kwargs)


# --- Reads ----------------------------------------------------------------------------------------------


class DvrExtensionSerializer(serializers.ModelSerializer[Extension]):
    by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Extension
        fields = ["id", "from_ends_on", "to_ends_on", "added_units", "reason", "by", "created_at"]


class DvrReportSerializer(serializers.ModelSerializer[DeliverableReport]):
    submitted_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DeliverableReport
        fields = [
            "id",
            "status",
            "completed_on",
            "units_used",
            "summary",
            "job",
            "employer_name",
            "job_title",
            "hire_on",
            "hours_per_week",
            "hourly_wage",
            "still_employed",
            "submitted_by",
            "submitted_at",
            "reviewed_at",
        ]


class DvrReviewSerializer(serializers.ModelSerializer[ReportReview]):
    by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReportReview
        fields = ["id", "decision", "comments", "by", "created_at"]


class DvrMilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["amount", "explanation", "earned_on", "paid_on"]


class DvrAuthorizationRowSerializer(serializers.ModelSerializer[Authorization]):
    """One authorization in a list: the client, the service, its dates and money, and what is due next."""

    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True, help_text="The client record.")
    client_first_name = serializers.CharField(source="enrollment.client.first_name", read_only=True)
    client_last_name = serializers.CharField(source="enrollment.client.last_name", read_only=True)
    program = ProgramRefSerializer(read_only=True)
    dvr_office = OrganizationRefSerializer(read_only=True)
    report_status = serializers.SerializerMethodField(
        help_text="The deliverable report's status; null before it is first submitted."
    )
    due_on = serializers.SerializerMethodField(help_text="When the next thing is due: the report, or a plan review.")

    class Meta:
        model = Authorization
        fields = [
            "id",
            "enrollment",
            "client_first_name",
            "client_last_name",
            "program",
            "dvr_office",
            "service_code",
            "service_name",
            "report_kind",
            "number",
            "starts_on",
            "ends_on",
            "units",
            "amount",
            "status",
            "report_status",
            "due_on",
        ]

    def get_report_status(self, authorization: Authorization) -> str | None:
        report = getattr(authorization, "report", None)
        return report.status if report is not None else None

    def get_due_on(self, authorization: Authorization) -> datetime.date | None:
        return selectors.due_on(authorization)


class DvrReportDraftSerializer(serializers.Serializer[Any]):
    """What the report form starts with (the web's report page): the saved report, or before the first, for a hire
    or retention report the client's job that started during the authorization. Fields the report's kind does not
    take are null (or empty)."""

    completed_on = serializers.DateField(allow_null=True)
    units_used = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    job = serializers.IntegerField(allow_null=True, help_text="Id of the client's job the report is about.")
    employer_name = serializers.CharField(allow_blank=True)
    job_title = serializers.CharField(allow_blank=True)
    hire_on = serializers.DateField(allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    still_employed = serializers.BooleanField(allow_null=True)


class DvrAuthorizationDetailSerializer(serializers.Serializer[Any]):
    """One authorization as its web page shows it, with what the person reading it may do next."""

    id = serializers.IntegerField()
    enrollment = serializers.IntegerField(help_text="The client record.")
    client_first_name = serializers.CharField()
    client_last_name = serializers.CharField()
    program = ProgramRefSerializer()
    dvr_office = OrganizationRefSerializer()
    provider = OrganizationRefSerializer(help_text="The organization whose IPS unit delivers the service.")
    counselor = PersonRefSerializer()
    catalog_version = serializers.IntegerField(help_text="The version of the state's catalog it was made under.")
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    report_kind = serializers.ChoiceField(choices=REPORT_KIND_CHOICES)
    time_frame = serializers.JSONField(help_text="due_days, and review_every_days for a service with plan reviews.")
    payment_rule = serializers.JSONField(help_text="The catalog's payment rule (fixed, per_unit or tiered).")
    payment_text = serializers.CharField(help_text="The payment rule in words.")
    number = serializers.CharField(help_text="The purchase order number.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    units = serializers.DecimalField(max_digits=7, decimal_places=2)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    status = serializers.ChoiceField(choices=Authorization.Status.choices)
    created_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True, help_text="When the next thing is due: the report, or a review.")
    expired = serializers.BooleanField(help_text="The end date has passed.")
    report = DvrReportSerializer(allow_null=True)
    reviews = DvrReviewSerializer(many=True, help_text="The counselor's decisions on the report, oldest first.")
    milestone = DvrMilestoneSerializer(allow_null=True, help_text="The payment earned when the report was accepted.")
    extensions = DvrExtensionSerializer(many=True)
    can_report = serializers.BooleanField(help_text="You may submit (or correct the returned) report now.")
    can_review = serializers.BooleanField(help_text="You may accept or return the submitted report now.")
    can_extend = serializers.BooleanField(help_text="You may extend the authorization now.")
    can_pay = serializers.BooleanField(help_text="You may mark the earned milestone paid now.")


class DvrBillableUnitSerializer(serializers.ModelSerializer[BillableUnit]):
    by = PersonRefSerializer(read_only=True)

    class Meta:
        model = BillableUnit
        fields = ["id", "enrollment", "service_on", "minutes", "units", "service_code", "funding_source", "by"]


class DvrBillingRowSerializer(serializers.ModelSerializer[BillableUnit]):
    """A line of the program's monthly billing (the web's export): the client, the service, its units."""

    client_record_number = serializers.CharField(source="enrollment.client.record_number", read_only=True)
    client_last_name = serializers.CharField(source="enrollment.client.last_name", read_only=True)
    client_first_name = serializers.CharField(source="enrollment.client.first_name", read_only=True)
    client_birth_date = serializers.DateField(source="enrollment.client.birth_date", read_only=True)
    by = PersonRefSerializer(read_only=True)

    class Meta:
        model = BillableUnit
        fields = [
            "id",
            "enrollment",
            "service_on",
            "client_record_number",
            "client_last_name",
            "client_first_name",
            "client_birth_date",
            "service_code",
            "minutes",
            "units",
            "funding_source",
            "by",
        ]


class DvrFundingShareSerializer(serializers.Serializer[Any]):
    # A field named `source` (DRF's metaclass takes it out of the class; mypy sees Field.source).
    source = serializers.CharField(help_text="The funding source's name.")  # type: ignore[assignment]
    units = serializers.IntegerField(help_text="15-minute units billed to it.")
    contacts = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Its share of the units, rounded.")


class DvrBillingSerializer(serializers.Serializer[Any]):
    """The program's billing of one month: its lines (a page of them) and the funding mix."""

    program = ProgramRefSerializer()
    month = serializers.CharField(help_text="YYYY-MM.")
    funding_mix = DvrFundingShareSerializer(many=True, help_text="Units by funding source, all months.")
    month_funding_mix = DvrFundingShareSerializer(many=True, help_text="Units by funding source, this month.")
    count = serializers.IntegerField(help_text="Lines this month.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DvrBillingRowSerializer(many=True)


class DvrMoneyRowSerializer(serializers.Serializer[Any]):
    service = serializers.CharField()
    quarter = serializers.CharField(help_text="e.g. 2026 Q3.")
    authorized = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="By the start's quarter.")
    earned = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="By the quarter earned.")
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="By the quarter paid.")


class DvrProgramMoneySerializer(serializers.Serializer[Any]):
    program = ProgramRefSerializer()
    rows = DvrMoneyRowSerializer(many=True)
    total = DvrMoneyRowSerializer()


class DvrStateMoneySerializer(serializers.Serializer[Any]):
    state = StateRefSerializer()
    rows = DvrMoneyRowSerializer(many=True)
    total = DvrMoneyRowSerializer()


class DvrCatalogServiceSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    purpose = serializers.CharField()
    report = serializers.ChoiceField(choices=REPORT_KIND_CHOICES, help_text="The deliverable report's kind.")
    report_label = serializers.CharField()
    time_frame = serializers.JSONField()
    payment = serializers.JSONField()
    payment_text = serializers.CharField(help_text="The payment rule in words.")


class DvrCatalogSerializer(serializers.Serializer[Any]):
    state = StateRefSerializer()
    version = serializers.IntegerField()
    note = serializers.CharField(help_text="What changed in this version.")
    created_at = serializers.DateTimeField()
    created_by = PersonRefSerializer(allow_null=True, help_text="null: the default catalog.")
    text = serializers.CharField(help_text="The catalog as YAML, as the web's editor shows it (PUT sends it back).")
    services = DvrCatalogServiceSerializer(many=True)
    can_edit = serializers.BooleanField(help_text="You may change the catalog (the state IPS team).")


# --- Writes ---------------------------------------------------------------------------------------------


class DvrAuthorizeSerializer(KnownFieldsOnly):
    """Authorize a service of the state's catalog for a client shared with your DVR office."""

    service_code = serializers.CharField(max_length=64, help_text="A service code of the state's catalog.")
    dvr_office = _id(
        "Id of your DVR office the client shares with; may be left out when there is only one.",
        required=False,
        allow_null=True,
        default=None,
    )
    number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="The purchase order number."
    )
    starts_on = SaneDateField()
    ends_on = SaneDateField(help_text="On or after the start.")
    units = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": "Authorize at least some units (more than 0)."},
    )
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={"min_value": "The amount can't be negative."},
        help_text="The authorized amount ($).",
    )


class DvrExtendSerializer(KnownFieldsOnly):
    ends_on = SaneDateField(help_text="The new end date: on or after the current end.")
    added_units = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        default=Decimal(0),
        error_messages={"min_value": "Added units can't be negative."},
    )
    reason = serializers.CharField(max_length=300, allow_blank=True, help_text="Why the authorization is extended.")


# The fields of a hire or retention report only (the web's report form shows them for those kinds).
JOB_FIELDS = ("employer_name", "job_title", "hire_on", "hours_per_week", "hourly_wage", "job")


class DvrReportWriteSerializer(KnownFieldsOnly):
    """The deliverable report. A hire or retention report also gives the job (employer, start, hours, wage) and
    a retention report whether the person is still employed; other kinds do not take those fields."""

    completed_on = SaneDateField(help_text="The day the service was completed: within the authorization.")
    units_used = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal(0))
    summary = serializers.CharField(max_length=SUMMARY_TEXT, allow_blank=True)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hire_on = SaneDateField(required=False, allow_null=True, default=None, help_text="The job's start date.")
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal(0), required=False, allow_null=True, default=None
    )
    hourly_wage = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True, default=None
    )
    still_employed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Retention reports: still employed at the end."
    )
    job = _id("Id of the client's job the report is about.", required=False, allow_null=True, default=None)


class DvrReviewWriteSerializer(KnownFieldsOnly):
    decision = serializers.ChoiceField(
        choices=ReportReview.Decision.choices, help_text="accept (the payment is earned) or return for corrections."
    )
    comments = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default="", help_text="Required to return it."
    )


class DvrPaidSerializer(KnownFieldsOnly):
    paid_on = SaneDateField(help_text="The day the payment was made: not before it was earned, not in the future.")


class DvrBillableUnitWriteSerializer(KnownFieldsOnly):
    service_on = SaneDateField(help_text="The date of service: not before the referral, not in the future.")
    minutes = serializers.IntegerField(
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "min_value": "Give the minutes of service (more than 0).",
            "max_value": "One contact can't be longer than a day; log each day separately.",
        },
    )
    service_code = serializers.CharField(max_length=20, allow_blank=True, help_text="The billing code, e.g. H2023.")
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)


class DvrCatalogWriteSerializer(KnownFieldsOnly):
    text = serializers.CharField(
        max_length=CATALOG_TEXT,
        help_text="The whole catalog as YAML (JSON is YAML too): a `services:` list, as the GET's `text`.",
    )
    note = serializers.CharField(max_length=300, allow_blank=True, help_text="What changed, for the version history.")
