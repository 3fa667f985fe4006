from django import forms

from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.models import GoalMetric

QUARTERS = [(1, "Q1 (January–March)"), (2, "Q2 (April–June)"), (3, "Q3 (July–September)"), (4, "Q4 (October–December)")]

FIGURE_LABELS = {
    "served": "People served",
    "worked": "People who worked in a competitive job",
    "in_education": "People in education",
    "job_starts": "New job starts",
    "job_endings": "Job endings",
    "new_clients": "New clients",
    "new_with_contact_30d": "New clients with an employer contact within 30 days",
    "avg_weekly_hours": "Average weekly hours",
    "avg_hourly_wage": "Average hourly wage",
}


class FiguresForm(forms.Form):
    served = forms.IntegerField(
        label=FIGURE_LABELS["served"], min_value=0, help_text="On the IPS caseload at any time in the quarter."
    )
    worked = forms.IntegerField(
        label=FIGURE_LABELS["worked"], min_value=0, help_text="At any time in the quarter; each person counts once."
    )
    in_education = forms.IntegerField(label=FIGURE_LABELS["in_education"], min_value=0, initial=0)
    job_starts = forms.IntegerField(label=FIGURE_LABELS["job_starts"], min_value=0, initial=0)
    job_endings = forms.IntegerField(label=FIGURE_LABELS["job_endings"], min_value=0, initial=0)
    new_clients = forms.IntegerField(
        label=FIGURE_LABELS["new_clients"], min_value=0, initial=0, help_text="Entered IPS for the first time."
    )
    new_with_contact_30d = forms.IntegerField(label=FIGURE_LABELS["new_with_contact_30d"], min_value=0, initial=0)
    avg_weekly_hours = forms.DecimalField(
        label=FIGURE_LABELS["avg_weekly_hours"], required=False, min_value=0, max_value=80, decimal_places=2
    )
    avg_hourly_wage = forms.DecimalField(
        label=FIGURE_LABELS["avg_hourly_wage"],
        required=False,
        min_value=0,
        max_value=500,
        decimal_places=2,
        help_text="In dollars.",
    )

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIGURE_LABELS}


class ReportCreateForm(FiguresForm):
    field_order = ["year", "quarter", "definition_code"]
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int)
    definition_code = forms.ChoiceField(label="Metric definition", choices=())

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["definition_code"].choices = catalog().choices()  # type: ignore[attr-defined]


class CorrectionForm(FiguresForm):
    field_order = ["reason"]
    reason = forms.CharField(
        label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}), help_text="Kept with the report."
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept the report"), ("return", "Return it to the program with comments")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Needed to return."
    )


class GoalForm(forms.Form):
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="Period", choices=[(0, "Whole year"), *QUARTERS], coerce=int)
    metric = forms.ChoiceField(label="Metric", choices=GoalMetric.choices)
    target = forms.DecimalField(label="Target", min_value=0, max_digits=9, decimal_places=2)
    note = forms.CharField(label="Note", required=False, max_length=300)


class BenchmarkForm(forms.Form):
    definition_code = forms.ChoiceField(label="Metric definition", choices=())
    minimal = forms.DecimalField(label="Minimal (%)", min_value=0, max_value=100, decimal_places=1)
    average = forms.DecimalField(label="Average (%)", min_value=0, max_value=100, decimal_places=1)
    excellent = forms.DecimalField(label="Excellent (%)", min_value=0, max_value=100, decimal_places=1)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["definition_code"].choices = catalog().choices()  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file", help_text="One row per quarter. Start from the template so the columns match."
    )


class CommitForm(forms.Form):
    mode = forms.ChoiceField(
        label="What to enter",
        choices=[("all", "Every row"), ("good", "Only the rows without problems")],
        widget=forms.RadioSelect,
        initial="all",
    )


class ComputeForm(forms.Form):
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int)
    definition_code = forms.ChoiceField(label="Metric definition", choices=())

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["definition_code"].choices = catalog().choices()  # type: ignore[attr-defined]
