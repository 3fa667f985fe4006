"""Forms for client services. They shape input; the services validate and write. Each form's clean() also
runs its service's checks (the `*_problems` functions) on what it could read, so one submit shows every
problem at once, the fields' own and the rules', never one at a time."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ipshub.clients import checks, services
from ipshub.clients.models import (
    BenefitsPlanning,
    ClientLanguage,
    ClosureReason,
    Consent,
    ContactPurpose,
    Disclosure,
    DvrCase,
    Employer,
    EndReason,
    Enrollment,
    Job,
    JobType,
    ReferralSource,
    Status,
    SupportContact,
)
from ipshub.lib.concurrency import VersionField
from ipshub.lib.forms import DateInput, add_problems, limit_choices, preselect_single_choice, set_choices
from ipshub.tenancy.models import Organization, Person, Program

_TEXT = forms.Textarea(attrs={"rows": 3})


def _today() -> Any:
    return timezone.localdate()


class CheckedForm(forms.Form):
    """A form whose clean() adds its service's problems to the fields' own (see the module's docstring)."""

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_problems(self, self.problems(data))
        return data


class ClientLanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        choices=[("", _("Not asked yet")), *ClientLanguage.choices],
        required=False,
        label=_("Preferred language"),
        help_text=_("The language the person prefers to speak and read. Choose Other and name it in a note."),
    )
    interpreter_needed = forms.BooleanField(required=False, label=_("Needs an interpreter"))


class ReferralForm(CheckedForm):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("IPS program"))
    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    preferred_name = forms.CharField(max_length=100, required=False, label=_("Preferred name"))
    birth_date = forms.DateField(widget=DateInput(), label=_("Birth date"))
    record_number = forms.CharField(max_length=40, required=False, label=_("Agency record number"))
    phone = forms.CharField(max_length=40, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("Email"))
    preferred_language = forms.ChoiceField(
        choices=[("", _("Not asked yet")), *ClientLanguage.choices],
        required=False,
        label=_("Preferred language"),
        help_text=_("The language the person prefers to speak and read. Choose Other and name it in the note."),
    )
    interpreter_needed = forms.BooleanField(required=False, label=_("Needs an interpreter"))
    referral_date = forms.DateField(widget=DateInput(), initial=_today, label=_("Referral date"))
    referral_source = forms.ChoiceField(choices=ReferralSource.choices, label=_("Referred by"))
    referral_note = forms.CharField(
        widget=_TEXT,
        required=False,
        label=_("Note"),
        help_text=_(
            "What kind of work the person is interested in, and how best to reach them. "
            "Anyone who wants to work is referred: no readiness or screening questions."
        ),
    )
    not_duplicate = forms.BooleanField(
        required=False,
        label=_("This is a different person"),
        help_text=_("Tick only if we warned that a client with this name and birth date exists."),
    )

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "program", programs)
        preselect_single_choice(self, "program")

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.referral_problems(
            first_name=data.get("first_name"),
            last_name=data.get("last_name"),
            birth_date=data.get("birth_date"),
            referral_date=data.get("referral_date"),
        )


