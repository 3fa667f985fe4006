from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshub.fidelity import rules
from ipshub.fidelity.models import (
    ActionItem,
    AgendaSlot,
    ConsensusScore,
    FidelityItem,
    Review,
    ReviewerScore,
    ReviewInvitee,
)
from ipshub.fidelity.preparation import chart_sample_size_problem
from ipshub.fidelity.self_assessment_services import SelfScoreEntry, self_assessment_problems
from ipshub.fidelity.services import CANNOT_RATE, ScoreEntry
from ipshub.lib.forms import DateInput, add_problems, limit_choices
from ipshub.tenancy.models import Person, Program

SCORE_CHOICES = [
    ("", _("Not scored yet")),
    ("5", "5"),
    ("4", "4"),
    ("3", "3"),
    ("2", "2"),
    ("1", "1"),
    (CANNOT_RATE, _("Cannot rate")),
]


class ScheduleForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Program"))
    kind = forms.ChoiceField(choices=Review.Kind.choices, label=_("Kind of review"))
    due_on = forms.DateField(widget=DateInput(), label=_("Due on"))

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "program", programs)


class RescheduleForm(forms.Form):
    due_on = forms.DateField(widget=DateInput(), label=_("New due date"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason for the change"))


class CancelForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason for cancelling"))


class TeamForm(forms.Form):
    lead = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Lead reviewer"))
    second = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Second reviewer"))

    def __init__(self, *args: Any, reviewers: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [p.pk for p in reviewers]
        limit_choices(self, "lead", Person.objects.filter(pk__in=ids).order_by("last_name"))
        limit_choices(self, "second", Person.objects.filter(pk__in=ids).order_by("last_name"))


class PlanForm(forms.Form):
    visit_day_1 = forms.DateField(widget=DateInput(), label=_("First visit day"))
    visit_day_2 = forms.DateField(widget=DateInput(), label=_("Second visit day"))
    window_opens = forms.DateField(
        widget=DateInput(),
        required=False,
        label=_("Reviewers' access opens"),
        help_text=_("Leave empty for two weeks before the visit. Reviewers read client records only then."),
    )
    window_closes = forms.DateField(
        widget=DateInput(),
        required=False,
        label=_("Reviewers' access closes"),
        help_text=_("Leave empty for two weeks after."),
    )
    contact_name = forms.CharField(max_length=200, required=False, label=_("Program contact person"))
    contact_email = forms.EmailField(required=False, label=_("Contact email"))
    contact_phone = forms.CharField(max_length=40, required=False, label=_("Contact phone"))
    documents_requested = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label=_("Documents requested from the program"),
        help_text=_("One per line."),
    )


class AgendaSlotForm(forms.Form):
    day = forms.TypedChoiceField(choices=[(1, _("Day 1")), (2, _("Day 2"))], coerce=int, label=_("Day"))
    starts_at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), label=_("Starts at"))
    ends_at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), label=_("Ends at"))
    activity = forms.ChoiceField(choices=AgendaSlot.Activity.choices, label=_("Activity"))
    topic = forms.CharField(max_length=200, label=_("Who or what"), help_text=_("e.g. Clients and family members"))


