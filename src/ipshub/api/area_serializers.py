"""What the API shows of the areas' records (clients, employers, jobs, outcome reports), and what it
accepts for their writes.

Client records follow the clients area's field rules: people who may read the whole record get
`EnrollmentSerializer`; DVR staff under an active consent get only the DVR view's fields
(`DvrEnrollmentSerializer`, the fields of `ipshub.clients.selectors.DvrClientPage`).
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer, _choosable
from ipshub.clients import access as client_access
from ipshub.clients.models import (
    Client,
    ClientLanguage,
    ContactPurpose,
    Disclosure,
    Employer,
    EmployerContact,
    EndReason,
    Enrollment,
    Job,
    JobType,
    ReferralSource,
)
from ipshub.outcomes import figures
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.models import QuarterlyReport
from ipshub.outcomes.report_status import QuarterStatus
from ipshub.outcomes.selectors import report_standing
from ipshub.tenancy.access import programs_visible_to
from ipshub.tenancy.models import Program

MAX_COUNT = 1_000_000


class ProgramRefSerializer(serializers.ModelSerializer[Program]):
    class Meta:
        model = Program
        fields = ["id", "name"]


class EmployerRefSerializer(serializers.ModelSerializer[Employer]):
    class Meta:
        model = Employer
        fields = ["id", "name"]


# --- Clients (the whole record) -------------------------------------------------------------------


class ClientSerializer(serializers.ModelSerializer[Client]):
    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "birth_date",
            "record_number",
            "phone",
            "email",
            "preferred_language",
            "interpreter_needed",
        ]


class JobSerializer(serializers.ModelSerializer[Job]):
    employer = EmployerRefSerializer(read_only=True)
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "enrollment",
            "employer",
            "title",
            "job_type",
            "hours_per_week",
            "hourly_wage",
            "is_competitive",
            "disclosure",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
            "next_job_help_offered_on",
        ]


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    """A client's enrollment in a program, for people who may read the whole record."""

    client = ClientSerializer(read_only=True)
    program = ProgramRefSerializer(read_only=True)
    specialist = PersonRefSerializer(read_only=True, allow_null=True)
    jobs = JobSerializer(many=True, read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "client",
            "program",
            "specialist",
            "referral_date",
            "referral_source",
            "referral_note",
            "status",
            "accepted_on",
            "first_meeting_on",
            "engaged_on",
            "closed_on",
            "closure_reason",
            "reopened_on",
            "jobs",
        ]


# --- Clients (the DVR view: employment and eligibility fields only) -------------------------------


class DvrJobSerializer(serializers.Serializer[Any]):
    employer = serializers.CharField()
    title = serializers.CharField()
    job_type = serializers.CharField()
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1)
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2)
    is_competitive = serializers.BooleanField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()


class DvrCaseSerializer(serializers.Serializer[Any]):
    dvr_office = serializers.CharField()
    counselor = serializers.CharField()
    referred_on = serializers.DateField(allow_null=True)
    applied_on = serializers.DateField(allow_null=True)
    eligibility = serializers.CharField()
    eligibility_on = serializers.DateField(allow_null=True)
    plan_started_on = serializers.DateField(allow_null=True)
    plan_ends_on = serializers.DateField(allow_null=True)


class DvrEnrollmentSerializer(serializers.Serializer[Any]):
    """What a DVR office sees under an active consent (`clients.selectors.DvrClientPage`)."""

    id = serializers.IntegerField(source="enrollment_id")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_date = serializers.DateField()
    program_name = serializers.CharField()
    specialist_name = serializers.CharField()
    specialist_email = serializers.CharField()
    status = serializers.CharField()
    referral_date = serializers.DateField()
    consent_expires_on = serializers.DateField(allow_null=True)
    dvr_case = DvrCaseSerializer(allow_null=True)
    jobs = DvrJobSerializer(many=True)


class DvrEnrollmentRowSerializer(serializers.Serializer[Any]):
    """One row of the DVR office's list of shared clients: a subset of the DVR view's fields."""

    id = serializers.IntegerField()
    first_name = serializers.CharField(source="client.first_name")
    last_name = serializers.CharField(source="client.last_name")
    birth_date = serializers.DateField(source="client.birth_date")
    program_name = serializers.CharField(source="program.name")
    status = serializers.CharField(source="get_status_display")
    referral_date = serializers.DateField()