class AdvanceForm(CheckedForm):
    to_status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (Status.ACCEPTED, Status.FIRST_MEETING, Status.ENGAGED)],
        label=_("Step reached"),
    )
    on = forms.DateField(widget=DateInput(), initial=_today, label=_("Date"))

    def __init__(self, *args: Any, enrollment: Enrollment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        if self.enrollment is None:
            return {}
        return services.advance_problems(enrollment=self.enrollment, to_status=data.get("to_status"), on=data.get("on"))


class CloseForm(CheckedForm):
    reason = forms.ChoiceField(choices=ClosureReason.choices, label=_("Reason for closing"))
    on = forms.DateField(widget=DateInput(), initial=_today, label=_("Closing date"))

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.close_problems(enrollment=self.enrollment, on=data.get("on"), reason=data.get("reason"))


class ReopenForm(CheckedForm):
    on = forms.DateField(widget=DateInput(), initial=_today, label=_("Re-opening date"))

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.reopen_problems(enrollment=self.enrollment, on=data.get("on"))


class ConsentForm(CheckedForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Shared with"))
    scope = forms.ChoiceField(choices=Consent.Scope.choices, label=_("What may be shared"))
    starts_on = forms.DateField(widget=DateInput(), initial=_today, label=_("Signed on"))
    expires_on = forms.DateField(widget=DateInput(), required=False, label=_("Expires on"))
    scan = forms.FileField(
        required=False,
        label=_("Scan of the signed release"),
        help_text=_("Optional: a PDF, PNG or JPEG of the paper form, kept with the consent."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organization", organizations)
        preselect_single_choice(self, "organization")

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.consent_problems(starts_on=data.get("starts_on"), expires_on=data.get("expires_on"))


class DvrCaseForm(CheckedForm):
    dvr_office = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False, label=_("DVR office"))
    counselor = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("DVR counselor"))
    referred_on = forms.DateField(widget=DateInput(), required=False, label=_("Referred to DVR on"))
    applied_on = forms.DateField(widget=DateInput(), required=False, label=_("Application date"))
    eligibility = forms.ChoiceField(choices=DvrCase.Eligibility.choices, label=_("Eligibility"))
    eligibility_on = forms.DateField(widget=DateInput(), required=False, label=_("Eligibility decided on"))
    plan_started_on = forms.DateField(widget=DateInput(), required=False, label=_("Employment plan signed on"))
    plan_ends_on = forms.DateField(widget=DateInput(), required=False, label=_("Employment plan ends on"))
    version = VersionField(min_value=0)

    def __init__(
        self, *args: Any, offices: QuerySet[Organization], counselors: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "dvr_office", offices)
        limit_choices(self, "counselor", counselors)

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.dvr_case_problems(
            referred_on=data.get("referred_on"),
            applied_on=data.get("applied_on"),
            eligibility_on=data.get("eligibility_on"),
            plan_started_on=data.get("plan_started_on"),
            plan_ends_on=data.get("plan_ends_on"),
        )


class CareerProfileForm(forms.Form):
    preferences = forms.CharField(
        widget=_TEXT,
        required=False,
        label=_("Preferences"),
        help_text=_("Kinds of work, hours and places wanted."),
    )
    work_history = forms.CharField(widget=_TEXT, required=False, label=_("Work history"))
    education_history = forms.CharField(widget=_TEXT, required=False, label=_("Education history"))
    strengths = forms.CharField(widget=_TEXT, required=False, label=_("Strengths"))
    barriers = forms.CharField(
        widget=_TEXT, required=False, label=_("Challenges"), help_text=_("To plan supports, never to screen out.")
    )
    supports = forms.CharField(widget=_TEXT, required=False, label=_("Supports"))
    legal_history = forms.CharField(widget=_TEXT, required=False, label=_("Legal history"))
    benefits = forms.CharField(
        widget=_TEXT, required=False, label=_("Benefits"), help_text=_("SSI, SSDI, Medicaid, housing...")
    )
    version = VersionField(min_value=0)  # the version this one is based on (0: the first)
    reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("Why this update"),
        help_text=_("e.g. After the job at Cedar Bakery ended."),
    )


class BenefitsForm(CheckedForm):
    reason = forms.ChoiceField(choices=BenefitsPlanning.Reason.choices, label=_("Reason"))
    offered_on = forms.DateField(widget=DateInput(), initial=_today, label=_("Offered on"))
    completed_on = forms.DateField(widget=DateInput(), required=False, label=_("Completed on"))
    planner = forms.CharField(max_length=200, required=False, label=_("Planner"), help_text=_("Who did the planning."))
    notes = forms.CharField(widget=_TEXT, required=False, label=_("Notes"))

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.benefits_problems(offered_on=data.get("offered_on"), completed_on=data.get("completed_on"))


class JobSearchPlanForm(forms.Form):
    goal = forms.CharField(widget=_TEXT, label=_("Job goal"), help_text=_("The job the person wants, in their words."))
    target_employers = forms.CharField(widget=_TEXT, required=False, label=_("Employers to approach"))
    steps = forms.CharField(widget=_TEXT, required=False, label=_("Next steps"))
    version = VersionField(min_value=0)


class EmployerForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("IPS program"))
    name = forms.CharField(max_length=200, label=_("Name"))
    industry = forms.CharField(max_length=100, required=False, label=_("Industry"))
    contact_name = forms.CharField(max_length=200, required=False, label=_("Contact person"))
    contact_phone = forms.CharField(max_length=40, required=False, label=_("Contact phone"))
    contact_email = forms.EmailField(required=False, label=_("Contact email"))
    address = forms.CharField(max_length=300, required=False, label=_("Address"))
    hiring_needs = forms.CharField(widget=_TEXT, required=False, label=_("Hiring needs"))
    relationship_notes = forms.CharField(widget=_TEXT, required=False, label=_("Relationship notes"))

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "program", programs)
        preselect_single_choice(self, "program")


