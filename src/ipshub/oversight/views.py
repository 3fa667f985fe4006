import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshub.audit.models import AuditEvent
from ipshub.lib import tables
from ipshub.lib.forms import DateInput, apply_service_errors
from ipshub.lib.pagination import paginate
from ipshub.lib.signed_in import person_of
from ipshub.oversight import breakglass, reports
from ipshub.oversight.access import events_visible_to
from ipshub.tenancy import access
from ipshub.tenancy.models import Person


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label=gettext_lazy("Username"))
    action = forms.CharField(
        required=False, help_text=gettext_lazy("e.g. login.failed or program."), label=gettext_lazy("Action")
    )
    object = forms.CharField(
        required=False,
        label=gettext_lazy("Object"),
        help_text=gettext_lazy("The object type, optionally with :id, e.g. tenancy.program or tenancy.program:ID"),
    )
    since = forms.DateField(required=False, widget=DateInput(), label=gettext_lazy("From"))
    until = forms.DateField(required=False, widget=DateInput(), label=gettext_lazy("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


@access.scoped_view
def event_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    access.require_directory_admin(person)
    events = events_visible_to(person).select_related("actor")
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_label__iexact=data["actor"].strip())
        if data["action"]:
            events = events.filter(action__startswith=data["action"].strip())
        if data["object"]:
            object_type, _colon, object_id = data["object"].strip().partition(":")
            events = events.filter(object_type=object_type, **({"object_id": object_id} if object_id else {}))
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lt=data["until"] + datetime.timedelta(days=1))
    page, prefix = paginate(request, events, per_page=50)
    return render(request, "audit/event_list.html", {"form": form, "page_obj": page, "query_prefix": prefix})


# --- Reports: who saw this client, what did this person see ----------------------------------------

CSV_LIMIT = 50_000


def _enrollment_of(event: AuditEvent) -> int | None:
    value = event.detail.get("enrollment") if isinstance(event.detail, dict) else None
    return value if isinstance(value, int) else None


def _label(names: dict[int, str], enrollment_id: int | None) -> str:
    if enrollment_id is None:
        return "—"
    return names.get(enrollment_id) or f"Client record {enrollment_id}"


def _require_reports(person: Person) -> None:
    if not reports.can_read_reports(person):
        raise PermissionDenied("Only administrators and the state IPS team can read audit reports.")


class ReportFinder(forms.Form):
    enrollment = forms.IntegerField(
        required=False,
        min_value=1,
        label=gettext_lazy("Client record number"),
        help_text=gettext_lazy("The number in the record's address."),
    )
    username = forms.CharField(required=False, label=gettext_lazy("Username"))


@access.scoped_view
def report_index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    _require_reports(person)
    form = ReportFinder(request.GET or None)
    status = 200
    if request.GET and form.is_valid():
        data = form.cleaned_data
        if data["enrollment"]:
            try:
                found = reports.get_enrollment_for_report(person, data["enrollment"])
            except Http404:
                form.add_error("enrollment", _("No client record with that number in your state."))
            else:
                return redirect("audit:client_report", enrollment_id=found.pk)
        elif data["username"]:
            target = Person.objects.filter(username__iexact=data["username"].strip()).first()
            try:
                found_person = reports.get_person_for_report(person, target.pk if target else 0)
            except Http404:
                form.add_error("username", _("Nobody with that username in your state."))
            else:
                return redirect("audit:person_report", person_id=found_person.pk)
        else:
            form.add_error(None, _("Enter a client record number or a username."))
        status = 400
    elif request.GET:
        status = 400
    return render(
        request,
        "audit/report_index.html",
        {"form": form, "can_break_glass": breakglass.can_request(person)},
        status=status,
    )


