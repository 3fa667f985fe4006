"""The supervisor dashboard, its drill-down per employment specialist, and their exports.

Aggregate figures only (counts per specialist, never a client's name), so no page here discloses client
data; who may see them is the dashboard's rule (access.dashboard_programs)."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ipshub.clients import access, selectors, supervision, weeks
from ipshub.clients.access import client_view
from ipshub.lib.signed_in import person_of

EXPORT_FORMATS = ("csv", "xlsx")


def _period(request: HttpRequest, today: datetime.date) -> tuple[datetime.date, datetime.date, list[str]]:
    """The period asked for in ?start=&end= (ISO dates); by default the 13 weeks to today."""
    start, end, problems = supervision.checked_period(request.GET.get("start", ""), request.GET.get("end", ""), today)
    said = [p.message for p in problems]
    if said:
        said.append(f"Showing {supervision.period(start, end, today).label} instead.")
    return start, end, said


def _context(
    board_period: supervision.Period, quarters: list[supervision.Figures], problems: list[str]
) -> dict[str, object]:
    return {
        "quarter_rows": supervision.quarter_rows(quarters),
        "problems": problems,
        "standard": weeks.FACE_TO_FACE_STANDARD,
        "first_contact_standard": selectors.FIRST_CONTACT_STANDARD_DAYS,
        "limit": selectors.CASELOAD_LIMIT,
        "period_query": f"start={board_period.start.isoformat()}&end={board_period.end.isoformat()}",
        "columns": supervision.DASHBOARD_COLUMNS,
    }


@client_view
def dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_dashboard_program_for(person, program_id)
    today = timezone.localdate()
    start, end, problems = _period(request, today)
    board = supervision.dashboard(program, start, end, today)
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS:
        return supervision.export(board, fmt, request.GET.get("table", ""))
    return render(
        request, "clients/dashboard.html", {"board": board, **_context(board.period, board.quarters, problems)}
    )


@client_view
def dashboard_specialist(request: HttpRequest, program_id: int, specialist_id: int) -> HttpResponse:
    person = person_of(request)
    program, specialist = access.get_dashboard_specialist_for(person, program_id, specialist_id)
    today = timezone.localdate()
    start, end, problems = _period(request, today)
    board = supervision.specialist_board(program, specialist, start, end, today)
    # The caseload itself (client names, audited there) only for those who may list it: the unit's supervisor.
    supervises = access.supervises(person, program)
    caseload_url = f"{reverse('clients:caseload')}?specialist={specialist.pk}" if supervises else ""
    return render(
        request,
        "clients/dashboard_specialist.html",
        {"board": board, "caseload_url": caseload_url, **_context(board.period, board.quarters, problems)},
    )


@client_view
def dashboard_index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    programs = list(access.dashboard_programs(person).order_by("name")[:50])
    return render(request, "clients/dashboard_index.html", {"programs": programs})
