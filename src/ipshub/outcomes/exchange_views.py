"""Exchange with the wider learning community: the figures in the Employment Center's and IPS Grow's
layouts, the aggregate file one install publishes and another imports, and the pooled roll-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from ipshub.lib import tables
from ipshub.lib.forms import apply_service_errors
from ipshub.lib.signed_in import person_of
from ipshub.outcomes import access, aggregates, exchange, forms
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.models import QuarterlyReport, Status
from ipshub.tenancy.access import get_program_for, scoped_view
from ipshub.tenancy.models import Person, State

FORMATS = ("csv", "xlsx")


def _state(request: HttpRequest, person: Person) -> tuple[State, list[State]]:
    states = list(access.dashboard_states(person))
    if not states:
        raise Http404("Exchange is for the state IPS team.")
    chosen = request.GET.get("state", "")
    return next((s for s in states if str(s.pk) == chosen), states[0]), states


def _layout(request: HttpRequest) -> exchange.Layout:
    """The layout asked for (the Employment Center's when none is named)."""
    layout = exchange.LAYOUTS.get(request.GET.get("layout", exchange.EMPLOYMENT_CENTER.code))
    if layout is None:
        raise Http404("No such layout.")
    return layout


def _accepted(**where: object) -> list[QuarterlyReport]:
    return list(
        QuarterlyReport.objects.filter(is_current=True, status=Status.ACCEPTED, definition_code=DEFAULT_CODE, **where)
        .select_related("program", "program__state")
        .order_by("program__name", "year", "quarter")
    )


def _download(
    layout: exchange.Layout, reports: list[QuarterlyReport], exact: bool, name: str, fmt: str
) -> HttpResponse:
    table = exchange.layout_table(layout, reports, exact=exact)
    return tables.table_response(f"{name}-{layout.code}", table, fmt if fmt in FORMATS else "csv")


@scoped_view
def exchange_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    state, states = _state(request, person)
    code = request.GET.get("definition", DEFAULT_CODE)
    code = code if code in catalog().codes else DEFAULT_CODE
    context = {
        "state": state,
        "states": states,
        "layouts": exchange.LAYOUTS.values(),
        "can_publish": access.can_review(person, state.pk),
        "can_import": access.can_review(person, state.pk),
        "form": forms.UploadForm(),
        "state_rollup": aggregates.pooled_rollup(state_codes=[state.code], definition_code=code),
        "national_rollup": aggregates.pooled_rollup(state_codes=None, definition_code=code),
        "uploads": access.aggregate_uploads_visible_to(person).filter(state=state).select_related("uploaded_by")[:5],
        "definition": catalog().latest(code),
    }
    return render(request, "outcomes/exchange.html", context)


@scoped_view
def exchange_export(request: HttpRequest) -> HttpResponse:
    """The state's accepted figures in a learning community's layout; exact figures for the leads who ask."""
    person = person_of(request)
    state, _ = _state(request, person)
    layout = _layout(request)
    exact = request.GET.get("exact") == "1" and access.can_review(person, state.pk)
    name = f"outcomes-{state.code}"
    return _download(layout, _accepted(program__state=state), exact, name, request.GET.get("format", "csv"))


@scoped_view
def program_exchange_export(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    layout = _layout(request)
    exact = request.GET.get("exact") == "1" and access.can_write_for(person, program)
    name = f"outcomes-{program.name.lower().replace(' ', '-')}"
    return _download(layout, _accepted(program=program), exact, name, request.GET.get("format", "csv"))


@scoped_view
def aggregate_export(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    state, _ = _state(request, person)
    access.require_reviewer(person, state.pk)
    fmt = request.GET.get("format", "csv")
    filename = f"ips-aggregates-{state.code}.{fmt if fmt in FORMATS else 'csv'}"
    content = aggregates.aggregate_file_export(actor=person, state=state, filename=filename)
    kind = tables.XLSX_TYPE if filename.endswith(".xlsx") else tables.CSV_TYPE
    return tables.attachment(content, kind, filename)


@scoped_view
def aggregate_upload(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    state, _ = _state(request, person)
    access.require_reviewer(person, state.pk)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            checked = aggregates.aggregate_upload_check(
                actor=person, state=state, filename=file.name, content=file.read(tables.MAX_BYTES + 1)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("outcomes:aggregate_upload_detail", aggregate_upload_id=checked.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outcomes/aggregate_upload.html", {"form": form, "state": state}, status=status)


@scoped_view
def aggregate_upload_detail(request: HttpRequest, aggregate_upload_id: int) -> HttpResponse:
    person = person_of(request)
    checked = access.get_aggregate_upload_for(person, aggregate_upload_id)
    problems: list[str] = []
    if request.method == "POST":
        try:
            count = aggregates.aggregate_upload_commit(actor=person, upload=checked)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s program-quarter was imported into the roll-up.",
                    "%(count)s program-quarters were imported into the roll-up.",
                    count,
                )
                % {"count": count},
            )
            return redirect("outcomes:exchange")
    context = {"upload": checked, "problems": problems}
    return render(request, "outcomes/aggregate_upload_detail.html", context, status=400 if problems else 200)
