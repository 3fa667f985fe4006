"""Forms for client services. They only shape input: the services validate and write."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from ipshub.clients.models import (
    BenefitsPlanning,
    ClosureReason,
    Consent,
    ContactPurpose,
    Disclosure,
    DvrCase,
    Employer,
    EndReason,
    JobType,
    ReferralSource,
    Status,
    SupportContact,
)
from ipshub.lib.concurrency import VersionField
from ipshub.lib.forms import DateInput, limit_choices, set_choices
from ipshub.tenancy.models import Organization, Person, Program

_TEXT = forms.Textarea(attrs={"rows": 3})


def _today() -> Any:
    return timezone.localdate()


class ReferralForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label="IPS program")
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    preferred_name = forms.CharField(max_length=100, required=False)
    birth_date = forms.DateField(widget=DateInput())
    record_number = forms.CharField(max_length=40, required=False, label="Agency record number")
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    referral_date = forms.DateField(widget=DateInput(), initial=_today)
    referral_source = forms.ChoiceField(choices=ReferralSource.choices, label="Referred by")
    referral_note = forms.CharField(
        widget=_TEXT,
        required=False,
        label="Note",
        help_text="What kind of work the person is interested in, and how best to reach them. "
        "Anyone who wants to work is referred: no readiness or screening questions.",
    )
    not_duplicate = forms.BooleanField(
        required=False,
        label="This is a different person",
        help_text="Tick only if we warned that a client with this name and birth date exists.",
    )

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "program", programs)
        if programs.count() == 1:
            self.fields["program"].initial = programs.first()


class AdvanceForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (Status.ACCEPTED, Status.FIRST_MEETING, Status.ENGAGED)],
        label="Step reached",
    )
    on = forms.DateField(widget=DateInput(), initial=_today, label="Date")


class AssignForm(forms.Form):
    specialist = forms.ModelChoiceField(queryset=Person.objects.none(), label="Employment specialist")
    version = VersionField()

    def __init__(self, *args: Any, specialists: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "specialist", specialists)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(choices=ClosureReason.choices, label="Reason for closing")
    on = forms.DateField(widget=DateInput(), initial=_today, label="Closing date")


class ReopenForm(forms.Form):
    on = forms.DateField(widget=DateInput(), initial=_today, label="Re-opening date")


class ConsentForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Shared with")
    scope = forms.ChoiceField(choices=Consent.Scope.choices, label="What may be shared")
    starts_on = forms.DateField(widget=DateInput(), initial=_today, label="Signed on")
    expires_on = forms.DateField(widget=DateInput(), required=False, label="Expires on")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organization", organizations)


class DvrCaseForm(forms.Form):
    dvr_office = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False, label="DVR office")
    counselor = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label="DVR counselor")
    referred_on = forms.DateField(widget=DateInput(), required=False, label="Referred to DVR on")
    applied_on = forms.DateField(widget=DateInput(), required=False, label="Application date")
    eligibility = forms.ChoiceField(choices=DvrCase.Eligibility.choices)
    eligibility_on = forms.DateField(widget=DateInput(), required=False, label="Eligibility decided on")
    plan_started_on = forms.DateField(widget=DateInput(), required=False, label="Employment plan signed on")
    plan_ends_on = forms.DateField(widget=DateInput(), required=False, label="Employment plan ends on")
    version = VersionField(min_value=0)

    def __init__(
        self, *args: Any, offices: QuerySet[Organization], counselors: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "dvr_office", offices)
        limit_choices(self, "counselor", counselors)


class CareerProfileForm(forms.Form):
    preferences = forms.CharField(widget=_TEXT, required=False, help_text="Kinds of work, hours and places wanted.")
    work_history = forms.CharField(widget=_TEXT, required=False)
    education_history = forms.CharField(widget=_TEXT, required=False)
    strengths = forms.CharField(widget=_TEXT, required=False)
    barriers = forms.CharField(
        widget=_TEXT, required=False, label="Challenges", help_text="To plan supports, never to screen out."
    )
    supports = forms.CharField(widget=_TEXT, required=False)
    legal_history = forms.CharField(widget=_TEXT, required=False)
    benefits = forms.CharField(widget=_TEXT, required=False, help_text="SSI, SSDI, Medicaid, housing...")
    version = VersionField(min_value=0)  # the version this one is based on (0: the first)
    reason = forms.CharField(
        max_length=200,
        required=False,
        label="Why this update",
        help_text="e.g. After the job at Cedar Bakery ended.",
    )


class BenefitsForm(forms.Form):
    reason = forms.ChoiceField(choices=BenefitsPlanning.Reason.choices)
    offered_on = forms.DateField(widget=DateInput(), initial=_today, label="Offered on")
    completed_on = forms.DateField(widget=DateInput(), required=False, label="Completed on")
    planner = forms.CharField(max_length=200, required=False, label="Planner", help_text="Who did the planning.")
    notes = forms.CharField(widget=_TEXT, required=False)


class JobSearchPlanForm(forms.Form):
    goal = forms.CharField(widget=_TEXT, label="Job goal", help_text="The job the person wants, in their words.")
    target_employers = forms.CharField(widget=_TEXT, required=False, label="Employers to approach")
    steps = forms.CharField(widget=_TEXT, required=False, label="Next steps")
    version = VersionField(min_value=0)


class EmployerForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label="IPS program")
    name = forms.CharField(max_length=200)
    industry = forms.CharField(max_length=100, required=False)
    contact_name = forms.CharField(max_length=200, required=False, label="Contact person")
    contact_phone = forms.CharField(max_length=40, required=False, label="Contact phone")
    contact_email = forms.EmailField(required=False, label="Contact email")
    address = forms.CharField(max_length=300, required=False)
    hiring_needs = forms.CharField(widget=_TEXT, required=False)
    relationship_notes = forms.CharField(widget=_TEXT, required=False)

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "program", programs)
        if programs.count() == 1:
            self.fields["program"].initial = programs.first()


class EmployerChoiceMixin(forms.Form):
    employer: "forms.ModelChoiceField[Employer]" = forms.ModelChoiceField(
        queryset=Employer.objects.none(), required=False
    )
    new_employer_name = forms.CharField(
        max_length=200,
        required=False,
        label="Or a new employer",
        help_text="Type a name to add it to the registry.",
    )


class EmployerContactForm(EmployerChoiceMixin):
    contacted_on = forms.DateField(widget=DateInput(), initial=_today, label="Date")
    face_to_face = forms.BooleanField(required=False, initial=True, label="Face to face")
    purpose = forms.ChoiceField(choices=ContactPurpose.choices)
    enrollment = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="For a job seeker",
        help_text="Leave empty for a general contact.",
    )
    outcome = forms.CharField(widget=_TEXT, required=False)

    field_order = [
        "contacted_on",
        "employer",
        "new_employer_name",
        "face_to_face",
        "purpose",
        "enrollment",
        "outcome",
    ]

    def __init__(self, *args: Any, employers: QuerySet[Any], job_seekers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "employer", employers)
        set_choices(self, "enrollment", [("", "General contact"), *job_seekers])


class JobStartForm(EmployerChoiceMixin):
    title = forms.CharField(max_length=200, label="Job title")
    job_type = forms.ChoiceField(choices=JobType.choices, label="Job type")
    started_on = forms.DateField(widget=DateInput(), label="Start date")
    hours_per_week = forms.DecimalField(max_digits=5, decimal_places=1, label="Hours a week")
    hourly_wage = forms.DecimalField(max_digits=7, decimal_places=2, label="Hourly wage ($)")
    is_competitive = forms.BooleanField(
        required=False,
        initial=True,
        label="Competitive job",
        help_text="Open to anyone, at least minimum wage, no agency-imposed time limit.",
    )
    disclosure = forms.ChoiceField(choices=Disclosure.choices, label="What was disclosed to the employer")

    field_order = [
        "employer",
        "new_employer_name",
        "title",
        "job_type",
        "started_on",
        "hours_per_week",
        "hourly_wage",
    ]

    def __init__(self, *args: Any, employers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "employer", employers)


class JobChangeForm(forms.Form):
    changed_on = forms.DateField(widget=DateInput(), initial=_today, label="Date of the change")
    title = forms.CharField(max_length=200, label="Job title")
    hours_per_week = forms.DecimalField(max_digits=5, decimal_places=1, label="Hours a week")
    hourly_wage = forms.DecimalField(max_digits=7, decimal_places=2, label="Hourly wage ($)")
    note = forms.CharField(max_length=300, required=False)
    version = VersionField()


class JobEndForm(forms.Form):
    ended_on = forms.DateField(widget=DateInput(), initial=_today, label="End date")
    end_reason = forms.ChoiceField(choices=[("", "Choose a reason"), *EndReason.choices], label="Why it ended")
    end_note = forms.CharField(widget=_TEXT, required=False, label="Note")


class NextJobHelpForm(forms.Form):
    on = forms.DateField(widget=DateInput(), initial=_today, label="Help offered on")


class EducationForm(forms.Form):
    course = forms.CharField(max_length=200, label="Program or course")
    institution = forms.CharField(max_length=200)
    started_on = forms.DateField(widget=DateInput(), label="Start date")
    ended_on = forms.DateField(widget=DateInput(), required=False, label="End date")
    completed = forms.BooleanField(required=False, label="Completed")


class SupportContactForm(forms.Form):
    contacted_on = forms.DateField(widget=DateInput(), initial=_today, label="Date")
    kind = forms.ChoiceField(choices=SupportContact.Kind.choices, widget=forms.RadioSelect, initial="in_person")
    setting = forms.ChoiceField(choices=SupportContact.Setting.choices, widget=forms.RadioSelect, initial="community")
    note = forms.CharField(widget=_TEXT, required=False)