class ReferralSerializer(KnownFieldsOnly):
    """Refer a client to a program's IPS unit (its mental health team or IPS unit)."""

    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.none(),
        help_text="Id of the program to refer to.",
        error_messages=_choosable("Choose a program you can refer clients to"),
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField()
    record_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="The agency's own record number."
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    preferred_language = serializers.ChoiceField(
        choices=ClientLanguage.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="The client's preferred language (a code of the list; empty: not asked yet).",
    )
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    referral_date = serializers.DateField()
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices)
    referral_note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true when the agency already has a client with this name and birth date who is another person.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            fields: Any = self.fields
            fields["program"].queryset = Program.objects.filter(
                id__in=client_access.referring_program_ids(request.user)
            )


class ReferralCreatedSerializer(serializers.ModelSerializer[Enrollment]):
    program = ProgramRefSerializer(read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "program", "status", "referral_date"]


# --- Employers and employer contacts --------------------------------------------------------------


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    program = ProgramRefSerializer(read_only=True)

    class Meta:
        model = Employer
        fields = [
            "id",
            "program",
            "name",
            "industry",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "hiring_needs",
            "relationship_notes",
            "created_at",
        ]


class EmployerContactSerializer(serializers.ModelSerializer[EmployerContact]):
    program = ProgramRefSerializer(read_only=True)
    employer = EmployerRefSerializer(read_only=True)
    specialist = PersonRefSerializer(read_only=True)
    enrollment = serializers.IntegerField(
        source="enrollment_id", read_only=True, allow_null=True, help_text="The job seeker's enrollment, if any."
    )

    class Meta:
        model = EmployerContact
        fields = [
            "id",
            "program",
            "employer",
            "specialist",
            "enrollment",
            "contacted_on",
            "face_to_face",
            "follows_preferences",
            "purpose",
            "outcome",
        ]


class EmployerContactWriteSerializer(KnownFieldsOnly):
    """Log a contact with an employer (the program's IPS unit)."""

    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.none(),
        error_messages=_choosable("Choose a program whose IPS unit you belong to"),
    )
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.none(),
        required=False,
        allow_null=True,
        help_text="Id of one of the program's employers; or give new_employer_name.",
        error_messages=_choosable("Choose one of the program's employers"),
    )
    new_employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    enrollment = serializers.PrimaryKeyRelatedField(
        queryset=Enrollment.objects.none(),
        required=False,
        allow_null=True,
        help_text="Id of the job seeker the contact was for, if any.",
        error_messages=_choosable("Choose a job seeker on your caseload"),
    )
    contacted_on = serializers.DateField()
    purpose = serializers.ChoiceField(choices=ContactPurpose.choices)
    face_to_face = serializers.BooleanField(required=False, default=True)
    follows_preferences = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Whether the contact follows a job seeker's preferences (fidelity item 16); null: not recorded.",
    )
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            person = request.user
            fields: Any = self.fields
            fields["program"].queryset = client_access.job_developer_programs(person)
            fields["employer"].queryset = client_access.employers_visible_to(person)
            fields["enrollment"].queryset = client_access.enrollments_visible_to(person)


# --- Jobs -----------------------------------------------------------------------------------------


CONFIRM_HELP = (
    "true saves unusual hours or wages as they are (more than 60 or less than 1 hour a week, more than $100 an "
    "hour); without it they are refused with a 400 naming the field."
)


class JobStartSerializer(KnownFieldsOnly):
    """Record a job the client started (their employment specialist or the IPS supervisor)."""

    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.none(),
        required=False,
        allow_null=True,
        help_text="Id of one of the program's employers; or give new_employer_name.",
        error_messages=_choosable("Choose one of the program's employers"),
    )
    new_employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200)
    job_type = serializers.ChoiceField(choices=JobType.choices)
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)
    started_on = serializers.DateField()
    is_competitive = serializers.BooleanField(
        required=False,
        default=True,
        help_text="A competitive job pays at least the minimum wage in force on its start date (the state's, or "
        "the federal one where higher); below it, send false.",
    )
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, required=False, default=Disclosure.NONE)
    confirm_implausible = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            fields: Any = self.fields
            fields["employer"].queryset = client_access.employers_visible_to(request.user)


