"""/account/tokens/: a person's own API tokens. The key of a new token is shown once, on the page that
answers the form; only its digest is kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipshub.api import access, forms, import_jobs, services
from ipshub.api.models import ImportJob
from ipshub.clients import access as client_access
from ipshub.clients import imports as client_imports
from ipshub.lib import imports, tables
from ipshub.lib.forms import apply_service_errors
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.access import get_program_for, scoped_view
from ipshub.tenancy.models import Person, Program


@scoped_view
def token_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
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
    person = person_of(request)
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
    """Upload a file: it is stored as an import job and checked or imported a chunk per request on the
    job's page (import_jobs.py)."""
    person = person_of(request)
    programs = _import_programs(person)
    if not programs.exists():
        raise Http404("No program whose records you keep.")
    form = forms.ImportForm(request.POST or None, request.FILES or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            rows = tables.read_table(upload.read(tables.MAX_BYTES + 1), upload.name or "").rows
            job = import_jobs.job_create(
                actor=person,
                program=data["program"],
                kind=data["kind"],
                mode=data["mode"],
                filename=upload.name or "upload",
                rows=rows,
            )
        except (tables.TableProblem, imports.FileProblem) as exc:
            form.add_error("file", str(exc))
        except PermissionDenied as exc:
            form.add_error("kind", str(exc))
        else:
            return redirect("tokens:import-job", import_id=job.pk)
    exports = [(kind, label) for kind, label in forms.ImportForm.base_fields["kind"].choices]  # type: ignore[attr-defined]
    labels = dict(exports)
    jobs = import_jobs.jobs_visible_to(person).select_related("program").defer("rows")[:10]
    recent = [(job, labels.get(job.kind, job.kind)) for job in jobs]
    return render(
        request,
        "api/imports.html",
        {"form": form, "programs": programs, "exports": exports, "recent": recent},
        status=400 if form.errors else 200,
    )


def _job_context(job: ImportJob) -> dict[str, object]:
    handled = job.rows_done if job.phase != ImportJob.Phase.DONE else job.rows_total
    return {
        "job": job,
        "errors": [{"row": r, "column": c, "message": m} for r, c, m in job.errors],
        "kind_label": dict(forms.ImportForm.base_fields["kind"].choices).get(job.kind, job.kind),  # type: ignore[attr-defined]
        "handled": handled,
        "commit_form": forms.ImportCommitForm() if _can_commit(job) else None,
    }


def _can_commit(job: ImportJob) -> bool:
    return job.mode == ImportJob.Mode.DRY_RUN and job.is_done and bool(job.rows) and job.bad_rows < job.rows_total


@scoped_view
def import_job(request: HttpRequest, import_id: int) -> HttpResponse:
    job = import_jobs.get_job_for(person_of(request), import_id)
    return render(request, "api/import_job.html", _job_context(job))


@require_POST
@scoped_view
def import_job_step(request: HttpRequest, import_id: int) -> HttpResponse:
    """Run the next chunk of rows. htmx gets the progress fragment back (it polls until done); without
    JavaScript the "Continue" button comes back to the job's page."""
    job = import_jobs.job_step(actor=person_of(request), job_id=import_id)
    if request.headers.get("HX-Request") == "true":
        return render(request, "api/import_progress.html", _job_context(job))
    return redirect("tokens:import-job", import_id=job.pk)


@require_POST
@scoped_view
def import_job_commit(request: HttpRequest, import_id: int) -> HttpResponse:
    """Import the rows of a finished check, as every row or none, or only the good rows."""
    person = person_of(request)
    job = import_jobs.get_job_for(person, import_id)
    form = forms.ImportCommitForm(request.POST)
    if form.is_valid():
        try:
            new = import_jobs.job_commit(actor=person, job=job, mode=form.cleaned_data["mode"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            return redirect("tokens:import-job", import_id=new.pk)
    context = _job_context(job)
    if context["commit_form"] is not None:
        context["commit_form"] = form
    return render(request, "api/import_job.html", context, status=400)


@scoped_view
def import_export(request: HttpRequest, program_id: int) -> HttpResponse:
    """A program's records in the import's columns (?kind=clients|employer-contacts|jobs&file_format=csv|xlsx)."""
    person = person_of(request)
    program = get_program_for(person, program_id)
    kind = request.GET.get("kind", "clients")
    file_format = request.GET.get("file_format", "csv")
    if kind not in client_imports.KINDS or file_format not in ("csv", "xlsx"):
        raise Http404("No such export.")
    client_imports.require_importer(person, program, kind)
    return client_imports.export_response(kind, client_imports.export_rows(person, program, kind), program, file_format)
