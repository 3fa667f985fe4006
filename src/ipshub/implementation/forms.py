from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshub.implementation import services
from ipshub.implementation.models import (
    BulkAction,
    DataAccepted,
    ItemStatus,
    Material,
    OutreachKind,
    PartnershipStatus,
    Resource,
    ResourceKind,
    ResourceTopic,
    SteeringRole,
)
from ipshub.lib.forms import DateInput, limit_choices
from ipshub.tenancy.models import Person, Phase, Program

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class StrategyForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices, label=_("Status"))
    reason = forms.CharField(
        required=False,
        widget=TEXTAREA,
        label=_("Reason it does not apply"),
        help_text=_("Required for 'Not applicable'."),
    )
    notes = forms.CharField(required=False, widget=TEXTAREA, label=_("Notes"))
    started_on = forms.DateField(required=False, widget=DateInput(), label=_("Started on"))
    completed_on = forms.DateField(required=False, widget=DateInput(), label=_("Completed on"))


class EvidenceForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Evidence title"), help_text=_("e.g. Signed service agreement"))
    file = forms.FileField(
        required=False,
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV; at most the size limit shown below."),
    )
    link = forms.URLField(
        assume_scheme="https",
        required=False,
        max_length=500,
        label=_("Or a link"),
        help_text=_("e.g. https://drive.example.org/agreement"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("link") and not self.errors:
            self.add_error("file", _("Choose a file to upload, or enter a link."))
        return data


class AssignmentForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ItemStatus if s != ItemStatus.SUPERSEDED],
        help_text=_(
            "It closes by itself when the work that fulfils it is recorded. Marking it done or not "
            "applicable by hand needs a comment saying why."
        ),
        label=_("Status"),
    )
    due_on = forms.DateField(widget=DateInput(), label=_("Due date"))
    owner = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Owner"),
        empty_label=_("The organization (nobody named)"),
    )
    notes = forms.CharField(required=False, widget=TEXTAREA, label=_("Notes"))
    comment = forms.CharField(required=False, widget=TEXTAREA, label=_("Add a comment"))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", people)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", _("Choose…")), *BulkAction.choices], label=_("Do this with the chosen responsibilities")
    )
    reason = forms.CharField(
        required=False,
        widget=TEXTAREA,
        label=_("Reason"),
        help_text=_("Required to waive or retire: shown on each responsibility and kept in the audit log."),
    )


class PartnershipForm(forms.Form):
    status = forms.ChoiceField(choices=PartnershipStatus.choices, label=_("Status"))
    parties = forms.CharField(
        required=False, widget=TEXTAREA, help_text=_("Who signed or agreed, one per line."), label=_("Parties")
    )
    agreed_on = forms.DateField(required=False, widget=DateInput(), label=_("Date agreed"))
    notes = forms.CharField(required=False, widget=TEXTAREA, label=_("Notes"))
    waiver_reason = forms.CharField(
        required=False,
        widget=TEXTAREA,
        label=_("Reason for waiving"),
        help_text=_("Required when the item is waived."),
    )


class KickoffForm(forms.Form):
    kickoff_date = forms.DateField(widget=DateInput(), label=_("Kick-off date"))


class PhaseOverrideForm(forms.Form):
    to_phase = forms.ChoiceField(choices=Phase.choices, label=_("Move to phase"))
    effective_on = forms.DateField(widget=DateInput(), label=_("Effective on"))
    reason = forms.CharField(widget=TEXTAREA, label=_("Reason"))


class ReadinessForm(forms.Form):
    held_on = forms.DateField(widget=DateInput(), label=_("Date of the meeting"))
    mh_leaders = forms.CharField(widget=TEXTAREA, label=_("Mental health leaders present"))
    dvr_leaders = forms.CharField(widget=TEXTAREA, label=_("DVR leaders present"))

    after_questions = (
        ("barriers", _("Barriers to implementation")),
        ("facilitators", _("Facilitators of implementation")),
        ("competing_programs", _("Programs that might compete with IPS")),
        ("mh_lead", _("Who will lead at the mental health agency")),
        ("dvr_lead", _("Who will lead at DVR")),
        ("provider_lead", _("Who will lead at the employment provider")),
        ("mh_value", _("Value the mental health agency sees")),
        ("dvr_value", _("Value DVR sees")),
        ("common_terms", _("Agreed common terms")),
    )

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_keys = []
        for question in questions:
            name = f"answer_{question.key}"
            self.question_keys.append((name, question.key))
            self.fields[name] = forms.CharField(
                required=False, widget=TEXTAREA, label=f"{question.number}. {question.local('text')}"
            )
        for name, label in self.after_questions:
            short = name in ("mh_lead", "dvr_lead", "provider_lead")
            self.fields[name] = forms.CharField(
                required=False,
                label=label,
                max_length=200 if short else None,
                widget=None if short else TEXTAREA,
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "mh_leaders": data["mh_leaders"],
            "dvr_leaders": data["dvr_leaders"],
            "answers": {key: data.get(name, "") for name, key in self.question_keys},
            **{name: data.get(name, "") for name, _ in self.after_questions},
        }


class SteeringMemberForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    role = forms.ChoiceField(choices=SteeringRole.choices, label=_("Role on the team"))
    affiliation = forms.CharField(
        max_length=200, required=False, help_text=_("e.g. Pine Valley Foods, or 'parent'."), label=_("Affiliation")
    )
    joined_on = forms.DateField(required=False, widget=DateInput(), label=_("Joined on"))


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    kind = forms.ChoiceField(choices=ResourceKind.choices, label=_("Kind of resource"))
    stage_key = forms.ChoiceField(choices=(), label=_("Roadmap stage"))
    tool_key = forms.ChoiceField(choices=(), required=False, label=_("Stage tool (optional)"))
    topic = forms.ChoiceField(
        choices=ResourceTopic.choices,
        required=False,
        help_text=_(
            "A resource on revenue sources, once sent to a program, fulfils the state team's duty to inform it."
        ),
        label=_("Topic"),
    )
    description = forms.CharField(required=False, widget=TEXTAREA, label=_("Description"))
    link = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Link"))
    file = forms.FileField(
        required=False, help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV."), label=_("File")
    )

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field = self.fields["stage_key"]
        tool_field = self.fields["tool_key"]
        assert isinstance(stage_field, forms.ChoiceField) and isinstance(tool_field, forms.ChoiceField)
        stage_field.choices = [(s.key, f"{s.number}. {s.local('name')}") for s in stages]
        tool_field.choices = [("", _("— not a specific tool —"))] + [
            (t.key, _("Stage %(number)s: %(tool)s") % {"number": s.number, "tool": t.local("text")[:80]})
            for s in stages
            for t in s.tools.all()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tool = data.get("tool_key")
        if tool and data.get("stage_key") and not tool.startswith(f"{data['stage_key']}-"):
            self.add_error("tool_key", _("This tool belongs to another stage. Choose a tool of the stage above."))
        return data


# --- The small records of the roles matrix's tick-box duties --------------------------------------


class ProgramRecordForm(forms.Form):
    """A form for a program's record whose service checks (dates, required text) run in `clean()` too, so a
    failed submit shows every error at once; the service checks again for the API."""

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program

    def service_errors(self, data: dict[str, Any]) -> dict[str, str]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, message in self.service_errors(data).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class OutreachForm(ProgramRecordForm):
    held_on = forms.DateField(widget=DateInput(), label=_("Date"))
    kind = forms.ChoiceField(choices=OutreachKind.choices, label=_("What was shared"))
    forum = forms.CharField(
        max_length=200, label=_("Forum or audience"), help_text=_("e.g. County board meeting, Pine Valley Gazette.")
    )
    description = forms.CharField(required=False, widget=TEXTAREA, label=_("Description"))

    def service_errors(self, data: dict[str, Any]) -> dict[str, str]:
        return services.outreach_errors(
            self.program, held_on=data.get("held_on"), kind=data.get("kind", ""), forum=data.get("forum", "")
        )


class MaterialForm(ProgramRecordForm):
    material = forms.ChoiceField(choices=Material.choices, widget=forms.RadioSelect, label=_("Material"))
    distributed_on = forms.DateField(widget=DateInput(), label=_("Date"))
    recipients = forms.CharField(
        max_length=300,
        label=_("To whom, or where"),
        help_text=_("e.g. 'Each IPS specialist and the supervisor', or 'Lobby, waiting rooms and the job club room'."),
    )
    copies = forms.IntegerField(required=False, min_value=1, max_value=100000, label=_("Copies (optional)"))

    def service_errors(self, data: dict[str, Any]) -> dict[str, str]:
        return services.distribution_errors(
            self.program,
            material=data.get("material", ""),
            distributed_on=data.get("distributed_on"),
            recipients=data.get("recipients", ""),
            copies=data.get("copies"),
        )


class ResourceShareForm(ProgramRecordForm):
    resource = forms.ModelChoiceField(queryset=Resource.objects.none(), label=_("Resource from the library"))
    sent_on = forms.DateField(widget=DateInput(), label=_("Sent on"))
    note = forms.CharField(required=False, widget=TEXTAREA, label=_("Note to the program"))

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, program=program, **kwargs)
        limit_choices(
            self, "resource", Resource.objects.filter(organization__state_id=program.state_id).order_by("title")
        )

    def service_errors(self, data: dict[str, Any]) -> dict[str, str]:
        errors = services.share_errors(self.program, resource=data.get("resource"), sent_on=data.get("sent_on"))
        if "resource" in self.errors or data.get("resource") is None:
            errors.pop("resource", None)  # the field's own message says it
        return errors


class DataRequestForm(ProgramRecordForm):
    what = forms.CharField(
        widget=TEXTAREA,
        label=_("What data is asked for"),
        help_text=_("e.g. 'Caseload size of each employment specialist on the last day of the quarter'."),
    )
    accepts = forms.ChoiceField(choices=DataAccepted.choices, widget=forms.RadioSelect, label=_("Accepted files"))
    asked_on = forms.DateField(widget=DateInput(), label=_("Date of the request"))
    due_on = forms.DateField(widget=DateInput(), label=_("Due date"))

    def service_errors(self, data: dict[str, Any]) -> dict[str, str]:
        return services.data_request_errors(
            self.program,
            asked_on=data.get("asked_on"),
            due_on=data.get("due_on"),
            what=data.get("what", ""),
            accepts=data.get("accepts", ""),
        )


class DataAnswerForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(required=False, widget=TEXTAREA, label=_("Note (optional)"))

    def __init__(self, *args: Any, accepts: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = DataAccepted(accepts).label
