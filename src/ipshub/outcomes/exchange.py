"""The quarterly figures in the learning community's own layouts: the IPS Employment Center's quarterly
outcome report and the IPS Grow reporting tool's columns (docs/outcomes.md, "Exchange", lists each column and
what it maps from, and says where the official column names could not be confirmed).

The layouts are declared once here as (column, how to get it from a report) so the export, its test and the
docs table cannot drift. Counts follow the product's small-count rule unless the caller may have exact figures.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ipshub.lib.tables import Table
from ipshub.outcomes.metrics import SMALL_COUNT, rate, shown
from ipshub.outcomes.models import QuarterlyReport
from ipshub.tenancy.roles import lazy_label as _


@dataclass(frozen=True)
class Column:
    name: str
    maps_from: str  # what the docs say it comes from
    value: Callable[[QuarterlyReport], Any]
    is_count: bool = False
    # A rate built on served and worked: withheld with them when either is under the small-count rule.
    is_rate: bool = False


@dataclass(frozen=True)
class Layout:
    code: str
    title: str
    columns: tuple[Column, ...]


def _rate(report: QuarterlyReport) -> Decimal | None:
    return rate(report.worked, report.served)


def _quarter_label(report: QuarterlyReport) -> str:
    return f"{report.year} Q{report.quarter}"


def _quarter_end(report: QuarterlyReport) -> str:
    month = 3 * report.quarter
    day = 31 if month in (3, 12) else 30
    return f"{report.year}-{month:02d}-{day:02d}"


EMPLOYMENT_CENTER = Layout(
    "employment-center",
    _("IPS Employment Center quarterly outcomes"),
    (
        Column("State", "the program's state (code)", lambda r: r.program.state.code),
        Column("Program name", "the program's name", lambda r: r.program.name),
        Column("Quarter", "the report's year and quarter", _quarter_label),
        Column(
            "Number of clients served", "served: on the IPS caseload any day of the quarter", lambda r: r.served, True
        ),
        Column(
            "Number of clients who worked",
            "worked: held a competitive job any day of the quarter (several jobs count once)",
            lambda r: r.worked,
            True,
        ),
        Column("Employment rate (%)", "worked ÷ served, one decimal", _rate, is_rate=True),
        Column("Number of clients in education", "in_education", lambda r: r.in_education, True),
    ),
)

IPS_GROW = Layout(
    "ips-grow",
    _("IPS Grow outcome reporting"),
    (
        Column("Service name", "the program's name", lambda r: r.program.name),
        Column("Reporting period end", "the quarter's last day", _quarter_end),
        Column("Caseload", "served", lambda r: r.served, True),
        Column("New referrals", "new_clients: first-ever entry in the quarter", lambda r: r.new_clients, True),
        Column(
            "First employer contact within 30 days",
            "new_with_contact_30d",
            lambda r: r.new_with_contact_30d,
            True,
        ),
        Column("People in paid employment", "worked", lambda r: r.worked, True),
        Column("Job starts", "job_starts (jobs, not people)", lambda r: r.job_starts, True),
        Column("Job endings", "job_endings (jobs, not people)", lambda r: r.job_endings, True),
        Column("People in education", "in_education", lambda r: r.in_education, True),
        Column("Average weekly hours", "avg_weekly_hours", lambda r: r.avg_weekly_hours),
        Column("Average hourly wage", "avg_hourly_wage", lambda r: r.avg_hourly_wage),
    ),
)

LAYOUTS = {layout.code: layout for layout in (EMPLOYMENT_CENTER, IPS_GROW)}


def _cell(column: Column, report: QuarterlyReport, exact: bool) -> Any:
    value = column.value(report)
    if value is None:
        return ""
    if column.is_count and not exact and value < SMALL_COUNT:
        return shown(value)
    if column.is_rate and not exact and min(report.worked, report.served) < SMALL_COUNT:
        return shown(min(report.worked, report.served))
    if isinstance(value, Decimal):
        return float(value)
    return value


def layout_table(layout: Layout, reports: Sequence[QuarterlyReport], *, exact: bool) -> Table:
    """One row per report (the caller passes accepted current reports, program and state loaded)."""
    return Table(
        str(layout.title),  # in the reader's language
        [c.name for c in layout.columns],
        [[_cell(c, r, exact) for c in layout.columns] for r in reports],
    )
