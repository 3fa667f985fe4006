import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshub.dvr import rules
from ipshub.dvr.models import FundingSource
from ipshub.lib.concurrency import VersionField
from ipshub.lib.forms import DateInput


class AuthorizationForm(forms.Form):
    service_code = forms.ChoiceField(label=_("Service"))
    dvr_office = forms.TypedChoiceField(label=_("DVR office"), coerce=int)
    number = forms.CharField(label=_("Purchase order number"), max_length=40, required=False)
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), widget=DateInput())
    units = forms.DecimalField(label=_("Units authorized"), max_digits=7, decimal_places=2, min_value=Decimal("0.01"))
    amount = forms.DecimalField(label=_("Authorized amount ($)"), max_digits=10, decimal_places=2, min_value=Decimal(0))

    def __init__(
        self, *args: Any, services: list[dict[str, Any]], offices: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        service_field = self.fields["service_code"]
        office_field = self.fields["dvr_office"]
        assert isinstance(service_field, forms.ChoiceField) and isinstance(office_field, forms.ChoiceField)
        service_field.choices = [("", _("- Select -"))] + [
            (s["code"], rules.service_local(s["code"], "name", s["name"])) for s in services
        ]
        office_field.choices = offices
        if len(offices) == 1:
            self.fields["dvr_office"].initial = offices[0][0]


class ExtensionForm(forms.Form):
    ends_on = forms.DateField(label=_("New end date"), widget=DateInput())
    added_units = forms.DecimalField(
        label=_("Units to add"), max_digits=7, decimal_places=2, min_value=Decimal(0), initial=Decimal(0)
    )
    reason = forms.CharField(label=_("Reason for the extension"), max_length=300)


class ReportForm(forms.Form):
    completed_on = forms.DateField(label=_("Service completed on"), widget=DateInput())
    units_used = forms.DecimalField(label=_("Units used"), max_digits=7, decimal_places=2, min_value=Decimal(0))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    hire_on = forms.DateField(label=_("Job start date"), widget=DateInput(), required=False)
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), max_digits=5, decimal_places=1, min_value=Decimal(0), required=False
    )
    hourly_wage = forms.DecimalField(
        label=_("Hourly wage ($)"), max_digits=7, decimal_places=2, min_value=Decimal(0), required=False
    )
    still_employed = forms.TypedChoiceField(
        label=_("Still employed at the end of the period?"),
        choices=[("", _("- Select -")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    job = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    SUMMARY_LABELS = {
        "career_profile": _("Career profile summary"),
        "job_development_plan": _("Job development plan (goal, target employers, steps)"),
        "hire": _("Summary of the job search and hire"),
        "retention": _("Retention summary (supports given, how the job is going)"),
        "follow_along": _("Follow-along services summary"),
    }

    def __init__(self, *args: Any, report_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].label = self.SUMMARY_LABELS.get(report_kind, "Summary")
        if report_kind not in ("hire", "retention"):
            for name in ("employer_name", "job_title", "hire_on", "hours_per_week", "hourly_wage", "job"):
                del self.fields[name]
        if report_kind != "retention":
            del self.fields["still_employed"]
        elif self.initial.get("still_employed") is not None:
            self.initial["still_employed"] = "yes" if self.initial["still_employed"] else "no"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the report")), ("return", _("Return it for corrections"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments for the specialist"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=datetime.date.today)


class BillableUnitForm(forms.Form):
    service_on = forms.DateField(label=_("Date of service"), widget=DateInput(), initial=datetime.date.today)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1)
    service_code = forms.CharField(label=_("Service code"), max_length=20, initial="H2023")
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)


class CatalogForm(forms.Form):
    text = forms.CharField(label=_("Service catalog (YAML)"), widget=forms.Textarea(attrs={"rows": 30}))
    note = forms.CharField(label=_("What changed"), max_length=300)
    version = VersionField()  # the version this edit is based on
