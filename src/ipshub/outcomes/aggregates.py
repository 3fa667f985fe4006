"""The aggregate file: what one install publishes so another can pool it into its roll-up (a national
learning community of states that run their own installs).

What is in it: one row per program, quarter and metric definition, from the state's *accepted* current
reports; counts only (served, worked, in education, job starts, job endings), never a client. Counts under
11 are written as "<11" (the product's small-count rule, metrics.SMALL_COUNT), and the file says which
install and state it came from and under which format version.

How the pooled rate treats "<11": a row whose served or worked is withheld cannot be pooled honestly (its
share of either sum is unknown), so it is left out of BOTH sums and the roll-up says how many program-quarters
were left out (`Pooled.withheld`). The pooled rate is sum(worked) / sum(served) over the rows kept, never an
average of the programs' rates.
"""

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from ipshub.audit.services import audit_record
from ipshub.lib import imports, tables
from ipshub.lib.imports import Outcome, RowInvalid
from ipshub.outcomes import access
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.metrics import SMALL_COUNT
from ipshub.outcomes.models import AggregateUpload, ImportedAggregate, QuarterlyReport, Status
from ipshub.tenancy.models import Person, State

FORMAT = "ipshub-aggregate-1"
SUPPRESSED = "<11"
COUNTS = ("served", "worked", "in_education", "job_starts", "job_endings")
COLUMNS = (
    "format",
    "source_install",
    "state_code",
    "state_name",
    "program",
    "year",
    "quarter",
    "definition",
    *COUNTS,
)
REQUIRED = ("format", "source_install", "state_code", "program", "year", "quarter", *COUNTS)


def install_name() -> str:
    """This install's name in the files it publishes (IPSHUB_INSTALL_NAME)."""
    return str(getattr(settings, "IPSHUB_INSTALL_NAME", "") or "ips-hub")


def _published(count: int) -> int | str:
    return count if count >= SMALL_COUNT else SUPPRESSED


def export_rows(state: State, *, definition_code: str | None = None) -> list[list[Any]]:
    """The state's accepted current reports as aggregate rows (one query), small counts withheld."""
    reports = QuarterlyReport.objects.filter(program__state=state, is_current=True, status=Status.ACCEPTED)
    if definition_code:
        reports = reports.filter(definition_code=definition_code)
    rows = reports.order_by("program__name", "year", "quarter", "definition_code").values_list(
        "program__name", "year", "quarter", "definition_code", *COUNTS
    )
    source = install_name()
    return [
        [FORMAT, source, state.code, state.name, name, year, quarter, code, *(_published(c) for c in counts)]
        for name, year, quarter, code, *counts in rows
    ]


def export_table(state: State, *, definition_code: str | None = None) -> tables.Table:
    return tables.Table("Aggregates", COLUMNS, export_rows(state, definition_code=definition_code))


def export_bytes(state: State, filename: str) -> bytes:
    """The file's content, CSV or XLSX by the name's extension."""
    table = export_table(state)
    if filename.lower().endswith(".xlsx"):
        return tables.xlsx_bytes([table])
    return tables.csv_bytes(table.header, table.rows)


# --- Reading a file: the row adapter for lib/imports.py ---------------------------------------------


class AggregateFileError(ValueError):
    """The file as a whole can't be read; the message says why."""


def read(filename: str, content: bytes) -> tables.ReadTable:
    try:
        table = tables.read_table(content, filename)
    except tables.TableProblem as exc:
        raise AggregateFileError(str(exc)) from None
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise AggregateFileError(
            f"This is not an aggregate file: missing column(s) {', '.join(missing)}. Columns: {', '.join(COLUMNS)}."
        )
    return table


def _count(value: str) -> int | None:
    """A published count: a whole number, or None for "<11" (withheld). ValueError otherwise."""
    text = value.strip()
    if text == SUPPRESSED:
        return None
    if not text.isdigit():
        raise ValueError
    return int(text)


