from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshub.lib.forms import add_problems, set_choices
from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.figures import DECIMAL_PLACES, FIGURES, NAMES, Figure
from ipshub.outcomes.models import GoalMetric, QuarterlyReport
from ipshub.outcomes.selectors import in_progress_until
from ipshub.outcomes.services import submit_problems

QUARTERS = [
    (1, _("Q1 (January–March)")),
    (2, _("Q2 (April–June)")),
    (3, _("Q3 (July–September)")),
    (4, _("Q4 (October–December)")),
]


def figure_field(figure: Figure) -> forms.Field:
    """A count is a whole number, offered as 0 unless the report needs it given; a decimal may stay empty."""
    if figure.is_count:
        return forms.IntegerField(
            label=_(figure.label),
            min_value=0,
            initial=None if figure.required else 0,
            help_text=_(figure.help) if figure.help else "",
        )
    return forms.DecimalField(
        label=_(figure.label),
        required=False,
        min_value=0,
        max_value=figure.top,
        decimal_places=DECIMAL_PLACES,
        help_text=_(figure.help) if figure.help else "",
    )


class FiguresForm(forms.Form):
    """One field per figure (figures.py), after the fields of the form that extends it. Whether worked is at
    most served is the service's check (`services.validate_figures`), shown here on the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for figure in FIGURES:
            self.fields[figure.name] = figure_field(figure)

    def figures(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in NAMES}


class ReportCreateForm(FiguresForm):
    field_order = ["year", "quarter", "definition_code"]
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    definition_code = forms.ChoiceField(label=_("Metric definition"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "definition_code", catalog().choices())


class CorrectionForm(FiguresForm):
    field_order = ["reason"]
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the report."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the report")), ("return", _("Return it to the program with comments"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Needed to return.")
    )


class GoalForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Period"), choices=[(0, _("Whole year")), *QUARTERS], coerce=int)
    metric = forms.ChoiceField(label=_("Metric"), choices=GoalMetric.choices)
    target = forms.DecimalField(label=_("Target"), min_value=0, max_digits=9, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class BenchmarkForm(forms.Form):
    definition_code = forms.ChoiceField(label=_("Metric definition"), choices=())
    minimal = forms.DecimalField(label=_("Minimal (%)"), min_value=0, max_value=100, decimal_places=1)
    average = forms.DecimalField(label=_("Average (%)"), min_value=0, max_value=100, decimal_places=1)
    excellent = forms.DecimalField(label=_("Excellent (%)"), min_value=0, max_value=100, decimal_places=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "definition_code", catalog().choices())


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"), help_text=_("One row per quarter. Start from the template so the columns match.")
    )


class CommitForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What to enter"),
        choices=[("all", _("Every row")), ("good", _("Only the rows without problems"))],
        widget=forms.RadioSelect,
        initial="all",
    )


class ComputeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    definition_code = forms.ChoiceField(label=_("Metric definition"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "definition_code", catalog().choices())


class SubmitForm(forms.Form):
    """Submitting to the state team. While the quarter is still going on, the report goes only early on
    purpose, with a reason (kept with the report): the two fields are there only then."""

    submit_early = forms.BooleanField(
        required=False,
        label=_("Submit early"),
        help_text=_("Send the figures before the quarter ends, knowing they may still change."),
    )
    early_reason = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Why submit early"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. The state team asked for the figures before its December meeting. Kept with the report."),
    )

    def __init__(self, *args: Any, report: QuarterlyReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        if in_progress_until(report.year, report.quarter) is None:
            del self.fields["submit_early"], self.fields["early_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "submit_early" in self.fields:
            add_problems(
                self,
                submit_problems(
                    report=self.report,
                    submit_early=bool(data.get("submit_early")),
                    early_reason=data.get("early_reason"),
                ),
            )
        return data
