"""CSV and PDF exports of the state board and of responsibilities."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ipshub.implementation.models import Assignment
from ipshub.implementation.selectors import CATALOG_PHASE_LABELS, PARTY_LABELS, BoardRow
from ipshub.lib.pdf import weasyprint
from ipshub.lib.tables import csv_response


def pdf_response(request: HttpRequest, template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    html = render_to_string(template, context, request=request)
    pdf = weasyprint().HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def board_csv(rows: list[BoardRow], today: datetime.date) -> HttpResponse:
    return csv_response(
        f"state-board-{today:%Y-%m-%d}.csv",
        [
            _("Program"),
            _("Phase"),
            _("Phase since"),
            _("Roadmap stage"),
            _("Mental health agency"),
            _("State trainer"),
            _("Open responsibilities"),
            _("Overdue"),
            _("Next milestone due"),
            _("Next milestone"),
        ],
        (
            [
                r.program.name,
                r.program.get_phase_display(),
                r.program.phase_since,
                f"{r.stage_number}. {r.stage_name}",
                r.program.mh_agency.name,
                str(r.program.trainer or ""),
                r.open_items,
                r.overdue,
                r.next_due,
                r.next_title,
            ]
            for r in rows
        ),
    )


def assignments_csv(filename: str, assignments: Iterable[Assignment], today: datetime.date) -> HttpResponse:
    return csv_response(
        filename,
        [
            _("Program"),
            _("Phase"),
            _("Party"),
            _("Organization"),
            _("Responsibility"),
            _("Period"),
            _("Owner"),
            _("Due"),
            _("Status"),
            _("Overdue"),
            _("Completed"),
            _("Fulfilled by"),
            _("Why"),
        ],
        (
            [
                a.program.name,
                CATALOG_PHASE_LABELS.get(a.phase_key, a.phase_key),
                PARTY_LABELS.get(a.party_key, a.party_key),
                a.organization.name if a.organization else _("Not assigned yet"),
                a.responsibility.text,
                a.period_key,
                str(a.owner or ""),
                a.due_on,
                a.get_status_display(),
                _("yes") if a.is_overdue(today) else "",
                a.completed_on,
                "; ".join(f"{link.get('label') or link.get('kind')} ({link.get('on')})" for link in a.fulfilled_by),
                a.status_reason,
            ]
            for a in assignments
        ),
    )
