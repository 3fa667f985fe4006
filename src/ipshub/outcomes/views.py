"""Outcome pages: one access call, at most one service call, render or redirect."""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ipshub.lib import tables
from ipshub.lib.forms import apply_service_errors, saved
from ipshub.lib.pagination import PER_PAGE, paginate
from ipshub.lib.replica import reads_from_replica
from ipshub.lib.signed_in import person_of
from ipshub.lib.tables import Table
from ipshub.outcomes import access, exports, figures, forms, selectors, services, sources, uploads
from ipshub.outcomes import cache as dashboard_cache
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport, Status
from ipshub.tenancy.access import get_program_for, programs_visible_to, scoped_view
from ipshub.tenancy.models import Person, State
from ipshub.tenancy.wages import long_date

WINDOWS = (4, 8, 12, 20, 40)


def _definition(request: HttpRequest) -> str:
    code = request.GET.get("definition", DEFAULT_CODE)
    return code if code in catalog().codes else DEFAULT_CODE


def _end_quarter(request: HttpRequest) -> Quarter:
    try:
        year, quarter = (int(part) for part in request.GET.get("end", "").split("-Q"))
        return Quarter(year, quarter)
    except ValueError:
        return selectors.last_complete_quarter(timezone.localdate())


# --- State dashboard ------------------------------------------------------------------------------


def _dashboard(request: HttpRequest, *, export: bool = False) -> selectors.Dashboard | None:
    """The dashboard for the chosen state. Exact figures (no "<11") follow the exports' rule: only the state
    team who review reports (leads and administrators) may have them; on screen they see them, in a
    download only when they ask (`exact=1`), since downloads are shared."""
    person = person_of(request)
    states = list(access.dashboard_states(person))
    if not states:
        return None
    chosen = request.GET.get("state", "")
    state = next((s for s in states if str(s.pk) == chosen), states[0])
    exact = access.can_review(person, state.pk) and (not export or request.GET.get("exact") == "1")
    count = int(request.GET["quarters"]) if request.GET.get("quarters", "").isdigit() else 8
    return selectors.state_dashboard(
        state=state,
        programs=programs_visible_to(person),
        definition_code=_definition(request),
        quarters=selectors.window(_end_quarter(request), count if count in WINDOWS else 8),
        group_by=request.GET.get("group", "region"),
        exact=exact,
    )


@dataclass(frozen=True)
class BoardChoice:
    """What the dashboard shows, read from the query string and settled (bad values fall back to the
    defaults): everything the rendered board depends on besides the data."""

    state: State
    definition_code: str
    end: Quarter
    count: int
    group_by: str
    page: str  # a page number, or "last" (the paginator settles numbers out of range)
    exact: bool
    today: datetime.date

    @property
    def query(self) -> str:
        """The board's query string (links to exports and other pages keep exactly this choice)."""
        return urlencode(
            {
                "state": self.state.pk,
                "definition": self.definition_code,
                "end": f"{self.end.year}-Q{self.end.quarter}",
                "quarters": self.count,
                "group": self.group_by,
            }
        )

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.definition_code,
            self.end.year,
            self.end.quarter,
            self.count,
            self.group_by,
            self.page,
            self.exact,
            self.today.isoformat(),
            # The rendering is in the reader's language (the metric's name is translated as data, docs/translations.md).
            translation.get_language(),
        )


def _board_choice(request: HttpRequest, states: list[State]) -> BoardChoice:
    person = person_of(request)
    chosen = request.GET.get("state", "")
    state = next((s for s in states if str(s.pk) == chosen), states[0])
    count = int(request.GET["quarters"]) if request.GET.get("quarters", "").isdigit() else 8
    group = request.GET.get("group", "region")
    page = request.GET.get("page", "1")
    end = _end_quarter(request)
    today = timezone.localdate()
    if not 2000 <= end.year <= 2100:
        end = selectors.last_complete_quarter(today)
    return BoardChoice(
        state=state,
        definition_code=_definition(request),
        end=end,
        count=count if count in WINDOWS else 8,
        group_by=group if group in selectors.GROUPINGS else "region",
        page=page if page == "last" else (str(int(page)) if page.isdigit() and 0 < int(page) < 10_000 else "1"),
        exact=access.can_review(person, state.pk),
        today=today,
    )


