"""Pages of the small records behind the roles matrix's tick-box duties, in each program's implementation hub:
outreach in public forums, IPS materials handed out, library resources the state team sent, and the state
team's data requests with the provider's uploads.

Each view makes one access call (the program, then the record within it) and at most one service call.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshub.implementation import access as impl_access
from ipshub.implementation import forms, services
from ipshub.implementation.models import DataRequest, Material
from ipshub.implementation.views import _program_context
from ipshub.lib.downloads import attachment
from ipshub.lib.forms import saved
from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access
from ipshub.tenancy.models import Person, Program


def _page(
    request: HttpRequest, template: str, person: Person, program: Program, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(request, f"implementation/{template}", _program_context(person, program, **extra), status=status)


# --- Outreach in public forums (R-ONG-MH-04) ----------------------------------------------------------


@access.scoped_view
def outreach(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    form = forms.OutreachForm(request.POST or None, program=program, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        impl_access.require_leader(person, program)
        if form.is_valid() and saved(
            form, lambda: services.outreach_record(actor=person, program=program, **form.cleaned_data)
        ):
            messages.success(request, _("The outreach was logged."))
            return redirect("implementation:outreach", program_id=program.pk)
    activities = program.outreach_activities.select_related("recorded_by")
    status = 400 if request.method == "POST" else 200
    return _page(request, "outreach.html", person, program, status, activities=activities, form=form)


@require_POST
@access.scoped_view
def outreach_delete(request: HttpRequest, program_id: int, outreach_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    activity = impl_access.get_outreach_for(person, program, outreach_id)
    services.outreach_delete(actor=person, activity=activity)
    messages.success(request, _("“%(forum)s” was removed from the log.") % {"forum": activity.forum})
    return redirect("implementation:outreach", program_id=program.pk)


# --- IPS materials: the Practical Guide, handouts and posters (R-ONG-MH-09/-10, EP-12/-13) -------------


@access.scoped_view
def materials(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    form = forms.MaterialForm(request.POST or None, program=program, initial={"distributed_on": timezone.localdate()})
    if request.method == "POST":
        impl_access.require_leader(person, program)
        if form.is_valid() and saved(
            form, lambda: services.material_distribution_record(actor=person, program=program, **form.cleaned_data)
        ):
            messages.success(request, _("The distribution was logged."))
            return redirect("implementation:materials", program_id=program.pk)
    entries = list(program.material_distributions.select_related("recorded_by"))
    groups = [(m.label, [e for e in entries if e.material == m.value]) for m in Material]
    status = 400 if request.method == "POST" else 200
    return _page(request, "materials.html", person, program, status, groups=groups, form=form)


@require_POST
@access.scoped_view
def materials_delete(request: HttpRequest, program_id: int, distribution_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    distribution = impl_access.get_distribution_for(person, program, distribution_id)
    services.material_distribution_delete(actor=person, distribution=distribution)
    messages.success(request, _("The entry was removed from the log."))
    return redirect("implementation:materials", program_id=program.pk)


# --- Library resources sent to the program (R-PRI-ST-01) ----------------------------------------------


@access.scoped_view
def shares(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    form = forms.ResourceShareForm(request.POST or None, program=program, initial={"sent_on": timezone.localdate()})
    if request.method == "POST":
        impl_access.require_state_team(person, program)
        if form.is_valid() and saved(
            form, lambda: services.resource_send(actor=person, program=program, **form.cleaned_data)
        ):
            messages.success(
                request,
                _("“%(title)s” was sent to %(program)s.")
                % {"title": form.cleaned_data["resource"].title, "program": program},
            )
            return redirect("implementation:shares", program_id=program.pk)
    sent = program.resource_shares.select_related("resource", "sent_by")
    return _page(
        request,
        "shares.html",
        person,
        program,
        400 if request.method == "POST" else 200,
        sent=sent,
        form=form,
        can_send=impl_access.is_state_team_for(person, program),
    )


@require_POST
@access.scoped_view
def shares_delete(request: HttpRequest, program_id: int, share_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    share = impl_access.get_share_for(person, program, share_id)
    services.resource_share_delete(actor=person, share=share)
    messages.success(request, _("“%(title)s” is no longer listed as sent.") % {"title": share.resource.title})
    return redirect("implementation:shares", program_id=program.pk)


# --- Data requests (R-ONG-EP-15, R-FID-EP-01/-02) ------------------------------------------------------


@access.scoped_view
def data_requests(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    today = timezone.localdate()
    form = forms.DataRequestForm(request.POST or None, program=program, initial={"asked_on": today})
    if request.method == "POST":
        impl_access.require_state_team(person, program)
        created: list[DataRequest] = []
        if form.is_valid() and saved(
            form,
            lambda: created.append(services.data_request_create(actor=person, program=program, **form.cleaned_data)),
        ):
            messages.success(request, _("The data request was sent."))
            return redirect("implementation:data_request", program_id=program.pk, request_id=created[0].pk)
    requests = program.data_requests.select_related("asked_by").prefetch_related("answers")
    return _page(
        request,
        "data_requests.html",
        person,
        program,
        400 if request.method == "POST" else 200,
        requests=requests,
        form=form,
        can_ask=impl_access.is_state_team_for(person, program),
        today=today,
    )


def _data_request_page(
    request: HttpRequest,
    person: Person,
    program: Program,
    data_request: DataRequest,
    form: forms.DataAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return _page(
        request,
        "data_request.html",
        person,
        program,
        status,
        data_request=data_request,
        answers=data_request.answers.select_related("answered_by"),
        form=form or forms.DataAnswerForm(accepts=data_request.accepts),
        can_answer=impl_access.can_answer_data_request(person, program),
        can_read_files=impl_access.can_read_data_answers(person, program),
        can_withdraw=impl_access.is_state_team_for(person, program),
        max_size=filesizeformat(settings.UPLOAD_MAX_BYTES),
        today=timezone.localdate(),
    )


@access.scoped_view
def data_request(request: HttpRequest, program_id: int, request_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    asked = impl_access.get_data_request_for(person, program, request_id)
    if request.method != "POST":
        return _data_request_page(request, person, program, asked)
    impl_access.require_data_answerer(person, program)
    form = forms.DataAnswerForm(request.POST, request.FILES, accepts=asked.accepts)
    if form.is_valid() and saved(
        form, lambda: services.data_request_answer(actor=person, request=asked, **form.cleaned_data)
    ):
        messages.success(request, _("Your file was sent to the state IPS team."))
        return redirect("implementation:data_request", program_id=program.pk, request_id=asked.pk)
    return _data_request_page(request, person, program, asked, form, status=400)


@require_POST
@access.scoped_view
def data_request_delete(request: HttpRequest, program_id: int, request_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    asked = impl_access.get_data_request_for(person, program, request_id)
    try:
        services.data_request_delete(actor=person, request=asked)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("implementation:data_request", program_id=program.pk, request_id=asked.pk)
    messages.success(request, _("The data request was withdrawn."))
    return redirect("implementation:data_requests", program_id=program.pk)


@access.scoped_view
def data_answer_file(request: HttpRequest, answer_id: int) -> HttpResponseBase:
    answer = impl_access.get_data_answer_for(person_of(request), answer_id)
    return attachment(answer.file, filename=answer.original_name, content_type=answer.content_type)


@require_POST
@access.scoped_view
def data_answer_delete(request: HttpRequest, answer_id: int) -> HttpResponse:
    person = person_of(request)
    answer = impl_access.get_data_answer_for(person, answer_id)
    program = answer.request.program
    services.data_request_answer_delete(actor=person, answer=answer)
    messages.success(request, _("“%(original_name)s” was removed.") % {"original_name": answer.original_name})
    return redirect("implementation:data_request", program_id=program.pk, request_id=answer.request_id)
