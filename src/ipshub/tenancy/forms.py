from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ipshub.lib.concurrency import VersionField
from ipshub.lib.forms import DateInput, add_problems, limit_choices, preselect_single_choice
from ipshub.tenancy import services
from ipshub.tenancy.models import MinimumWage, Organization, Person, State
from ipshub.tenancy.roles import OrgKind, Role


class OrganizationForm(forms.Form):
    state = forms.ModelChoiceField(queryset=State.objects.none(), label=_("State"))
    kind = forms.ChoiceField(choices=OrgKind.choices, label=_("Kind of organization"))
    name = forms.CharField(max_length=200, label=_("Name"))
    is_tribal = forms.BooleanField(
        required=False,
        label=_("Tribal mental health agency"),
        help_text=_("Only for a mental health agency run by a tribal nation."),
    )
    region = forms.CharField(
        max_length=100, required=False, help_text=_("Region of the state, for roll-ups."), label=_("Region")
    )
    county = forms.CharField(max_length=100, required=False, label=_("County"))
    phone = forms.CharField(max_length=40, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("Email"))
    version = VersionField()
    # When editing, the kind is not on the form (it is fixed): the view sets the organization's here.
    existing_kind: str | None = None

    def __init__(self, *args: Any, states: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "state", states)
        if editing:
            # An organization's state and kind define who can see it; they are fixed once created.
            del self.fields["state"], self.fields["kind"]
        if states.count() == 1 and "state" in self.fields:
            self.fields["state"].initial = states.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or self.existing_kind
        if data.get("is_tribal") and kind and kind != OrgKind.MH_AGENCY:
            self.add_error("is_tribal", services.TRIBAL_ONLY_MH_AGENCY)
        return data


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))
    username = forms.CharField(max_length=150, help_text=_("Letters, digits and @ . + - _ only."), label=_("Username"))
    email = forms.EmailField(label=_("Email"))
    title = forms.CharField(max_length=120, required=False, label=_("Job title"))
    phone = forms.CharField(max_length=40, required=False, label=_("Phone"))


class PersonCreateForm(PersonForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=True),
        required=False,
        strip=False,
        help_text=(_("At least 10 characters, not a common password. Leave empty to let the person set one later.")),
        label=_("Password"),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organization", organizations)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            candidate = Person(
                username=data.get("username", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class PersonEditForm(PersonForm):
    is_active = forms.BooleanField(
        required=False,
        label=_("Account active"),
        help_text=_("Clearing this signs the person out everywhere at once."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["username"]


class MembershipForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organization", organizations)


class ProgramForm(forms.Form):
    state = forms.ModelChoiceField(queryset=State.objects.none(), label=_("State"))
    name = forms.CharField(max_length=200, help_text=_("e.g. Pine County IPS"), label=_("Name"))
    mh_agency = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Mental health agency"))
    employment_provider = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("Employment service provider"),
        help_text=_("Leave empty when the mental health agency's own staff provide employment services."),
    )
    dvr_offices = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("DVR offices"),
        required=False,
    )
    trainer = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Assigned state trainer"))
    region = forms.CharField(max_length=100, required=False, label=_("Region"))
    funding_source = forms.CharField(
        max_length=100, required=False, help_text=_("e.g. Medicaid, state grant."), label=_("Funding source")
    )
    version = VersionField()

    def __init__(
        self, *args: Any, states: Any, organizations: Any, trainers: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "state", states)
        if states.count() == 1:
            self.fields["state"].initial = states.first()
        limit_choices(self, "mh_agency", organizations.filter(kind=OrgKind.MH_AGENCY))
        limit_choices(self, "employment_provider", organizations.filter(kind=OrgKind.EMPLOYMENT_PROVIDER))
        limit_choices(self, "dvr_offices", organizations.filter(kind=OrgKind.DVR_OFFICE))
        limit_choices(self, "trainer", trainers)
        if editing:
            del self.fields["state"]


class MinimumWageForm(forms.Form):
    """A state's minimum wage from a date on. The state is asked only when adding, of a person who keeps the
    rates of several states."""

    state = forms.ModelChoiceField(queryset=State.objects.none(), label=_("State"))
    hourly_rate = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        label=_("Hourly rate ($)"),
        help_text=_("The state's own minimum, e.g. 12.00. Where the federal minimum ($7.25) is higher, it applies."),
    )
    effective_from = forms.DateField(widget=DateInput(), label=_("In force from"))
    note = forms.CharField(
        max_length=300,
        required=False,
        label=_("Source"),
        help_text=_("Where the rate comes from, e.g. the statute or the labor department's notice."),
    )

    def __init__(
        self, *args: Any, states: QuerySet[State] | None = None, editing: MinimumWage | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None or states is None:
            del self.fields["state"]
        else:
            limit_choices(self, "state", states)
            preselect_single_choice(self, "state")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        state = self.editing.state if self.editing is not None else data.get("state")
        if state is not None:
            add_problems(
                self,
                services.minimum_wage_problems(
                    state=state,
                    hourly_rate=data.get("hourly_rate"),
                    effective_from=data.get("effective_from"),
                    editing=self.editing,
                ),
            )
        return data