def _render_board(person: Person, choice: BoardChoice) -> tuple[str, str]:
    """The expensive part of the dashboard, rendered: the introduction and the board (totals, flags,
    groups, the page of programs with their charts)."""
    board = selectors.state_dashboard(
        state=choice.state,
        programs=programs_visible_to(person),
        definition_code=choice.definition_code,
        quarters=selectors.window(choice.end, choice.count),
        group_by=choice.group_by,
        today=choice.today,
        exact=choice.exact,
    )
    page = Paginator(board.programs, PER_PAGE).get_page(choice.page)
    selectors.add_program_charts(list(page.object_list), board.benchmarks, exact=board.exact)
    context = {
        "board": board,
        "page_obj": page,
        "query_prefix": f"{choice.query}&",
        "export_query": choice.query,
        "definition": catalog().latest(board.definition_code),
        "groupings": selectors.GROUPINGS,
    }
    return (
        render_to_string("outcomes/_dashboard_intro.html", context),
        render_to_string("outcomes/_dashboard_board.html", context),
    )


@scoped_view
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """The state dashboard. Who sees which state, and exact figures or "<11", is decided on every request;
    only the rendered board is cached (outcomes/cache.py), per state, under everything it depends on."""
    person = person_of(request)
    states = list(access.dashboard_states(person))
    if not states:
        programs = programs_visible_to(person).order_by("name")
        page, prefix = paginate(request, programs)
        return render(request, "outcomes/my_programs.html", {"page_obj": page, "query_prefix": prefix})
    choice = _board_choice(request, states)
    # Every state's dashboard shows all of the state's programs: whoever may open it (the state team,
    # platform administrators) sees every program of the state, so the entry is shared among them.
    intro, board = dashboard_cache.cached(choice.state.pk, choice.key, lambda: _render_board(person, choice))
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "choice": choice,
            "intro": mark_safe(intro),  # rendered by our own templates, escaped there
            "board": mark_safe(board),
            "states": states,
            "definitions": catalog().choices(),
            "windows": WINDOWS,
            "groupings": selectors.GROUPINGS,
        },
    )


@scoped_view
@reads_from_replica
def dashboard_export(request: HttpRequest) -> HttpResponse:
    board = _dashboard(request, export=True)
    if board is None:
        raise Http404("The state dashboard is for the state IPS team.")
    tables = exports.dashboard_tables(board, exact=board.exact)
    name = f"outcomes-{board.state.code}-{board.quarters[-1].year}Q{board.quarters[-1].quarter}"
    fmt = request.GET.get("format", "csv")
    if fmt == "xlsx":
        return exports.xlsx_response(tables, name)
    if fmt == "pdf":
        selectors.add_program_charts(board.programs, board.benchmarks, exact=board.exact)
        context = {"board": board, "tables": tables, "definition": catalog().latest(board.definition_code)}
        return exports.pdf_response("outcomes/pdf_state.html", context, name, request.build_absolute_uri("/"))
    index = int(request.GET["table"]) if request.GET.get("table", "").isdigit() else 0
    table = tables[min(index, len(tables) - 1)]
    return exports.csv_response(table, f"{name}-{table.name.lower().replace(' ', '-')}")


# --- One program ----------------------------------------------------------------------------------


