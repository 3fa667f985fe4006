"""CSV, XLSX and PDF of the outcome tables. Shared figures show counts under 11 as "<11" (and withhold
rates built on them) unless the state team asks for exact figures for internal use."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from openpyxl import Workbook

from ipshub.outcomes.forms import FIGURE_LABELS
from ipshub.outcomes.metrics import rate, shown, shown_rate
from ipshub.outcomes.models import QuarterlyReport
from ipshub.outcomes.selectors import Cell, Dashboard

PDF_CSS = Path(__file__).parent / "static" / "outcomes" / "pdf.css"


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _count(value: int | None, exact: bool) -> Any:
    if value is None:
        return ""
    return value if exact else shown(value)


def _rate(cell: Cell, exact: bool) -> Any:
    if cell.rate is None:
        return ""
    return float(cell.rate) if exact else shown_rate(cell.worked, cell.served, cell.rate)


def dashboard_tables(dashboard: Dashboard, *, exact: bool) -> list[Table]:
    quarter_header = ["Quarter", "Served", "Worked", "Employment rate (%)"]
    totals = Table(
        "State totals",
        quarter_header,
        [[str(c.quarter), _count(c.served, exact), _count(c.worked, exact), _rate(c, exact)] for c in dashboard.totals],
    )
    groups = Table(
        f"By {dashboard.group_by.replace('_', ' ')}",
        ["Group", *quarter_header],
        [
            [g.name, str(c.quarter), _count(c.served, exact), _count(c.worked, exact), _rate(c, exact)]
            for g in dashboard.groups
            for c in g.cells
        ],
    )
    programs = Table(
        "Programs",
        ["Program", "Region", "Funding source", *quarter_header, "Report status", "Late", "Missing"],
        [
            [
                p.name,
                p.region,
                p.funding_source,
                str(c.quarter),
                _count(c.served, exact),
                _count(c.worked, exact),
                _rate(c, exact),
                c.status,
                "yes" if c.late else "",
                "yes" if c.missing else "",
            ]
            for p in dashboard.programs
            for c in p.cells
        ],
    )
    outliers = Table(
        "Flagged programs", ["Program", "Flag"], [[p.name, flag] for p in dashboard.outliers for flag in p.flags]
    )
    return [totals, groups, programs, outliers]


def report_tables(reports: Sequence[QuarterlyReport], *, exact: bool) -> list[Table]:
    header = ["Quarter", "Definition", "Version", "Status", "Source", *FIGURE_LABELS.values(), "Employment rate (%)"]
    rows = []
    for r in reports:
        counts = [_count(getattr(r, name), exact) for name in list(FIGURE_LABELS)[:7]]
        value = rate(r.worked, r.served)
        shown_value: Any = (
            (float(value) if value is not None else "") if exact else shown_rate(r.worked, r.served, value)
        )
        rows.append(
            [
                r.period,
                f"{r.definition_code} v{r.definition_version}",
                r.version,
                r.get_status_display(),
                r.get_source_display(),
                *counts,
                float(r.avg_weekly_hours) if r.avg_weekly_hours is not None else "",
                float(r.avg_hourly_wage) if r.avg_hourly_wage is not None else "",
                shown_value,
            ]
        )
    return [Table("Quarterly reports", header, rows)]


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return response


def xlsx_response(tables: list[Table], filename: str) -> HttpResponse:
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append(table.header)
        for row in table.rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def pdf_response(template: str, context: dict[str, Any], filename: str, base_url: str) -> HttpResponse:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    pdf = HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
