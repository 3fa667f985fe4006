from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ipshub.areakit.records import FidelityLinks
from ipshub.collaboration import training
from ipshub.collaboration.models import (
    PROGRAM_KINDS,
    STATEWIDE_KINDS,
    Cadence,
    DigestFrequency,
    FollowUpStatus,
    MeetingKind,
    MentoringActivity,
    TAKind,
)
from ipshub.lib.forms import DateInput, limit_choices, set_choices
from ipshub.tenancy.models import Membership, Organization, Person

if TYPE_CHECKING:  # Django's choice fields take a model type argument in the stubs only, not at run time
    PeopleField = forms.ModelMultipleChoiceField[Person]
    SeatField = forms.ModelChoiceField[Membership]
else:
    PeopleField = forms.ModelMultipleChoiceField
    SeatField = forms.ModelChoiceField


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class PersonChoices(PeopleField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} — {obj.title}" if obj.title else str(obj)


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"))
    title = forms.CharField(max_length=200, help_text=_("e.g. Pine County IPS unit meeting."), label=_("Title"))
    cadence = forms.ChoiceField(
        choices=[("", _("The usual one for this kind")), *Cadence.choices], required=False, label=_("How often")
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Notes"))

    def __init__(self, *args: Any, statewide: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = STATEWIDE_KINDS if statewide else PROGRAM_KINDS
        set_choices(self, "kind", [(k.value, k.label) for k in kinds])


class StatewideSeriesForm(SeriesForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("State IPS team"))

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, statewide=True, **kwargs)
        limit_choices(self, "organization", organizations)
        self.order_fields(["organization", "kind", "title", "cadence", "notes"])


class MeetingForm(forms.Form):
    date = forms.DateField(widget=DateInput(), label=_("Date"))
    starts_at = forms.TimeField(widget=TimeInput(), label=_("Start time"))
    ends_at = forms.TimeField(widget=TimeInput(), label=_("End time"))
    location = forms.CharField(max_length=200, required=False, label=_("Location"))
    attendees = PersonChoices(queryset=Person.objects.none(), required=False, label=_("Who attended"))
    invited = PersonChoices(
        queryset=Person.objects.none(),
        required=False,
        label=_("Invited but absent"),
        help_text=_("Record the state trainer here when invited to a steering committee they could not attend."),
    )
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Agenda"))
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, label=_("Minutes"))

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("attendees", "invited"):
            limit_choices(self, name, people)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error(
                "ends_at",
                _("The meeting can't end (%(ends_at)s) before or when it starts (%(starts_at)s). Check the end time.")
                % {"ends_at": format(ends_at, "%-I:%M %p"), "starts_at": format(starts_at, "%-I:%M %p")},
            )
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Decision"))


class FollowUpForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Follow-up"))
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Who does it"))
    due_on = forms.DateField(widget=DateInput(), required=False, label=_("Due"))

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", people)


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FollowUpStatus.choices, label=_("Status"))


class SeatChoice(SeatField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.person} — {obj.get_role_display()}, {obj.organization.name}"


class TrainingForm(forms.Form):
    membership = SeatChoice(queryset=Membership.objects.none(), label=_("Person"))
    course = forms.ChoiceField(choices=(), label=_("Course"))
    completed_on = forms.DateField(widget=DateInput(), label=_("Completed on"))
    hours = forms.DecimalField(max_digits=5, decimal_places=1, required=False, min_value=0, label=_("Hours"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Notes"))

    def __init__(self, *args: Any, seats: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "membership", seats)
        set_choices(self, "course", [("", _("- Select -")), *training.course_choices()])


class MentoringForm(forms.Form):
    specialist = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Employment specialist"))
    date = forms.DateField(widget=DateInput(), label=_("Date"))
    activity = forms.ChoiceField(choices=MentoringActivity.choices, label=_("Activity"))
    hours = forms.DecimalField(max_digits=4, decimal_places=1, required=False, min_value=0, label=_("Hours"))
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text=_("What went well, what to work on."), label=_("Feedback")
    )
    next_steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Next steps"))

    def __init__(self, *args: Any, specialists: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "specialist", specialists)


class TAForm(forms.Form):
    date = forms.DateField(widget=DateInput(), label=_("Date"))
    kind = forms.ChoiceField(choices=TAKind.choices, label=_("Kind of assistance"))
    hours = forms.DecimalField(max_digits=4, decimal_places=1, min_value=0, label=_("Hours"))
    topics = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Topics"))
    results = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Results"))
    next_steps_program = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Next steps for the program")
    )
    next_steps_trainer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Next steps for the trainer")
    )
    # --- From finding to result (issue #23): the fidelity items and action items the TA answers.
    fidelity_items = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Fidelity items it addresses"),
        help_text=_("The items of the fidelity scale this assistance works on (optional)."),
    )
    action_item_ids = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Action-plan items it addresses"),
        help_text=_("From the program's fidelity action plans (optional)."),
    )

    def __init__(self, *args: Any, links: FidelityLinks | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if links is None:
            links = FidelityLinks()
        set_choices(self, "fidelity_items", [(n, f"{n}. {name}") for n, name in links.items])
        set_choices(
            self,
            "action_item_ids",
            [
                (
                    a.id,
                    gettext("%(title)s (%(review)s; items %(items)s; %(status)s)")
                    % {
                        "title": a.title,
                        "review": a.review,
                        "items": ", ".join(map(str, a.item_numbers)) or "—",
                        "status": a.status,
                    },
                )
                for a in links.action_items
            ],
        )
        if not links.action_items:
            del self.fields["action_item_ids"]

    # --- end issue #23


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=DigestFrequency.choices, widget=forms.RadioSelect, label=_("E-mail me a reminder digest")
    )


MEETING_KIND_CHOICES = [("", "All kinds"), *MeetingKind.choices]