class EmployerChoiceMixin(CheckedForm):
    employer: "forms.ModelChoiceField[Employer]" = forms.ModelChoiceField(
        queryset=Employer.objects.none(), required=False, label=_("Employer")
    )
    new_employer_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Or a new employer"),
        help_text=_("Type a name to add it to the registry."),
    )


FOLLOWS_PREFERENCES_CHOICES = [("", _("Not recorded")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool:
    return value == "yes"


class EmployerContactForm(EmployerChoiceMixin):
    contacted_on = forms.DateField(widget=DateInput(), initial=_today, label=_("Date"))
    face_to_face = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Face to face"),
        help_text=_("Met in person, usually at the workplace: the contacts the weekly standard counts."),
    )
    purpose = forms.ChoiceField(choices=ContactPurpose.choices, label=_("Purpose"))
    enrollment = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("For a job seeker"),
        help_text=_("Leave empty for a general contact."),
    )
    follows_preferences = forms.TypedChoiceField(
        choices=FOLLOWS_PREFERENCES_CHOICES,
        coerce=_yes_no,
        required=False,
        empty_value=None,
        label=_("Does this contact follow a job seeker's preferences?"),
        help_text=_("Yes when the employer has the kind of work someone on the caseload wants (fidelity item 16)."),
    )
    outcome = forms.CharField(widget=_TEXT, required=False, label=_("Outcome"))

    field_order = [
        "contacted_on",
        "employer",
        "new_employer_name",
        "face_to_face",
        "purpose",
        "enrollment",
        "follows_preferences",
        "outcome",
    ]

    def __init__(
        self,
        *args: Any,
        employers: QuerySet[Any],
        job_seekers: list[tuple[int, str]],
        program: Program | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "employer", employers)
        set_choices(self, "enrollment", [("", _("General contact")), *job_seekers])
        self.program = program
        if self.initial.get("enrollment") and "purpose" not in self.initial:
            # Opened from a client's record: the contact is about that job seeker's search.
            self.initial["purpose"] = ContactPurpose.CLIENT

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        if self.program is None:
            return {}
        return services.contact_problems(
            program=self.program,
            contacted_on=data.get("contacted_on"),
            employer=data.get("employer"),
            new_employer_name=data.get("new_employer_name"),
        )


_COMPETITIVE_HELP = _("Open to anyone, at least the minimum wage, no agency-imposed time limit.")


def _hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal(0),
        label=_("Hours a week"),
        error_messages={"min_value": _("Hours a week can't be negative: enter 0 or more.")},
    )


def _wage_field() -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal(0),
        label=_("Hourly wage ($)"),
        error_messages={"min_value": "The hourly wage can't be negative: enter 0 or more."},
    )


class PayFiguresForm(CheckedForm):
    """Hours and pay, with the "these figures are right" box shown only when they are unusual (more than 60
    hours a week or less than 1, more than $100 an hour): the save goes through once it is ticked."""

    confirm_implausible = forms.BooleanField(
        required=False,
        label=_("Yes, these figures are right"),
        help_text=_("Unusual but true hours or pay: tick to save them as they are."),
    )

    def _offer_confirmation(self) -> None:
        if not checks.implausible(self._raw_decimal("hours_per_week"), self._raw_decimal("hourly_wage")):
            del self.fields[checks.CONFIRM_FIELD]

    def _raw_decimal(self, name: str) -> Decimal | None:
        if not self.is_bound:
            return None
        try:
            value = self.fields[name].clean(self.data.get(self.add_prefix(name)))
        except ValidationError:
            return None
        return value if isinstance(value, Decimal) else None


