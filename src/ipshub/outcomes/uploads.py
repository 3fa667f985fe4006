"""Reading a CSV or XLSX file of quarterly figures into checked rows (pure Python, no database).

Each row comes back as {"line": n, "values": {...}, "errors": [{"column": ..., "message": ...}]}, so
the dry run can list every bad row and column with the reason.
"""

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from ipshub.lib import tables
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.figures import COUNTS, DECIMALS, FIGURES, NAMES, breach_message, breaches

# One column per figure (figures.py), named as the figure, after the quarter's own columns.
REQUIRED = ("year", "quarter", *(figure.name for figure in FIGURES if figure.required))
COUNT_COLUMNS = tuple(figure.name for figure in COUNTS)
COLUMNS = ("year", "quarter", "definition", *NAMES)
MAX_ROWS = 5000
MAX_BYTES = tables.MAX_BYTES


class UploadError(ValueError):
    """The whole file is unusable (not a table we can read); the message says why and what to do."""


def _table(filename: str, content: bytes) -> list[list[Any]]:
    name = filename.lower()
    try:
        tables.check_size(content)
    except tables.TableProblem as exc:
        raise UploadError(str(exc)) from None
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UploadError(f"{filename} is not a readable Excel (.xlsx) file: {exc}") from None
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            return [list(row) for row in tables.csv_rows(content)]
        except tables.TableProblem as exc:
            raise UploadError(str(exc)) from None
    raise UploadError("Upload a .csv or .xlsx file.")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if not text.lstrip("-").isdigit():
        raise ValueError
    return int(text)


def parse(filename: str, content: bytes) -> list[dict[str, Any]]:
    table = [row for row in _table(filename, content) if any(not _blank(v) for v in row)]
    if not table:
        raise UploadError("The file is empty. The first row names the columns: " + ", ".join(COLUMNS) + ".")
    header = [str(h).strip().lower().replace(" ", "_") if h is not None else "" for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UploadError(
            f"The first row must name the columns; missing: {', '.join(missing)}. Columns: {', '.join(COLUMNS)}."
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise UploadError(f"Unknown column(s): {', '.join(unknown)}. Columns: {', '.join(COLUMNS)}.")
    if len(table) - 1 > MAX_ROWS:
        raise UploadError(f"The file has {len(table) - 1} rows; upload at most {MAX_ROWS} at a time.")
    codes = catalog().codes
    seen: dict[tuple[int, int, str], int] = {}
    rows = []
    for line, raw in enumerate(table[1:], start=2):
        cells = dict(zip(header, raw, strict=False))
        errors: list[dict[str, str]] = []
        values: dict[str, Any] = {}

        def bad(column: str, message: str, errors: list[dict[str, str]] = errors) -> None:
            errors.append({"column": column, "message": message})

        for column in ("year", "quarter", *COUNT_COLUMNS):
            value = cells.get(column)
            if _blank(value):
                if column in REQUIRED:
                    bad(column, "Missing: give a whole number.")
                else:
                    values[column] = 0
                continue
            try:
                values[column] = _whole(value)
            except ValueError:
                bad(column, f"'{value}' is not a whole number.")
                continue
            if values[column] < 0:
                bad(column, "Can't be negative.")
        if "year" in values and not 2000 <= values["year"] <= 2100:
            bad("year", "Give the year as four digits, e.g. 2025.")
        if "quarter" in values and values["quarter"] not in (1, 2, 3, 4):
            bad("quarter", "The quarter is 1, 2, 3 or 4.")
        code = cells.get("definition")
        code = DEFAULT_CODE if _blank(code) else str(code).strip()
        if code not in codes:
            bad("definition", f"Unknown definition '{code}'. Use one of: {', '.join(codes)}.")
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
                bad(column, f"'{value}' is not a number.")
                continue
            if not Decimal(0) <= number <= top:
                bad(column, f"Give a number between 0 and {top}.")
            values[column] = str(number)
        if not errors:
            for figure, bound in breaches(values):
                bad(figure.name, breach_message(figure, bound, values, verb="is more than"))
            key = (values["year"], values["quarter"], code)
            if key in seen:
                bad("quarter", f"The same quarter and definition is already on line {seen[key]}.")
            else:
                seen[key] = line
        rows.append({"line": line, "values": values, "errors": errors})
    return rows


# The one row of the example file people start from (views.upload_template), in COLUMNS' order.
EXAMPLE_ROW = (2025, 1, DEFAULT_CODE, *(figure.example for figure in FIGURES))
