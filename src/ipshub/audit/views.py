import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ipshub.audit.access import events_visible_to
from ipshub.lib.forms import DateInput
from ipshub.lib.pagination import paginate
from ipshub.tenancy import access


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Username")
    action = forms.CharField(required=False, help_text="e.g. login.failed or program.")
    object = forms.CharField(
        required=False,
        label="Object",
        help_text="The object type, optionally with :id, e.g. tenancy.program or tenancy.program:ID",
    )
    since = forms.DateField(required=False, widget=DateInput(), label="From")
    until = forms.DateField(required=False, widget=DateInput(), label="To")

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date is before the start date.")
        return data


@access.scoped_view
def event_list(request: HttpRequest) -> HttpResponse:
    access.require_directory_admin(request.user)  # type: ignore[arg-type]
    events = events_visible_to(request.user).select_related("actor")  # type: ignore[arg-type]
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_label__iexact=data["actor"].strip())
        if data["action"]:
            events = events.filter(action__startswith=data["action"].strip())
        if data["object"]:
            object_type, _, object_id = data["object"].strip().partition(":")
            events = events.filter(object_type=object_type, **({"object_id": object_id} if object_id else {}))
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lt=data["until"] + datetime.timedelta(days=1))
    page, prefix = paginate(request, events, per_page=50)
    return render(request, "audit/event_list.html", {"form": form, "page_obj": page, "query_prefix": prefix})