class AggregateRows:
    """A row is one program-quarter of another install. `check` finds every problem without writing;
    `write` stores it (replacing the same program-quarter from the same install, so a file imported twice
    never counts twice)."""

    kind = "outcome_aggregates"
    required: tuple[str, ...] = ("source_install", "state_code", "program", "year", "quarter")
    checks_by_writing = False

    def __init__(self, *, upload: AggregateUpload | None = None) -> None:
        self.upload = upload
        self.codes = catalog().codes
        self.seen: dict[tuple[str, str, str, int, int, str], int] = {}
        self.line = 1

    def column_of(self, key: str) -> str:
        return key

    def check(self, cells: Mapping[str, Any]) -> dict[str, Any]:
        self.line += 1
        errors: dict[str, list[str]] = {}

        def bad(column: str, message: str) -> None:
            errors.setdefault(column, []).append(message)

        if str(cells.get("format", "")).strip() != FORMAT:
            bad("format", f"Unknown format '{cells.get('format', '')}': this install reads {FORMAT}.")
        values: dict[str, Any] = {
            "source_install": str(cells.get("source_install", "")).strip()[:100],
            "state_code": str(cells.get("state_code", "")).strip().upper()[:8],
            "state_name": str(cells.get("state_name", "")).strip()[:100],
            "program_label": str(cells.get("program", "")).strip()[:200],
        }
        if values["source_install"] == install_name():
            bad("source_install", "This file was published by this install: its figures are already in the roll-up.")
        for column in ("year", "quarter"):
            text = str(cells.get(column, "")).strip()
            if text.isdigit():
                values[column] = int(text)
            else:
                bad(column, f"'{text}' is not a whole number.")
        if "year" in values and not 2000 <= values["year"] <= 2100:
            bad("year", "Give the year as four digits, e.g. 2025.")
        if "quarter" in values and values["quarter"] not in (1, 2, 3, 4):
            bad("quarter", "The quarter is 1, 2, 3 or 4.")
        code = str(cells.get("definition", "")).strip() or DEFAULT_CODE
        if code not in self.codes:
            bad("definition", f"Unknown definition '{code}'. Use one of: {', '.join(self.codes)}.")
        values["definition_code"] = code
        for column in COUNTS:
            text = str(cells.get(column, ""))
            try:
                values[column] = _count(text)
            except ValueError:
                bad(column, f"'{text}' is not a whole number or {SUPPRESSED}.")
                continue
            if values[column] is not None and values[column] < SMALL_COUNT:
                bad(column, f"{values[column]} is under {SMALL_COUNT}: a published file shows it as {SUPPRESSED}.")
        served, worked = values.get("served"), values.get("worked")
        if not errors and served is not None and worked is not None and worked > served:
            bad("worked", f"Worked ({worked}) is more than served ({served}).")
        if not errors:
            key = (
                values["source_install"],
                values["state_code"],
                values["program_label"],
                values["year"],
                values["quarter"],
                code,
            )
            if key in self.seen:
                bad("program", f"The same program, quarter and definition is already on line {self.seen[key]}.")
            else:
                self.seen[key] = self.line
        if errors:
            raise RowInvalid(errors)
        return values

    def write(self, checked: Mapping[str, Any]) -> Outcome:
        key = {
            name: checked[name]
            for name in ("source_install", "state_code", "program_label", "year", "quarter", "definition_code")
        }
        _, created = ImportedAggregate.objects.update_or_create(
            **key,
            defaults={
                "state_name": checked["state_name"],
                "upload": self.upload,
                **{name: checked[name] for name in COUNTS},
            },
        )
        return "created" if created else "updated"


def check(table: tables.ReadTable) -> list[dict[str, Any]]:
    """The dry run: every row checked, nothing written; the rows as the upload keeps them."""
    result = imports.ImportResult(kind=AggregateRows.kind, rows=len(table.rows))
    imports.run_rows(AggregateRows(), table.rows, first=0, result=result, write=False)
    errors: dict[int, list[dict[str, str]]] = {}
    for error in result.errors:
        errors.setdefault(error.row, []).append({"column": error.column, "message": error.message})
    return [
        {"line": line, "values": result.checked.get(line, {}), "errors": errors.get(line, [])}
        for line in range(2, len(table.rows) + 2)
    ]


# --- The pooled roll-up ---------------------------------------------------------------------------


@dataclass
class PooledQuarter:
    year: int
    quarter: int
    served: int = 0
    worked: int = 0
    local_programs: int = 0
    imported_programs: int = 0
    # Imported program-quarters left out because served or worked was withheld ("<11").
    withheld: int = 0

    @property
    def pooled(self) -> Fraction | None:
        """The exact pooled rate, sum(worked) / sum(served)."""
        return Fraction(self.worked, self.served) if self.served else None

    @property
    def rate(self) -> Decimal | None:
        """The pooled rate in percent, one decimal."""
        if not self.served:
            return None
        return (Decimal(100) * self.worked / self.served).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def period(self) -> str:
        return f"{self.year} Q{self.quarter}"


@dataclass
class Pooled:
    state_code: str  # "" for every state
    definition_code: str
    quarters: list[PooledQuarter] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def withheld(self) -> int:
        return sum(q.withheld for q in self.quarters)