@scoped_view
def program_outcomes(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    code = _definition(request)
    reports = selectors.program_reports(program, code)
    benchmarks = selectors.benchmarks_for(program.state, code)
    page, prefix = paginate(request, reports, per_page=12)
    # Exact figures on screen for those who may download them (the program's writers and the state team).
    exact = access.can_write_for(person, program)
    # --- Trustworthy figures: each quarter's one status (outcomes/report_status.py), from the reports read above.
    today = timezone.localdate()
    report_rows = [(report, selectors.report_standing(program, report, today)) for report in page.object_list]
    quarter_cells = selectors.program_quarters(program, reports, today)
    # --- end of trustworthy figures
    return render(
        request,
        "outcomes/program.html",
        {
            "program": program,
            "page_obj": page,
            "query_prefix": prefix,
            "definition": catalog().latest(code),
            "definitions": catalog().choices(),
            "benchmarks": benchmarks,
            "chart": selectors.program_chart(program, reports, benchmarks, exact=exact),
            "goal_checks": selectors.goal_checks(program, reports),
            "uploads": program.outcome_uploads.select_related("uploaded_by")[:5],
            "can_write": exact,
            "exact": exact,
            "can_compute": sources.computed_source_enabled(),
            "report_rows": report_rows,
            "quarter_cells": quarter_cells,
            "deadline_days": catalog().deadline_days,
        },
    )


@scoped_view
def program_export(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    code = _definition(request)
    reports = selectors.program_reports(program, code)
    exact = request.GET.get("exact") == "1" and access.can_write_for(person, program)
    tables = exports.report_tables(reports, exact=exact, program=program)
    name = f"outcomes-{program.name.lower().replace(' ', '-')}"
    fmt = request.GET.get("format", "csv")
    if fmt == "xlsx":
        return exports.xlsx_response(tables, name)
    if fmt == "pdf":
        benchmarks = selectors.benchmarks_for(program.state, code)
        context = {
            "program": program,
            "reports": reports,
            "report": reports[0] if reports else None,
            "definition": catalog().latest(code),
            "benchmarks": benchmarks,
            "chart": selectors.program_chart(program, reports, benchmarks, exact=exact),
            "goal_checks": selectors.goal_checks(program, reports),
            "tables": tables,
            "generated": timezone.now(),
        }
        return exports.pdf_response("outcomes/pdf_program.html", context, name, request.build_absolute_uri("/"))
    return exports.csv_response(tables[0], name)


@scoped_view
def report_create(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    access.require_writer(person, program)
    last = selectors.last_complete_quarter(timezone.localdate())
    initial = {"year": last.year, "quarter": last.quarter, "definition_code": DEFAULT_CODE}
    form = forms.ReportCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_save(
                actor=person,
                program=program,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                definition_code=form.cleaned_data["definition_code"],
                figures=form.figures(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The %(period)s figures were saved as a draft. Submit them when ready.") % {"period": report.period},
            )
            return redirect("outcomes:report_detail", report_id=report.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("Enter quarterly figures for %(program)s") % {"program": program},
        "program": program,
    }
    return render(request, "outcomes/report_form.html", context, status=status)


@scoped_view
def report_compute(request: HttpRequest, program_id: int) -> HttpResponse:
    """Compute a quarter's figures from the client records into a draft (audited by the service)."""
    person = person_of(request)
    program = get_program_for(person, program_id)
    access.require_writer(person, program)
    last = selectors.last_complete_quarter(timezone.localdate())
    initial = {"year": last.year, "quarter": last.quarter, "definition_code": DEFAULT_CODE}
    form = forms.ComputeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_compute(
                actor=person,
                program=program,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                definition_code=form.cleaned_data["definition_code"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            done = _("The %(period)s figures were computed from the client records into a draft.") % {
                "period": report.period
            }
            until = selectors.in_progress_until(report.year, report.quarter)
            if until is not None:
                done += " " + _("This quarter ends on %(day)s; figures may still change.") % {"day": long_date(until)}
            messages.success(request, done)
            return redirect("outcomes:report_detail", report_id=report.pk)
    status = 400 if request.method == "POST" else 200
    current = Quarter.containing(timezone.localdate())
    context = {
        "form": form,
        "program": program,
        "enabled": sources.computed_source_enabled(),
        "current_quarter": current,
        "current_quarter_end": long_date(current.last_day),
    }
    return render(request, "outcomes/compute_form.html", context, status=status)


def _report_context(person: Person, report: QuarterlyReport) -> dict[str, Any]:
    reports = selectors.program_reports(report.program, report.definition_code)
    goals = [c for c in selectors.goal_checks(report.program, reports) if c.goal.year == report.year]
    return {
        "report": report,
        "definition": catalog().get(report.definition_code, report.definition_version),
        "events": report.events.select_related("actor"),
        "versions": QuarterlyReport.objects.filter(
            program=report.program, year=report.year, quarter=report.quarter, definition_code=report.definition_code
        ).order_by("-version"),
        "goal_checks": [c for c in goals if c.goal.quarter in (0, report.quarter)],
        "benchmarks": selectors.benchmarks_for(report.program.state, report.definition_code),
        "can_write": access.can_write_for(person, report.program),
        "exact": access.can_write_for(person, report.program),
        "can_review": access.can_review(person, report.program.state_id),
        "review_form": forms.ReviewForm(),
        "submit_form": forms.SubmitForm(report=report),
        "in_progress_until": selectors.in_progress_until(report.year, report.quarter),
        "now": timezone.localdate(),
        # --- Trustworthy figures: the quarter's one status (late or not), instead of a check of its own.
        "standing": selectors.report_standing(report.program, report, timezone.localdate()),
        # --- end of trustworthy figures
    }


@scoped_view
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    person = person_of(request)
    report = access.get_report_for(person, report_id)
    return render(request, "outcomes/report_detail.html", _report_context(person, report))


@scoped_view
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    person = person_of(request)
    report = access.get_report_for(person, report_id)
    access.require_writer(person, report.program)
    if not report.is_editable or not report.is_current:
        return render(request, "outcomes/report_locked.html", {"report": report})
    initial = {name: getattr(report, name) for name in figures.NAMES}
    form = forms.FiguresForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.report_update(actor=person, report=report, figures=form.figures()))
    ):
        messages.success(request, _("The figures were saved."))
        return redirect("outcomes:report_detail", report_id=report.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("Edit %(report)s") % {"report": report},
        "program": report.program,
        "report": report,
    }
    return render(request, "outcomes/report_form.html", context, status=status)


@scoped_view
def report_correct(request: HttpRequest, report_id: int) -> HttpResponse:
    person = person_of(request)
    report = access.get_report_for(person, report_id)
    access.require_writer(person, report.program)
    if report.status != Status.ACCEPTED or not report.is_current:
        return render(request, "outcomes/report_locked.html", {"report": report, "not_accepted": True})
    initial = {name: getattr(report, name) for name in figures.NAMES}
    form = forms.CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.report_correct(
                actor=person, report=report, reason=form.cleaned_data["reason"], figures=form.figures()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s was created. Submit it for review when ready.")
                % {"version": correction.version},
            )
            return redirect("outcomes:report_detail", report_id=correction.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": _("Correct %(report)s") % {"report": report},
        "program": report.program,
        "report": report,
    }
    return render(request, "outcomes/report_form.html", context, status=status)


@require_POST
@scoped_view
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    person = person_of(request)
    report = access.get_report_for(person, report_id)
    form = forms.SubmitForm(request.POST, report=report)
    if form.is_valid() and saved(
        form,
        lambda: services.report_submit(
            actor=person,
            report=report,
            submit_early=form.cleaned_data.get("submit_early", False),
            early_reason=form.cleaned_data.get("early_reason", ""),
        ),
    ):
        messages.success(
            request, _("The %(period)s report was submitted to the state team.") % {"period": report.period}
        )
        return redirect("outcomes:report_detail", report_id=report.pk)
    context = _report_context(person, report) | {"submit_form": form}
    return render(request, "outcomes/report_detail.html", context, status=400)


@require_POST
@scoped_view
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    person = person_of(request)
    report = access.get_report_for(person, report_id)
    access.require_reviewer(person, report.program.state_id)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.report_accept(actor=person, report=report, comment=form.cleaned_data["comment"])
                messages.success(
                    request, _("The %(period)s report was accepted and is now locked.") % {"period": report.period}
                )
            else:
                services.report_return(actor=person, report=report, comment=form.cleaned_data["comment"])
                messages.success(
                    request, _("The %(period)s report was returned to the program.") % {"period": report.period}
                )
            return redirect("outcomes:report_detail", report_id=report.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    context = _report_context(person, report) | {"review_form": form}
    return render(request, "outcomes/report_detail.html", context, status=400)


# --- Goals and benchmarks -------------------------------------------------------------------------


@scoped_view
def goals(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    can_write = access.can_write_for(person, program)
    if request.method == "POST" and not can_write:
        raise PermissionDenied("Only the program's IPS supervisor or director, or the state team, set goals.")
    form = forms.GoalForm(request.POST or None, initial={"year": timezone.localdate().year, "quarter": 0})
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.goal_set(actor=person, program=program, **form.cleaned_data))
    ):
        messages.success(request, _("The goal was saved."))
        return redirect("outcomes:goals", program_id=program.pk)
    reports = selectors.program_reports(program, DEFAULT_CODE)
    context = {
        "program": program,
        "form": form,
        "goal_checks": selectors.goal_checks(program, reports),
        "can_write": can_write,
    }
    return render(request, "outcomes/goals.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@scoped_view
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    person = person_of(request)
    goal = access.get_goal_for(person, goal_id)
    program_id = goal.program_id
    services.goal_delete(actor=person, goal=goal)
    messages.success(request, _("The goal was removed."))
    return redirect("outcomes:goals", program_id=program_id)


@scoped_view
def benchmarks(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    states = list(access.dashboard_states(person))
    if not states:
        raise Http404("Benchmarks are kept by the state IPS team.")
    state = next((s for s in states if str(s.pk) == request.GET.get("state", "")), states[0])
    can_edit = access.can_review(person, state.pk)
    form = forms.BenchmarkForm(request.POST or None, initial={"definition_code": DEFAULT_CODE})
    if request.method == "POST":
        access.require_reviewer(person, state.pk)
        if form.is_valid():
            try:
                services.benchmarks_set(actor=person, state=state, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The benchmarks were saved."))
                return redirect(f"{request.path}?state={state.pk}")
    table = [(d, selectors.benchmarks_for(state, code)) for code, d in catalog().choices()]
    context = {"state": state, "form": form, "table": table, "can_edit": can_edit}
    return render(request, "outcomes/benchmarks.html", context, status=400 if request.method == "POST" else 200)


# --- Uploads --------------------------------------------------------------------------------------


@scoped_view
def upload(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    access.require_writer(person, program)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            checked = services.upload_check(
                actor=person, program=program, filename=file.name, content=file.read(tables.MAX_BYTES + 1)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("outcomes:upload_detail", upload_id=checked.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outcomes/upload.html", {"form": form, "program": program}, status=status)


@scoped_view
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    person = person_of(request)
    checked = access.get_upload_for(person, upload_id)
    form = forms.CommitForm(request.POST or None)
    if request.method == "POST":
        access.require_writer(person, checked.program)
        if form.is_valid():
            try:
                count = services.upload_commit(
                    actor=person, upload=checked, only_good_rows=form.cleaned_data["mode"] == "good"
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s quarter was entered as a draft.", "%(count)s quarters were entered as drafts.", count
                    )
                    % {"count": count},
                )
                return redirect("outcomes:program", program_id=checked.program_id)
    earlier = (
        checked.program.outcome_uploads.filter(sha256=checked.sha256, committed_at__isnull=False)
        .exclude(pk=checked.pk)
        .first()
    )
    context = {
        "upload": checked,
        "form": form,
        "earlier": earlier,
        "can_write": access.can_write_for(person, checked.program),
    }
    return render(request, "outcomes/upload_detail.html", context, status=400 if request.method == "POST" else 200)


@scoped_view
def upload_template(request: HttpRequest) -> HttpResponse:
    example = Table("Template", uploads.COLUMNS, [uploads.EXAMPLE_ROW])
    return exports.csv_response(example, "quarterly-outcomes-template")