@access.scoped_view
def client_report(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    enrollment = reports.get_enrollment_for_report(person, enrollment_id)
    events = reports.client_events(person, enrollment.pk).select_related("actor")
    names = reports.client_names_for(person, [enrollment.pk])
    label = _label(names, enrollment.pk)
    if request.GET.get("format") == "csv":
        return tables.csv_response(
            f"who-saw-client-record-{enrollment.pk}.csv",
            ["when", "username", "action", "view", "break_glass", "client", "address", "path"],
            (
                [
                    e.at,
                    e.actor_label,
                    e.action,
                    e.detail.get("view", ""),
                    "yes" if e.action.startswith("breakglass.") else "no",
                    label,
                    e.ip or "",
                    e.path,
                ]
                for e in events[:CSV_LIMIT]
            ),
        )
    page, prefix = paginate(request, events, per_page=50)
    return render(
        request,
        "audit/client_report.html",
        {"enrollment": enrollment, "label": label, "page_obj": page, "query_prefix": prefix},
    )


class PeriodForm(forms.Form):
    since = forms.DateField(required=False, widget=DateInput(), label=gettext_lazy("From"))
    until = forms.DateField(required=False, widget=DateInput(), label=gettext_lazy("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date: choose an end date on or after it."))
        return data


@access.scoped_view
def person_report(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_of(request)
    target = reports.get_person_for_report(person, person_id)
    since, until = reports.default_period()
    form = PeriodForm(request.GET or None, initial={"since": since, "until": until})
    if form.is_bound:
        if form.is_valid():
            since = form.cleaned_data["since"] or since
            until = form.cleaned_data["until"] or until
        else:
            return render(
                request, "audit/person_report.html", {"form": form, "target": target, "page_obj": None}, status=400
            )
    events = reports.person_views(person, target, since, until)
    if request.GET.get("format") == "csv":
        rows = list(events[:CSV_LIMIT])
        names = reports.client_names_for(person, [i for i in map(_enrollment_of, rows) if i])
        return tables.csv_response(
            f"records-seen-by-{target.pk}-{since}-{until}.csv",
            ["when", "action", "view", "break_glass", "record", "client", "address", "path"],
            (
                [
                    e.at,
                    e.action,
                    e.detail.get("view", ""),
                    "yes" if e.action.startswith("breakglass.") else "no",
                    _enrollment_of(e) or "",
                    _label(names, _enrollment_of(e)),
                    e.ip or "",
                    e.path,
                ]
                for e in rows
            ),
        )
    page, prefix = paginate(request, events, per_page=50)
    names = reports.client_names_for(person, [i for i in map(_enrollment_of, page) if i])
    rows_shown = [(e, _enrollment_of(e), _label(names, _enrollment_of(e))) for e in page]
    return render(
        request,
        "audit/person_report.html",
        {
            "form": form,
            "target": target,
            "since": since,
            "until": until,
            "page_obj": page,
            "rows": rows_shown,
            "query_prefix": prefix,
        },
    )


# --- Break-glass ------------------------------------------------------------------------------------


class BreakGlassForm(forms.Form):
    enrollment_id = forms.IntegerField(min_value=1, label=gettext_lazy("Client record number"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Why do you need this record now?"),
        help_text=gettext_lazy("Required. The state IPS team reads every reason."),
    )
    minutes = forms.TypedChoiceField(
        coerce=int,
        label=gettext_lazy("For how long"),
        choices=[
            (15, gettext_lazy("15 minutes")),
            (30, gettext_lazy("30 minutes")),
            (60, gettext_lazy("1 hour")),
            (120, gettext_lazy("2 hours")),
            (240, gettext_lazy("4 hours")),
            (480, gettext_lazy("8 hours")),
        ],
        initial=breakglass.DEFAULT_MINUTES,
    )


@access.scoped_view
def breakglass_request(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not breakglass.can_request(person):
        raise PermissionDenied("Only IPS supervisors and administrators can request emergency access.")
    form = BreakGlassForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grant = breakglass.breakglass_request(actor=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.warning(
                    request,
                    _(
                        "Emergency access granted until %(localtime)s. "
                        "Every view is logged and the state IPS team is told."
                    )
                    % {"localtime": format(timezone.localtime(grant.ends_at), "%H:%M")},
                )
                return redirect("clients:detail", enrollment_id=grant.enrollment_id)
        status = 400
    mine = breakglass.grants_of(person).order_by("-starts_at")[:10]
    return render(
        request, "audit/breakglass_request.html", {"form": form, "mine": mine, "now": timezone.now()}, status=status
    )


@access.scoped_view
def breakglass_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    _require_reports(person)
    grants = reports.breakglass_grants_for(person).annotate(
        views=Subquery(
            AuditEvent.objects.filter(
                action="breakglass.view",
                object_type="audit.breakglassgrant",
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .values("object_id")
            .annotate(n=Count("id"))
            .values("n")[:1]
        )
    )
    page, prefix = paginate(request, grants, per_page=50)
    return render(
        request,
        "audit/breakglass_list.html",
        {"page_obj": page, "query_prefix": prefix, "now": timezone.now()},
    )