class JobChangeSerializer(KnownFieldsOnly):
    """A change of hours, pay or title while the job goes on (the web's "change of hours or pay")."""

    changed_on = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)
    is_competitive = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Whether the job still counts as competitive (left out: unchanged); a competitive job pays at "
        "least the minimum wage in force on the day of the change.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confirm_implausible = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)


class JobEndSerializer(KnownFieldsOnly):
    ended_on = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)
    end_note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


# --- Outcome reports ------------------------------------------------------------------------------


class OutcomeReportSerializer(serializers.ModelSerializer[QuarterlyReport]):
    program = ProgramRefSerializer(read_only=True)
    submitted_by = PersonRefSerializer(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="draft, submitted, returned or accepted.")
    # --- Trustworthy figures: the quarter's one status, as the dashboard and the program's page give it.
    quarter_status = serializers.SerializerMethodField(
        help_text="The quarter's status (outcomes/report_status.py): due, submitted, returned, accepted or late "
        "(submitted after its deadline, due_on; or not submitted once it has passed). null for a report of a "
        "quarter the program does not owe, not yet submitted."
    )
    quarter_status_label = serializers.SerializerMethodField(
        help_text='How the pages say it, e.g. "Accepted", "Accepted (submitted late)", "Late: not received".'
    )

    @extend_schema_field(serializers.ChoiceField(choices=QuarterStatus.choices, allow_null=True))
    def get_quarter_status(self, report: QuarterlyReport) -> str | None:
        standing = report_standing(report.program, report, timezone.localdate())
        return str(standing.status) if standing else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_quarter_status_label(self, report: QuarterlyReport) -> str | None:
        standing = report_standing(report.program, report, timezone.localdate())
        return standing.label if standing else None

    # --- end of trustworthy figures

    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "program",
            "year",
            "quarter",
            "definition_code",
            "definition_version",
            "source",
            "status",
            "version",
            "is_current",
            "due_on",
            "quarter_status",
            "quarter_status_label",
            *figures.NAMES,
            "submitted_at",
            "submitted_by",
            "early_submission_reason",
            "reviewed_at",
            "updated_at",
        ]


def figure_field(figure: figures.Figure) -> serializers.Field[Any, Any, Any, Any]:
    """A count is a whole number, 0 when left out; a decimal may be left out or null."""
    if figure.is_count:
        return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False, default=0)
    return serializers.DecimalField(
        max_digits=figure.max_digits,
        decimal_places=figures.DECIMAL_PLACES,
        min_value=0,
        max_value=figure.top,
        required=False,
        allow_null=True,
        default=None,
    )


SUBMIT_EARLY_HELP = (
    "A quarter still in progress is submitted only with submit_early: true and an early_reason (its figures "
    "may still change); otherwise the answer is a 400 naming submit_early."
)
EARLY_REASON_HELP = "Why the report goes in before its quarter ends: kept with the report."


class OutcomeSubmitSerializer(KnownFieldsOnly):
    submit_early = serializers.BooleanField(required=False, default=False, help_text=SUBMIT_EARLY_HELP)
    early_reason = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text=EARLY_REASON_HELP
    )


class OutcomeFiguresSerializer(KnownFieldsOnly):
    """A quarter's figures, as a program enters them on the form; `submit: true` also sends them to the
    state team for review."""

    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.none(), error_messages=_choosable("Choose one of your programs")
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    definition_code = serializers.CharField(max_length=64, required=False, default=DEFAULT_CODE)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Also submit the report to the state team for review."
    )
    submit_early = serializers.BooleanField(required=False, default=False, help_text=SUBMIT_EARLY_HELP)
    early_reason = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text=EARLY_REASON_HELP
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            fields: Any = self.fields
            fields["program"].queryset = programs_visible_to(request.user)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # One field per declared figure (outcomes/figures.py), between the quarter and `submit`.
        fields = super().get_fields()
        tail = {name: fields.pop(name) for name in ("submit", "submit_early", "early_reason")}
        return {**fields, **{figure.name: figure_field(figure) for figure in figures.FIGURES}, **tail}


# --- Bulk exchange --------------------------------------------------------------------------------


class ImportRowErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="The spreadsheet row (the header is row 1).")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField(help_text="Rows that add a record (or would, in a dry run).")
    updated = serializers.IntegerField(help_text="Rows that end a job already recorded.")
    unchanged = serializers.IntegerField(help_text="Rows already in IPS Hub: nothing to do.")
    bad_rows = serializers.IntegerField()
    committed = serializers.BooleanField()
    row_errors = ImportRowErrorSerializer(
        many=True, source="errors", help_text="Every bad row and column, with the reason."
    )


MAX_ID = 2**63 - 1  # the largest id the databases store: a larger one is a 400, not a database error


class AttentionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="no_contact, job_ended or no_employer_contact.")
    reason = serializers.CharField(source="label", help_text="The reason in words, e.g. 'No contact in 30 days'.")
    detail = serializers.CharField(help_text="The fact behind it, e.g. 'last Nov 3, 2026' or 'ended Dec 1, 2026'.")


class CaseloadClientSerializer(serializers.ModelSerializer[Client]):
    class Meta:
        model = Client
        fields = ["id", "first_name", "last_name", "record_number"]


class CaseloadRowSerializer(serializers.Serializer[Any]):
    """A caseload row as the caseload page shows it."""

    id = serializers.IntegerField(source="enrollment.pk")
    client = CaseloadClientSerializer(source="enrollment.client")
    program = ProgramRefSerializer(source="enrollment.program")
    specialist = PersonRefSerializer(source="enrollment.specialist", allow_null=True)
    status = serializers.CharField(source="enrollment.status")
    referral_date = serializers.DateField(source="enrollment.referral_date")
    working = serializers.BooleanField(source="enrollment.working", help_text="Has a job that has not ended.")
    last_contact = serializers.DateField(
        source="enrollment.last_contact",
        allow_null=True,
        help_text="The latest support contact, employer contact about the client, or first meeting.",
    )
    days_since_last_contact = serializers.IntegerField(source="days_since_contact", allow_null=True)
    last_employer_contact = serializers.DateField(source="enrollment.last_employer_contact", allow_null=True)
    needs_attention = AttentionSerializer(source="reasons", many=True)


class TransferSerializer(KnownFieldsOnly):
    clients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=200,
        help_text="Ids of the client enrollments to move (at most 200). All move, or none.",
    )
    specialist = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the employment specialist they move to."
    )
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why they move: required when a client already has a specialist; shown in each client's "
        "history and kept in the audit log.",
    )


class EnrollmentAssignSerializer(KnownFieldsOnly):
    """PATCH of a client record: its employment specialist (the web's "Assign a specialist" / "Transfer")."""

    specialist = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of an employment specialist of the client's IPS unit."
    )
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the client moves: required when they already have a specialist; shown in their history "
        "and kept in the audit log.",
    )


class TransferResultSerializer(serializers.Serializer[Any]):
    transferred = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the moved enrollments.")
    specialist = serializers.IntegerField()
    specialist_open_clients = serializers.IntegerField(help_text="The specialist's open caseload after the move.")


class SpecialistLoadSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.__str__")
    open_clients = serializers.IntegerField(source="open", help_text="Open enrollments assigned to them now.")
    over_standard = serializers.BooleanField(source="over", help_text="More open clients than the standard of 20.")
    programs = serializers.ListField(
        child=serializers.IntegerField(), source="sorted_program_ids", help_text="Programs they may take clients in."
    )


class TransferTargetsSerializer(serializers.Serializer[Any]):
    specialists = SpecialistLoadSerializer(many=True)


class ClientSearchSerializer(KnownFieldsOnly):
    q = serializers.CharField(
        max_length=100,
        help_text="Words of the client's name, or their record number. Sent in the body, never in a URL: "
        "names in query strings end up in access logs, proxies and browser history.",
    )


def page_of(item: type[serializers.Serializer[Any]], name: str) -> type[serializers.Serializer[Any]]:
    """The schema of one page of a list ({count, next, previous, results}), for list answers to a POST."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


EnrollmentPageSerializer = page_of(EnrollmentSerializer, "EnrollmentPageSerializer")
DvrEnrollmentPageSerializer = page_of(DvrEnrollmentRowSerializer, "DvrEnrollmentPageSerializer")
