"""/account/tokens/: a person's own API tokens. The key of a new token is shown once, on the page that
answers the form; only its digest is kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipshub.api import access, exchange, forms, services
from ipshub.clients import access as client_access
from ipshub.lib.forms import apply_service_errors
from ipshub.tenancy.access import get_program_for, scoped_view
from ipshub.tenancy.models import Person, Program


def _person(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


@scoped_view
def token_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    form = forms.TokenForm(request.POST or None)
    new_key, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_key = services.token_create(actor=person, person=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                form = forms.TokenForm()
                status = 200
        if not new_key:
            status = 400
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": access.tokens_visible_to(person), "new_key": new_key},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may carry a new key
    return response


@require_POST
@scoped_view
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    person = _person(request)
    token = access.get_token_for(person, token_id)
    try:
        services.token_revoke(actor=person, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The token '{token.name}' was revoked: it no longer works.")
    return redirect("tokens:list")


# --- /account/imports/: a supervisor's upload page (the same imports as the API) -------------------


def _import_programs(person: Person) -> QuerySet[Program]:
    return Program.objects.filter(
        Q(id__in=client_access.ips_program_ids(person)) | Q(id__in=client_access.referring_program_ids(person))
    ).order_by("name")


@scoped_view
def import_page(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    programs = _import_programs(person)
    if not programs.exists():
        raise Http404("No program whose records you keep.")
    form = forms.ImportForm(request.POST or None, request.FILES or None, programs=programs)
    result, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                rows = exchange.read_rows(upload.read(exchange.MAX_BYTES + 1), upload.name or "")
                result = exchange.import_file(
                    actor=person, program=data["program"], kind=data["kind"], rows=rows, mode=data["mode"]
                )
            except exchange.FileProblem as exc:
                form.add_error("file", str(exc))
            except PermissionDenied as exc:
                form.add_error("kind", str(exc))
            else:
                status = 200
    exports = [(kind, label) for kind, label in forms.ImportForm.base_fields["kind"].choices]  # type: ignore[attr-defined]
    return render(
        request,
        "api/imports.html",
        {"form": form, "result": result, "programs": programs, "exports": exports},
        status=status,
    )


@scoped_view
def import_export(request: HttpRequest, program_id: int) -> HttpResponse:
    """A program's records in the import's columns (?kind=clients|employer-contacts|jobs&file_format=csv|xlsx)."""
    person = _person(request)
    program = get_program_for(person, program_id)
    kind = request.GET.get("kind", "clients")
    file_format = request.GET.get("file_format", "csv")
    if kind not in exchange.KINDS or file_format not in ("csv", "xlsx"):
        raise Http404("No such export.")
    exchange.require_importer(person, program, kind)
    rows = exchange.export_rows(person, program, kind)
    if file_format == "xlsx":
        response = HttpResponse(
            exchange.write_xlsx(kind, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exchange.write_csv(kind, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-program-{program.pk}.{file_format}"'
    return response
