"""CSV, XLSX and PDF of the outcome tables. Shared figures show counts under 11 as "<11" (and withhold
rates built on them) unless the state team asks for exact figures for internal use."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.lib import tables
from ipshub.lib.pdf import weasyprint
from ipshub.lib.tables import Table
from ipshub.outcomes.figures import FIGURES, Figure
from ipshub.outcomes.metrics import SMALL_COUNT, rate, shown, shown_rate, visible_rate
from ipshub.outcomes.models import QuarterlyReport
from ipshub.outcomes.selectors import Cell, Dashboard, report_standing
from ipshub.tenancy.models import Program

PDF_CSS = Path(__file__).parent / "static" / "outcomes" / "pdf.css"


def _count(value: int | None, exact: bool) -> Any:
    """A count as a number, or "<11" where the small-count rule withholds it (a number stays a number, so a
    spreadsheet can sum it)."""
    if value is None:
        return ""
    return value if exact or value >= SMALL_COUNT else shown(value)


def _shared_rate(numerator: int | None, denominator: int | None, value: Decimal | None, exact: bool) -> Any:
    """A rate in percent as a number (the header says "%"), or "<11" where the small-count rule withholds it."""
    if value is None:
        return ""
    visible = visible_rate(numerator, denominator, value, exact)
    # A Decimal with its one place: a number cell with the format "0.0" in Excel (lib/tables.py).
    return visible.quantize(Decimal("0.1")) if visible is not None else shown_rate(numerator, denominator, value)


def _rate(cell: Cell, exact: bool) -> Any:
    return _shared_rate(cell.worked, cell.served, cell.rate, exact)


# A total's completeness (selectors.Completeness): who is in it, so an incomplete quarter is never read as a fall.
def completeness_header() -> list[str]:
    return [_("Programs reported"), _("Programs expected"), _("Programs in the total"), _("Complete")]


def _completeness(cell: Cell) -> list[Any]:
    done = cell.completeness
    if done is None:
        return ["", "", "", ""]
    return [done.reported, done.expected, done.counted, _("yes") if done.complete else _("no: incomplete")]


def _quarter_row(cell: Cell, exact: bool) -> list[Any]:
    return [str(cell.quarter), _count(cell.served, exact), _count(cell.worked, exact), _rate(cell, exact)]


def dashboard_tables(dashboard: Dashboard, *, exact: bool) -> list[Table]:
    quarter_header = [_("Quarter"), _("Served"), _("Worked"), _("Employment rate (%)")]
    totals = Table(
        _("State totals"),
        [*quarter_header, *completeness_header()],
        [[*_quarter_row(c, exact), *_completeness(c)] for c in dashboard.totals],
    )
    groups = Table(
        _("By %(group)s") % {"group": dashboard.group_by.replace("_", " ")},
        [_("Group"), *quarter_header, *completeness_header()],
        [[g.name, *_quarter_row(c, exact), *_completeness(c)] for g in dashboard.groups for c in g.cells],
    )
    programs = Table(
        _("Programs"),
        [
            _("Program"),
            _("Region"),
            _("Funding source"),
            *quarter_header,
            _("Report status"),
            _("Late"),
            _("Missing"),
            _("Deadline"),
        ],
        [
            [
                p.name,
                p.region,
                p.funding_source,
                str(c.quarter),
                _count(c.served, exact),
                _count(c.worked, exact),
                _rate(c, exact),
                c.standing.label if c.standing else _("Not owed"),
                _("yes") if c.late else "",
                _("yes") if c.missing else "",
                c.standing.deadline if c.standing else "",
            ]
            for p in dashboard.programs
            for c in p.cells
        ],
    )
    outliers = Table(
        _("Flagged programs"),
        [_("Program"), _("Flag")],
        [[p.name, flag] for p in dashboard.outliers for flag in p.flags],
    )
    return [totals, groups, programs, outliers]


def _figure(report: QuarterlyReport, figure: Figure, exact: bool) -> Any:
    """A count under the small-count rule; a decimal as a number (empty when not given)."""
    value = getattr(report, figure.name)
    if figure.is_count:
        return _count(value, exact)
    return value if value is not None else ""  # a Decimal: a number cell with two places in Excel


def report_tables(
    reports: Sequence[QuarterlyReport],
    *,
    exact: bool,
    program: Program | None = None,
    today: datetime.date | None = None,
) -> list[Table]:
    """The program's reports; with `program`, each quarter's one status and deadline (outcomes/report_status.py)."""
    header = [
        _("Quarter"),
        _("Definition"),
        _("Version"),
        _("Status"),
        *([_("Quarter status"), _("Deadline")] if program is not None else []),
        _("Source"),
        *(_(f.label) for f in FIGURES),
        _("Employment rate (%)"),
    ]
    rows = []
    for r in reports:
        shown_value = _shared_rate(r.worked, r.served, rate(r.worked, r.served), exact)
        rows.append(
            [
                r.period,
                f"{r.definition_code} v{r.definition_version}",
                r.version,
                r.get_status_display(),
                *(_quarter_status(program, r, today) if program is not None else []),
                r.get_source_display(),
                *(_figure(r, figure, exact) for figure in FIGURES),
                shown_value,
            ]
        )
    return [Table(_("Quarterly reports"), header, rows)]


def _quarter_status(program: Program, report: QuarterlyReport, today: datetime.date | None) -> list[Any]:
    standing = report_standing(program, report, today or timezone.localdate()) if report.is_current else None
    return [standing.label if standing else "", report.due_on]


def csv_response(table: Table, filename: str) -> HttpResponse:
    return tables.csv_response(f"{filename}.csv", table.header, table.rows)


def xlsx_response(sheets: list[Table], filename: str) -> HttpResponse:
    return tables.xlsx_response(f"{filename}.xlsx", sheets)


def pdf_response(template: str, context: dict[str, Any], filename: str, base_url: str) -> HttpResponse:
    html = render_to_string(template, context)
    printer = weasyprint()
    pdf = printer.HTML(string=html, base_url=base_url).write_pdf(stylesheets=[printer.CSS(filename=str(PDF_CSS))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