class JobStartForm(EmployerChoiceMixin, PayFiguresForm):
    title = forms.CharField(max_length=200, label=_("Job title"))
    job_type = forms.ChoiceField(choices=JobType.choices, label=_("Job type"))
    started_on = forms.DateField(widget=DateInput(), label=_("Start date"))
    hours_per_week = _hours_field()
    hourly_wage = _wage_field()
    is_competitive = forms.BooleanField(
        required=False, initial=True, label=_("Competitive job"), help_text=_COMPETITIVE_HELP
    )
    disclosure = forms.ChoiceField(choices=Disclosure.choices, label=_("What was disclosed to the employer"))

    field_order = [
        "employer",
        "new_employer_name",
        "title",
        "job_type",
        "started_on",
        "hours_per_week",
        "hourly_wage",
        "confirm_implausible",
        "is_competitive",
    ]

    def __init__(self, *args: Any, employers: QuerySet[Any], enrollment: Enrollment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "employer", employers)
        self.enrollment = enrollment
        today_rate = checks.minimum_wage_for(enrollment.program.state, _today())
        self.fields["is_competitive"].help_text = f"{_COMPETITIVE_HELP} {today_rate.hint()}"  # the hint: tenancy's
        self._offer_confirmation()

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.job_start_problems(
            enrollment=self.enrollment,
            title=data.get("title"),
            started_on=data.get("started_on"),
            hours_per_week=data.get("hours_per_week"),
            hourly_wage=data.get("hourly_wage"),
            is_competitive=data.get("is_competitive"),
            confirm_implausible=bool(data.get(checks.CONFIRM_FIELD)),
            employer=data.get("employer"),
            new_employer_name=data.get("new_employer_name"),
        )


class JobChangeForm(PayFiguresForm):
    changed_on = forms.DateField(widget=DateInput(), initial=_today, label=_("Date of the change"))
    title = forms.CharField(max_length=200, label=_("Job title"))
    hours_per_week = _hours_field()
    hourly_wage = _wage_field()
    is_competitive = forms.BooleanField(
        required=False,
        label=_("Still a competitive job"),
        help_text=format_lazy("{} {}", _COMPETITIVE_HELP, _("Untick if the change means it no longer is.")),
    )
    note = forms.CharField(max_length=300, required=False, label=_("Note"))
    version = VersionField()

    field_order = [
        "changed_on",
        "title",
        "hours_per_week",
        "hourly_wage",
        "confirm_implausible",
        "is_competitive",
        "note",
    ]

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        today_rate = checks.minimum_wage_for(job.enrollment.program.state, _today())
        self.fields["is_competitive"].help_text += f" {today_rate.hint()}"
        self._offer_confirmation()

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.job_change_problems(
            job=self.job,
            changed_on=data.get("changed_on"),
            hours_per_week=data.get("hours_per_week"),
            hourly_wage=data.get("hourly_wage"),
            is_competitive=data.get("is_competitive"),
            confirm_implausible=bool(data.get(checks.CONFIRM_FIELD)),
        )


class JobEndForm(CheckedForm):
    ended_on = forms.DateField(widget=DateInput(), initial=_today, label=_("End date"))
    end_reason = forms.ChoiceField(choices=[("", _("Choose a reason")), *EndReason.choices], label=_("Why it ended"))
    end_note = forms.CharField(widget=_TEXT, required=False, label=_("Note"))

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.fields["end_reason"].error_messages["required"] = "Choose why the job ended."

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.job_end_problems(job=self.job, ended_on=data.get("ended_on"), end_reason=data.get("end_reason"))


class NextJobHelpForm(CheckedForm):
    on = forms.DateField(widget=DateInput(), initial=_today, label=_("Help offered on"))

    def __init__(self, *args: Any, job: Job, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.next_help_problems(job=self.job, on=data.get("on"))


class EducationForm(CheckedForm):
    course = forms.CharField(max_length=200, label=_("Program or course"))
    institution = forms.CharField(max_length=200, label=_("Institution"))
    started_on = forms.DateField(widget=DateInput(), label=_("Start date"))
    ended_on = forms.DateField(widget=DateInput(), required=False, label=_("End date"))
    completed = forms.BooleanField(required=False, label=_("Completed"))

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.education_problems(
            started_on=data.get("started_on"), ended_on=data.get("ended_on"), completed=data.get("completed")
        )


class SupportContactForm(CheckedForm):
    contacted_on = forms.DateField(widget=DateInput(), initial=_today, label=_("Date"))
    kind = forms.ChoiceField(
        choices=SupportContact.Kind.choices, widget=forms.RadioSelect, initial="in_person", label=_("Kind")
    )
    setting = forms.ChoiceField(
        choices=SupportContact.Setting.choices, widget=forms.RadioSelect, initial="community", label=_("Setting")
    )
    note = forms.CharField(widget=_TEXT, required=False, label=_("Note"))

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return services.support_problems(enrollment=self.enrollment, contacted_on=data.get("contacted_on"))
