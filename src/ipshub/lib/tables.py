"""Table files: reading an uploaded CSV or XLSX file into rows, for every importer (the checks and messages
are the same everywhere, so a file that one importer refuses is refused by all with the same reason), and
writing every exported CSV and XLSX file (below, "Writing")."""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


class TableProblem(ValueError):
    """The file as a whole can't be read; the message says why and how to fix it."""


class WrongType(TableProblem):
    """Neither a .csv nor a .xlsx file (a subclass, so an importer whose pages word it their own way can)."""


class NotAWorkbook(TableProblem):
    """Named .xlsx but not a workbook openpyxl can open."""


@dataclass
class ReadTable:
    """A file's header (lower-cased, spaces as underscores) and its rows keyed by it, every cell as text."""

    header: list[str]
    rows: list[dict[str, str]]


def read_table(content: bytes, filename: str) -> ReadTable:
    """The rows of a CSV or XLSX file (by its name's extension), each cell as its stripped text: the one
    reader of uploaded tables. Blank rows are skipped; the first row names the columns."""
    check_size(content)
    name = filename.lower()
    if name.endswith(".xlsx"):
        cells = _xlsx_rows(content)
    elif name.endswith(".csv"):
        cells = [[cell.strip() for cell in row] for row in csv_rows(content)]
    else:
        raise WrongType("Send a .csv or .xlsx file.")
    cells = [row for row in cells if any(row)]
    if not cells:
        raise TableProblem("The file is empty: the first row must name the columns.")
    if len(cells) - 1 > MAX_ROWS:
        raise TableProblem(f"The file has more than {MAX_ROWS} rows: split it into smaller files.")
    header = [h.lower().replace(" ", "_") for h in cells[0]]
    rows = [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in cells[1:]]
    return ReadTable(header, rows)


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that isn't a workbook
        raise NotAWorkbook("This is not a readable .xlsx workbook: save it again from your spreadsheet.") from None
    return [[_text(value) for value in row] for row in book.worksheets[0].iter_rows(values_only=True)]


def _text(value: Any) -> str:
    """An XLSX cell as the text a CSV of it would hold: dates in ISO form, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return restored(value).strip()
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_size(content: bytes) -> None:
    if len(content) > MAX_BYTES:
        raise TableProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files.")


def csv_rows(content: bytes) -> list[list[str]]:
    """The rows of a CSV file, each a list of cell texts."""
    check_size(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableProblem("The CSV file is not UTF-8 text: save it as 'CSV UTF-8' and upload it again.") from None
    if "\x00" in text:
        raise TableProblem("The CSV file contains null characters: save it again as 'CSV UTF-8'.")
    reader = csv.reader(io.StringIO(text))
    try:
        return [[restored(cell) for cell in row] for row in reader]
    except csv.Error as exc:
        raise TableProblem(
            f"The CSV file can't be read after line {reader.line_num} ({exc}): usually a quote that is opened "
            "but never closed. Fix that line, or save the file again from your spreadsheet as 'CSV UTF-8'."
        ) from None


# --- Writing: one writer for every exported table --------------------------------------------------
#
# Every CSV and XLSX the product hands out is written here, so that what people typed (a client's name,
# an employer, a note) can never run as a spreadsheet formula, and numbers and dates stay numbers and
# dates that the spreadsheet can sum and sort.

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# OWASP's CSV-injection rule: a spreadsheet reads a cell starting with one of these as a formula (or, for
# tab and carriage return, strips them and reads what follows as one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The characters a sheet title may not hold, and its longest length (Excel's limits, enforced by openpyxl).
_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
_TITLE_MAX = 31

Value = str | int | float | Decimal | datetime.date | None
"""What a cell may hold; anything else is written as its text (and neutralised like any text)."""


@dataclass
class Table:
    """One sheet: its name (the XLSX sheet title), its header and its rows."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def neutralised(text: str) -> str:
    """The text as a spreadsheet shows it but never runs it: a leading quote makes it plain text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restored(text: str) -> str:
    """What was typed before `neutralised()` quoted it, so that importing an export again changes nothing."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _typed(value: Any) -> Value:
    """A cell's value: numbers and dates as they are, text neutralised. A bool is written as its text
    ("True"), not as 1; a negative number is a number, while the text "-2" is text and neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralised(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file (UTF-8): numbers as written by Python, dates in ISO form, text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> Any:
    typed = _typed(value)
    if isinstance(typed, datetime.date):
        return typed.isoformat()
    return "" if typed is None else typed


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """An XLSX workbook, a sheet per table: numbers as number cells, dates as date cells, and text
    neutralised and stored as text, so no cell is ever a formula."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=_sheet_title(table.name))
        sheet.append([_xlsx_cell(sheet, h) for h in table.header])
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    return _TITLE_FORBIDDEN.sub("-", name)[:_TITLE_MAX] or "Sheet"


def _xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    typed = _typed(value)
    if isinstance(typed, datetime.datetime):
        # Excel has no time zones: the local time, as people read it on the page.
        if timezone.is_aware(typed):
            typed = timezone.make_naive(typed)
        cell = WriteOnlyCell(sheet, value=typed)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(typed, datetime.date):
        cell = WriteOnlyCell(sheet, value=typed)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(typed, Decimal):
        # A number cell shown with the places the value has (a rate 41.5 as "0.0", a wage 16.75 as "0.00").
        cell = WriteOnlyCell(sheet, value=typed)
        exponent = typed.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 0
        cell.number_format = "0." + "0" * places if places > 0 else "0"
        return cell
    if isinstance(typed, str):
        # Control characters (other than tab, newline and carriage return) make the file unreadable.
        typed = ILLEGAL_CHARACTERS_RE.sub("", typed)
    cell = WriteOnlyCell(sheet, value=typed)
    if isinstance(typed, str):
        # openpyxl would store a text starting with "=" as a formula; neutralised text never does, and
        # this keeps it so should the rule above ever change.
        cell.data_type = "s"
    return cell


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the file under a name a browser saves as is (no path, no quote, no line break)."""
    response = HttpResponse(content, content_type=content_type)
    safe = _UNSAFE_IN_FILENAME.sub("-", filename).strip(" .") or "export"
    response["Content-Disposition"] = content_disposition_header(True, safe)
    return response


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\"]+')


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    return attachment(csv_bytes(header, rows), CSV_TYPE, filename)


def xlsx_response(filename: str, tables: Sequence[Table]) -> HttpResponse:
    return attachment(xlsx_bytes(tables), XLSX_TYPE, filename)


def table_response(filename: str, table: Table, fmt: str) -> HttpResponse:
    """One table as a CSV or XLSX download (`fmt` "csv" or "xlsx"); `filename` without its extension."""
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", [table])
    return csv_response(f"{filename}.csv", table.header, table.rows)
