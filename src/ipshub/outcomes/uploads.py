"""The quarterly figures' row adapter for the one import pipeline (`lib/imports.py`): a CSV or XLSX file
read by `lib/tables.read_table`, each row checked (the dry run writes nothing: every problem is found
without writing) and, on commit, entered as a draft through `services.report_save`.

The checked upload is kept as `models.Upload` (rows as {"line": n, "values": {...}, "errors": [{"column":
..., "message": ...}]}), so the dry run can list every bad row and column with the reason and the commit
enters the values checked then.
"""

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ipshub.lib import imports, tables
from ipshub.lib.imports import Outcome, RowInvalid
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.figures import COUNTS, DECIMALS, FIGURES, NAMES, breach_message, breaches
from ipshub.outcomes.models import EDITABLE, QuarterlyReport
from ipshub.outcomes.selectors import not_started_message
from ipshub.tenancy.models import Program

# One column per figure (figures.py), named as the figure, after the quarter's own columns.
REQUIRED = ("year", "quarter", *(figure.name for figure in FIGURES if figure.required))
COUNT_COLUMNS = tuple(figure.name for figure in COUNTS)
COLUMNS = ("year", "quarter", "definition", *NAMES)


class UploadError(ValueError):
    """The whole file is unusable (not a table we can read); the message says why and what to do."""


def read(filename: str, content: bytes) -> tables.ReadTable:
    """The file's rows, read by the one reader; its header checked against the figures' columns."""
    try:
        table = tables.read_table(content, filename)
    # The outcome pages word these two their own way (people reach them from the outcome screens).
    except tables.WrongType:
        raise UploadError(_("Upload a .csv or .xlsx file.")) from None
    except tables.NotAWorkbook:
        raise UploadError(
            _("%(file)s is not a readable Excel (.xlsx) file: save it again from your spreadsheet.")
            % {"file": filename}
        ) from None
    except tables.TableProblem as exc:
        raise UploadError(str(exc)) from None
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise UploadError(
            _("The first row must name the columns; missing: %(missing)s. Columns: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    unknown = [h for h in table.header if h and h not in COLUMNS]
    if unknown:
        raise UploadError(
            _("Unknown column(s): %(unknown)s. Columns: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    return table


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.lstrip("-").isdigit():
        raise ValueError
    return int(text)


class FigureRows:
    """The row adapter: a row is a quarter's figures for the program. `check` finds every problem without
    writing (a quarter already submitted or accepted included); `write` enters the checked values as a
    draft with `save` (services.report_save, handed in because the services build on this module)."""

    kind = "outcomes"
    # A blank required figure gets the figures' own message ("Missing: give a whole number."), in `check`.
    required: tuple[str, ...] = ()
    checks_by_writing = False

    def __init__(self, *, program: Program, save: Callable[..., QuarterlyReport] | None = None) -> None:
        self.program, self.save = program, save
        self.codes = catalog().codes
        self.seen: dict[tuple[int, int, str], int] = {}
        self.line = 1

    def column_of(self, key: str) -> str:
        return key

    def check(self, cells: Mapping[str, Any]) -> dict[str, Any]:
        self.line += 1  # rows come in file order, one call each
        errors: dict[str, list[str]] = {}

        def bad(column: str, message: str) -> None:
            errors.setdefault(column, []).append(message)

        values: dict[str, Any] = {}
        for column in ("year", "quarter", *COUNT_COLUMNS):
            value = cells.get(column)
            if _blank(value):
                if column in REQUIRED:
                    bad(column, _("Missing: give a whole number."))
                else:
                    values[column] = 0
                continue
            try:
                values[column] = _whole(value)
            except ValueError:
                bad(column, _("'%(value)s' is not a whole number.") % {"value": value})
                continue
            if values[column] < 0:
                bad(column, _("Can't be negative."))
        if "year" in values and not 2000 <= values["year"] <= 2100:
            bad("year", _("Give the year as four digits, e.g. 2025."))
        if "quarter" in values and values["quarter"] not in (1, 2, 3, 4):
            bad("quarter", _("The quarter is 1, 2, 3 or 4."))
        elif "quarter" in values and "year" in values and 2000 <= values["year"] <= 2100:
            not_started = not_started_message(values["year"], values["quarter"])
            if not_started:
                bad("quarter", not_started)
        code = cells.get("definition")
        code = DEFAULT_CODE if _blank(code) else str(code).strip()
        if code not in self.codes:
            bad(
                "definition",
                _("Unknown definition '%(code)s'. Use one of: %(codes)s.")
                % {"code": code, "codes": ", ".join(self.codes)},
            )
        values["definition_code"] = code
        for figure in DECIMALS:
            column, top = figure.name, Decimal(figure.top or 0)
            value = cells.get(column)
            if _blank(value):
                values[column] = None
                continue
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                bad(column, _("'%(value)s' is not a number.") % {"value": value})
                continue
            if not Decimal(0) <= number <= top:
                bad(column, _("Give a number between 0 and %(top)s.") % {"top": top})
            values[column] = str(number)
        if not errors:
            for figure, bound in breaches(values):
                bad(figure.name, breach_message(figure, bound, values, verb="is more than"))
            key = (values["year"], values["quarter"], code)
            if key in self.seen:
                bad(
                    "quarter",
                    _("The same quarter and definition is already on line %(line)s.") % {"line": self.seen[key]},
                )
            else:
                self.seen[key] = self.line
        if not errors:
            existing = QuarterlyReport.objects.filter(
                program=self.program,
                year=values["year"],
                quarter=values["quarter"],
                definition_code=code,
                is_current=True,
            ).first()
            if existing is not None and existing.status not in EDITABLE:
                bad(
                    "quarter",
                    _("The %(year)s Q%(quarter)s report is %(status)s; it can't be replaced by an upload.")
                    % {
                        "year": values["year"],
                        "quarter": values["quarter"],
                        "status": existing.get_status_display().lower(),
                    },
                )
        if errors:
            raise RowInvalid(errors)
        return values

    def write(self, checked: Mapping[str, Any]) -> Outcome:
        assert self.save is not None, "a FigureRows that writes is given `save`"
        self.save(
            program=self.program,
            year=checked["year"],
            quarter=checked["quarter"],
            definition_code=checked["definition_code"],
            figures={name: checked.get(name) for name in NAMES},
        )
        return "created"


def check(program: Program, table: tables.ReadTable) -> list[dict[str, Any]]:
    """The dry run: every row checked, nothing written; the rows as the Upload keeps them."""
    result = imports.ImportResult(kind=FigureRows.kind, rows=len(table.rows))
    imports.run_rows(FigureRows(program=program), table.rows, first=0, result=result, write=False)
    errors: dict[int, list[dict[str, str]]] = {}
    for error in result.errors:
        errors.setdefault(error.row, []).append({"column": error.column, "message": error.message})
    return [
        {"line": line, "values": result.checked.get(line, {}), "errors": errors.get(line, [])}
        for line in range(2, len(table.rows) + 2)
    ]


# The one row of the example file people start from (views.upload_template), in COLUMNS' order.
EXAMPLE_ROW = (2025, 1, DEFAULT_CODE, *(figure.example for figure in FIGURES))