class ItemScoresForm(forms.Form):
    """Every item of the scale on one page: a score (or cannot rate + reason) and notes per item.

    For a reviewer: notes and data sources. For consensus: rationale, strengths and recommendations."""

    def __init__(
        self,
        *args: Any,
        items: list[FidelityItem],
        existing: dict[int, ReviewerScore] | dict[int, ConsensusScore],
        consensus: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.consensus = consensus
        text_fields = (
            [("rationale", _("Rationale")), ("strengths", _("Strengths")), ("recommendations", _("Recommendations"))]
            if consensus
            else [("notes", _("Notes")), ("sources", _("Data sources used"))]
        )
        for item in items:
            n = item.number
            row = existing.get(item.pk)
            score = "" if row is None else (str(row.score) if row.score is not None else CANNOT_RATE)
            self.fields[f"score_{n}"] = forms.ChoiceField(
                choices=SCORE_CHOICES,
                required=False,
                label=_("Score for item %(number)s") % {"number": n},
                initial=score,
            )
            self.fields[f"reason_{n}"] = forms.CharField(
                required=False,
                label=_("Why item %(number)s can't be rated") % {"number": n},
                help_text=_("Only when 'cannot rate' is chosen."),
                initial=row.cannot_rate_reason if row else "",
            )
            for name, label in text_fields:
                attr = "data_sources" if name == "sources" else name
                self.fields[f"{name}_{n}"] = forms.CharField(
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    label=_("%(label)s (item %(number)s)") % {"label": label, "number": n},
                    initial=getattr(row, attr, "") if row else "",
                )

    def groups(self) -> list[tuple[FidelityItem, list[forms.BoundField]]]:
        names = [
            "score",
            "reason",
            *(["rationale", "strengths", "recommendations"] if self.consensus else ["notes", "sources"]),
        ]
        return [(item, [self[f"{name}_{item.number}"] for name in names]) for item in self.items]

    def entries(self) -> list[ScoreEntry]:
        data = self.cleaned_data
        return [
            ScoreEntry(
                item=item,
                score=data.get(f"score_{item.number}", ""),
                reason=data.get(f"reason_{item.number}", ""),
                notes=data.get(f"notes_{item.number}", ""),
                sources=data.get(f"sources_{item.number}", ""),
                rationale=data.get(f"rationale_{item.number}", ""),
                strengths=data.get(f"strengths_{item.number}", ""),
                recommendations=data.get(f"recommendations_{item.number}", ""),
            )
            for item in self.items
        ]


class OverallForm(forms.Form):
    strengths = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Overall strengths"))
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Overall recommendations"))


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(widget=DateInput(), label=_("Delivered on"))


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Action"))
    items = forms.ModelMultipleChoiceField(
        queryset=FidelityItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Fidelity items it addresses"),
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Owner"))
    due_on = forms.DateField(widget=DateInput(), label=_("Due on"))

    def __init__(self, *args: Any, review: Review, owners: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "items", review.scale.items.all())
        limit_choices(self, "owner", Person.objects.filter(pk__in=[p.pk for p in owners]).order_by("last_name"))


class FromRecommendationsForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Owner of the new actions"))
    due_on = forms.DateField(widget=DateInput(), label=_("Due on"))

    def __init__(self, *args: Any, owners: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", Person.objects.filter(pk__in=[p.pk for p in owners]).order_by("last_name"))


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices, label=_("Status"))
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Owner"))
    due_on = forms.DateField(widget=DateInput(), label=_("Due on"))
    steering_reviewed_on = forms.DateField(
        widget=DateInput(), required=False, label=_("Reviewed by the steering committee on")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Progress note"),
        help_text=_("Added to the log."),
    )

    def __init__(self, *args: Any, owners: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", Person.objects.filter(pk__in=[p.pk for p in owners]).order_by("last_name"))


ANSWERS = [("", _("No answer yet")), ("yes", _("Accepted")), ("no", _("Declined"))]


def _answer(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class InviteeForm(forms.Form):
    """Who was invited to the visit's interviews. Only what is typed in shape is checked here; the service
    checks the rest, so every problem shows at once (the relation and the date are not required here)."""

    who = forms.CharField(
        max_length=200,
        required=False,
        label=_("Who was invited"),
        help_text=_("A description, never a name or record number: e.g. “Client A, job seeker, 2 years in services”."),
    )
    relation = forms.ChoiceField(
        choices=[("", _("Choose…")), *ReviewInvitee.Relation.choices],
        required=False,
        label=_("Client or family member"),
    )
    invited_on = forms.DateField(widget=DateInput(), required=False, label=_("Invited on"))
    accepted = forms.TypedChoiceField(
        choices=ANSWERS, coerce=_answer, empty_value=None, required=False, label=_("Their answer")
    )


class InviteeAnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(choices=ANSWERS, coerce=_answer, empty_value=None, required=False)


class EstimatePeriodForm(forms.Form):
    first_day = forms.DateField(widget=DateInput(), label=_("From"))
    last_day = forms.DateField(widget=DateInput(), label=_("To"))

    MAX_DAYS = 3 * 366

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        for name, day in (("first_day", first), ("last_day", last)):
            if day and (problem := rules.year_problem(day)):
                self.add_error(name, problem)
        if first and last and not self.errors:
            if last < first:
                self.add_error("last_day", _("The period must end on or after its first day; swap the dates."))
            elif (last - first).days > self.MAX_DAYS:
                self.add_error("first_day", _("Choose a period of at most three years."))
        return data


# --- Specialists' time (issue 26) ---------------------------------------------------------------------


class SpecialistTimeForm(forms.Form):
    specialist = forms.TypedChoiceField(coerce=int, label=_("Employment specialist"))
    fte = forms.DecimalField(
        label=_("Full-time equivalent on this program"),
        min_value=Decimal("0.05"),
        max_value=Decimal("1"),
        max_digits=3,
        decimal_places=2,
        help_text=_("1.00 is full time; 0.50 is half time."),
    )
    employment_share = forms.IntegerField(
        label=_("Percent of that time on employment services"),
        min_value=0,
        max_value=100,
        help_text=_("The rest goes to other duties, such as case management or covering reception."),
    )

    def __init__(self, *args: Any, specialists: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["specialist"]
        field.choices = [("", _("Choose a specialist")), *specialists]


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------

SELF_SCORE_CHOICES = [("", _("Not scored")), ("5", "5"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1")]


class SelfAssessmentForm(forms.Form):
    """The team's own scores: the day, who took part, a note, and per item a score (or none) and a note."""

    assessed_on = forms.DateField(widget=DateInput(), label=_("Day the team scored"))
    participants = forms.CharField(
        max_length=300,
        required=False,
        label=_("Who took part"),
        help_text=_("For example: the IPS supervisor and three employment specialists."),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Overall note"))

    def __init__(
        self,
        *args: Any,
        items: list[FidelityItem],
        scale_id: int,
        existing: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.scale_id = scale_id
        existing = existing or {}
        for item in items:
            n = item.number
            row = existing.get(n)
            self.fields[f"score_{n}"] = forms.ChoiceField(
                choices=SELF_SCORE_CHOICES,
                required=False,
                label=_("Our score for item %(number)s") % {"number": n},
                initial=str(row.score) if row else "",
            )
            self.fields[f"note_{n}"] = forms.CharField(
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Note (item %(number)s)") % {"number": n},
                help_text=_("Why this score, or what to work on."),
                initial=row.note if row else "",
            )

    def groups(self) -> list[tuple[FidelityItem, list[forms.BoundField]]]:
        return [(item, [self[f"score_{item.number}"], self[f"note_{item.number}"]]) for item in self.items]

    def entries(self) -> list[SelfScoreEntry]:
        data = self.cleaned_data
        return [
            SelfScoreEntry(
                item=item, score=data.get(f"score_{item.number}", ""), note=data.get(f"note_{item.number}", "")
            )
            for item in self.items
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _, problems = self_assessment_problems(
            scale_id=self.scale_id,
            assessed_on=data.get("assessed_on"),
            participants=data.get("participants", ""),
            note=data.get("note", ""),
            entries=self.entries(),
        )
        add_problems(self, problems)
        return data

    def saved_fields(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {
            "assessed_on": data["assessed_on"],
            "participants": data.get("participants", ""),
            "note": data.get("note", ""),
            "entries": self.entries(),
        }


class ComparisonOrderForm(forms.Form):
    order = forms.ChoiceField(
        choices=[("item", _("Item number")), ("difference", _("Largest difference first"))],
        required=False,
        label=_("Order the items by"),
    )


# --- Review preparation (issue #26) ------------------------------------------------------------------------


class DocumentAnswerForm(forms.Form):
    file = forms.FileField(
        required=False,
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV. Add more files by answering again."),
    )
    note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note for the reviewers"),
        help_text=_("e.g. where the document is kept, or why the program has none."),
    )


class PrepTaskForm(forms.Form):
    done = forms.TypedChoiceField(choices=[("yes", _("Done")), ("no", _("Not done"))], coerce=lambda v: v == "yes")
    note = forms.CharField(required=False, max_length=1000, label=_("Note (optional)"))


class ChartSampleForm(forms.Form):
    """The reviewers' choice of how many clients the chart-review worksheet samples (#26, branch fidfin)."""

    sample_size = forms.IntegerField(
        label=_("Clients in the sample"),
        help_text=_("1 to 50; the whole caseload is read when it has fewer clients."),
        error_messages={
            "required": _("Enter how many clients to sample, 1 to 50."),
            "invalid": _("Give the number of clients as a whole number, 1 to 50."),
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": 50, "inputmode": "numeric"}),
    )

    def clean_sample_size(self) -> int:
        size: int = self.cleaned_data["sample_size"]
        if problem := chart_sample_size_problem(size):
            raise forms.ValidationError(problem)
        return size


WORKSHEET_FORMATS = ("csv", "pdf")
