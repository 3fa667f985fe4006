"""What the API accepts for the client record's own writes (close, re-open, benefits planning, education,
supports, help toward the next job) and what it shows of the records they make.

The fields are the web forms' (clients/forms.py); the rules (dates, order, state) are the services'
`*_problems` checks, which the services run and which come back as 400s naming the field, in the web's words."""

from typing import Any

from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer, _choosable
from ipshub.clients.models import (
    BenefitsPlanning,
    ClientLanguage,
    ClosureReason,
    DvrCase,
    Education,
    Status,
    SupportContact,
)
from ipshub.tenancy.models import Organization, Person, Program

LONG_TEXT = 4000


class AdvanceSerializer(KnownFieldsOnly):
    """Record the next step of the referral (the web's "Record the next step"): received → accepted → first
    meeting held → engaged."""

    to_status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (Status.ACCEPTED, Status.FIRST_MEETING, Status.ENGAGED)],
        help_text="The step reached: later than the referral's status now.",
    )
    on = serializers.DateField(help_text="The date the step was reached: not before the referral, not in the future.")


class CloseSerializer(KnownFieldsOnly):
    """Close the enrollment (the web's "Close the enrollment"): only when the person chooses to stop."""

    reason = serializers.ChoiceField(choices=ClosureReason.choices, help_text="Why the enrollment is closing.")
    on = serializers.DateField(help_text="The closing date: not before the referral, not in the future.")


class ReopenSerializer(KnownFieldsOnly):
    on = serializers.DateField(help_text="The re-opening date: not before the enrollment closed.")


class ClientLanguageWriteSerializer(KnownFieldsOnly):
    preferred_language = serializers.ChoiceField(
        choices=ClientLanguage.choices, allow_blank=True, help_text="A code of the list; empty: not asked yet."
    )
    interpreter_needed = serializers.BooleanField()


class NextJobHelpSerializer(KnownFieldsOnly):
    on = serializers.DateField(help_text="The day help toward the next job was offered: not before the job ended.")


class BenefitsWriteSerializer(KnownFieldsOnly):
    reason = serializers.ChoiceField(choices=BenefitsPlanning.Reason.choices)
    offered_on = serializers.DateField()
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    planner = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Who did the planning."
    )
    notes = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")


class BenefitsPlanningSerializer(serializers.ModelSerializer[BenefitsPlanning]):
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = BenefitsPlanning
        fields = ["id", "reason", "offered_on", "completed_on", "planner", "notes", "recorded_by"]


class EducationWriteSerializer(KnownFieldsOnly):
    course = serializers.CharField(max_length=200, help_text="The program or course.")
    institution = serializers.CharField(max_length=200)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    completed = serializers.BooleanField(required=False, default=False)


class EducationSerializer(serializers.ModelSerializer[Education]):
    class Meta:
        model = Education
        fields = ["id", "course", "institution", "started_on", "ended_on", "completed"]


class SupportWriteSerializer(KnownFieldsOnly):
    contacted_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=SupportContact.Kind.choices, required=False, default="in_person")
    setting = serializers.ChoiceField(choices=SupportContact.Setting.choices, required=False, default="community")
    note = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")


class SupportContactSerializer(serializers.ModelSerializer[SupportContact]):
    by = PersonRefSerializer(read_only=True)

    class Meta:
        model = SupportContact
        fields = ["id", "contacted_on", "kind", "setting", "note", "by"]


class JobSearchPlanWriteSerializer(KnownFieldsOnly):
    goal = serializers.CharField(
        max_length=LONG_TEXT, allow_blank=True, help_text="The job the person wants, in their words."
    )
    target_employers = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    steps = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")


class JobSearchPlanSerializer(serializers.Serializer[Any]):
    goal = serializers.CharField()
    target_employers = serializers.CharField()
    steps = serializers.CharField()
    updated_on = serializers.DateField(allow_null=True, help_text="null: no plan written yet.")
    version = serializers.IntegerField(help_text="0: no plan written yet.")


class DvrCaseWriteSerializer(KnownFieldsOnly):
    """The DVR case dates of the client (the web's "DVR case" form): offices are the program's DVR offices,
    counselors those who work at them."""

    dvr_office = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of one of the program's DVR offices.",
        error_messages=_choosable("Choose one of the program's DVR offices"),
    )
    counselor = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of a DVR counselor or supervisor of the chosen office.",
        error_messages=_choosable("Choose a counselor who works at one of the program's DVR offices"),
    )
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)
    applied_on = serializers.DateField(required=False, allow_null=True, default=None)
    eligibility = serializers.ChoiceField(choices=DvrCase.Eligibility.choices)
    eligibility_on = serializers.DateField(required=False, allow_null=True, default=None)
    plan_started_on = serializers.DateField(required=False, allow_null=True, default=None)
    plan_ends_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, offices: Any = None, counselors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if offices is not None:
            fields["dvr_office"].queryset = offices
            fields["counselor"].queryset = counselors


class DvrCaseRecordSerializer(serializers.Serializer[Any]):
    dvr_office = serializers.IntegerField(source="dvr_office_id", allow_null=True)
    counselor = serializers.IntegerField(source="counselor_id", allow_null=True)
    referred_on = serializers.DateField(allow_null=True)
    applied_on = serializers.DateField(allow_null=True)
    eligibility = serializers.ChoiceField(choices=DvrCase.Eligibility.choices)
    eligibility_on = serializers.DateField(allow_null=True)
    plan_started_on = serializers.DateField(allow_null=True)
    plan_ends_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField(help_text="0: no DVR case written yet.")


PROFILE_HELP = {
    "preferences": "Kinds of work, hours and places wanted.",
    "barriers": "Challenges: to plan supports, never to screen out.",
    "benefits": "SSI, SSDI, Medicaid, housing...",
}


class CareerProfileWriteSerializer(KnownFieldsOnly):
    """A new version of the career profile (the web's "Update the career profile"): at least one part written."""

    preferences = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default="", help_text=PROFILE_HELP["preferences"]
    )
    work_history = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    education_history = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    strengths = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    barriers = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default="", help_text=PROFILE_HELP["barriers"]
    )
    supports = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    legal_history = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    benefits = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default="", help_text=PROFILE_HELP["benefits"]
    )
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why this update, e.g. After the job at Cedar Bakery ended.",
    )


class CareerProfileSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="0: no career profile written yet.")
    preferences = serializers.CharField()
    work_history = serializers.CharField()
    education_history = serializers.CharField()
    strengths = serializers.CharField()
    barriers = serializers.CharField()
    supports = serializers.CharField()
    legal_history = serializers.CharField()
    benefits = serializers.CharField()
    reason = serializers.CharField()
    written_on = serializers.DateField(allow_null=True)
    written_by = PersonRefSerializer(allow_null=True)


class EmployerWriteSerializer(KnownFieldsOnly):
    """An employer of a program's registry (the web's "Add an employer")."""

    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.none(),
        error_messages=_choosable("Choose a program whose IPS unit you belong to"),
    )
    name = serializers.CharField(max_length=200)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    hiring_needs = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    relationship_notes = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, programs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programs is not None:
            fields: Any = self.fields
            fields["program"].queryset = programs


class EmployerUpdateSerializer(KnownFieldsOnly):
    """The employer's details to change (those left out stay); the program it belongs to does not change."""

    name = serializers.CharField(max_length=200, required=False)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    hiring_needs = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)
    relationship_notes = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)