def pooled_rollup(
    *,
    state_codes: Iterable[str] | None,
    definition_code: str = DEFAULT_CODE,
    include_imported: bool = True,
    since: datetime.date | None = None,
) -> Pooled:
    """Per quarter: this install's accepted current reports of the states (every state: None) plus, when
    asked, the imported aggregates of those state codes, pooled as sum(worked) / sum(served). Two queries
    for local, two for imported, whatever the number of programs."""
    codes = sorted({c.upper() for c in state_codes}) if state_codes is not None else None
    by_quarter: dict[tuple[int, int], PooledQuarter] = {}

    def at(year: int, quarter: int) -> PooledQuarter:
        return by_quarter.setdefault((year, quarter), PooledQuarter(year, quarter))

    local = QuarterlyReport.objects.filter(is_current=True, status=Status.ACCEPTED, definition_code=definition_code)
    if codes is not None:
        local = local.filter(program__state__code__in=codes)
    if since is not None:
        local = local.filter(Q(year__gt=since.year) | Q(year=since.year, quarter__gte=(since.month - 1) // 3 + 1))
    for year, quarter, served, worked in local.values_list("year", "quarter", "served", "worked"):
        cell = at(year, quarter)
        cell.served += served
        cell.worked += worked
        cell.local_programs += 1
    sources: set[str] = set()
    if include_imported:
        imported = ImportedAggregate.objects.filter(definition_code=definition_code)
        if codes is not None:
            imported = imported.filter(state_code__in=codes)
        if since is not None:
            imported = imported.filter(
                Q(year__gt=since.year) | Q(year=since.year, quarter__gte=(since.month - 1) // 3 + 1)
            )
        for year, quarter, shared_served, shared_worked, source in imported.values_list(
            "year", "quarter", "served", "worked", "source_install"
        ):
            cell = at(year, quarter)
            sources.add(source)
            if shared_served is None or shared_worked is None:
                cell.withheld += 1
                continue
            cell.served += shared_served
            cell.worked += shared_worked
            cell.imported_programs += 1
    return Pooled(
        state_code=",".join(codes) if codes else "",
        definition_code=definition_code,
        quarters=[by_quarter[k] for k in sorted(by_quarter)],
        sources=sorted(sources),
    )


# --- Services: importing a file (web: check then commit; command line: both at once) -----------------


def _audit_import(actor: Person | None, action: str, obj: AggregateUpload | None, detail: dict[str, Any]) -> None:
    state_id = obj.state_id if obj is not None else None
    audit_record(actor=actor, action=action, obj=obj, summary="aggregate file", state_id=state_id, detail=detail)


@transaction.atomic
def aggregate_upload_check(*, actor: Person, state: State, filename: str, content: bytes) -> AggregateUpload:
    """The dry run: every row checked and kept with its problems; nothing enters the roll-up. The check
    belongs to the state team that brings the file (`state`)."""
    access.require_reviewer(actor, state.pk)
    try:
        table = read(filename, content)
    except AggregateFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    upload = AggregateUpload.objects.create(
        state=state,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=check(table),
        uploaded_by=actor,
    )
    _audit_import(actor, "outcome_aggregates.check", upload, {"rows": len(upload.rows), "bad": len(upload.bad_rows)})
    return upload


@transaction.atomic
def aggregate_upload_commit(*, actor: Person, upload: AggregateUpload) -> int:
    """Import a checked file: only when every row was good (a partial learning-community file would make
    the pooled figures wrong without saying so). Each row replaces the same program-quarter of the same
    install, so a file imported twice never counts twice."""
    access.require_reviewer(actor, upload.state_id)
    if upload.committed_at is not None:
        raise ValidationError(gettext("This file was already imported. Upload it again to check it afresh."))
    if not upload.rows:
        raise ValidationError(gettext("The file has no rows to import."))
    if upload.bad_rows:
        raise ValidationError(
            ngettext(
                "%(count)s row has problems: fix the file and upload it again.",
                "%(count)s rows have problems: fix the file and upload it again.",
                len(upload.bad_rows),
            )
            % {"count": len(upload.bad_rows)}
        )
    adapter = AggregateRows(upload=upload)
    for row in upload.rows:
        adapter.write(row["values"])
    upload.committed_at = timezone.now()
    upload.committed_rows = len(upload.rows)
    upload.save(update_fields=["committed_at", "committed_rows"])
    _audit_import(actor, "outcome_aggregates.import", upload, {"rows": upload.committed_rows})
    return upload.committed_rows


@transaction.atomic
def aggregate_file_import(*, actor: Person | None, filename: str, content: bytes) -> imports.ImportResult:
    """The command line's import: the file checked and imported in one go through the import pipeline,
    every row or none (mode "all"); the result lists every bad row."""
    table = read(filename, content)
    result = imports.run(AggregateRows(), table.rows, header=table.header, mode=imports.ALL)
    if result.committed:
        _audit_import(actor, "outcome_aggregates.import", None, {"file": filename[:255], "rows": result.rows})
    return result


@transaction.atomic
def aggregate_file_export(*, actor: Person | None, state: State, filename: str) -> bytes:
    """The state's aggregate file (no client data); the publication is recorded."""
    if actor is not None and not access.can_review(actor, state.pk):
        raise PermissionDenied("Only the state IPS team (a lead or an administrator) can publish the aggregate file.")
    content = export_bytes(state, filename)
    audit_record(actor=actor, action="outcome_aggregates.export", summary=f"{state}: aggregate file", state_id=state.pk)
    return content
