"""The one writer of exported tables at its boundaries: which texts are neutralised, and that numbers and dates
stay typed, in CSV and in XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from ipshub.lib import tables

DANGEROUS = ["=1+1", "+1", "-2", "@SUM(1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
SAFE = ["Ada", "1+1", " =1", "'quoted", "", "a=b", "x-1", "O'Neil"]


def _csv_row(values: list[object]) -> list[str]:
    return list(csv.reader(io.StringIO(tables.csv_bytes(["h"] * len(values), [values]).decode())))[1]


def _xlsx_row(values: list[object]) -> list[openpyxl.cell.cell.Cell]:
    content = tables.xlsx_bytes([tables.Table("t", ["h"] * len(values), [values])])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet[2])


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_like_a_formula_gets_a_leading_quote_in_both_formats(text: str) -> None:
    assert tables.neutralised(text) == "'" + text
    assert _csv_row([text]) == ["'" + text]
    cell = _xlsx_row([text])[0]
    # XML reads a carriage return back as a line feed; what matters is the quote in front.
    assert (cell.value, cell.data_type) == ("'" + text.replace("\r", "\n"), "s")


@pytest.mark.parametrize("text", SAFE)
def test_other_text_is_written_as_it_is(text: str) -> None:
    assert tables.neutralised(text) == text
    assert _csv_row([text]) == [text]
    cell = _xlsx_row([text])[0]
    assert cell.value == (text or None)  # an empty text is an empty cell


def test_numbers_and_dates_are_typed_and_a_negative_number_stays_a_number() -> None:
    day = datetime.date(2025, 1, 31)
    moment = timezone.make_aware(datetime.datetime(2025, 1, 31, 9, 30))
    values: list[object] = [-2, -1.5, Decimal("-16.50"), 0, day, moment, None, "-2", True]
    assert _csv_row(values) == ["-2", "-1.5", "-16.50", "0", "2025-01-31", moment.isoformat(), "", "'-2", "True"]
    cells = _xlsx_row(values)
    assert [c.value for c in cells[:4]] == [-2, -1.5, -16.5, 0]
    assert [c.data_type for c in cells[:4]] == ["n"] * 4
    assert cells[4].value == datetime.datetime(2025, 1, 31) and cells[4].number_format == "yyyy-mm-dd"
    assert cells[5].value == timezone.make_naive(moment) and cells[5].is_date
    assert cells[6].value is None
    assert (cells[7].value, cells[7].data_type) == ("'-2", "s")
    assert cells[8].value == "True"


def test_the_header_and_other_objects_are_text_and_neutralised_too() -> None:
    class Named:
        def __str__(self) -> str:
            return "=evil()"

    rows = list(csv.reader(io.StringIO(tables.csv_bytes(["=head"], [[Named()]]).decode())))
    assert rows == [["'=head"], ["'=evil()"]]


def test_a_workbook_survives_control_characters_and_odd_sheet_titles() -> None:
    content = tables.xlsx_bytes([tables.Table("By region: a/b [1]? and a very long title", ["h"], [["a\x01b\x1f"]])])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "By region- a-b -1-- and a very "
    assert sheet["A2"].value == "ab"


def test_downloads_carry_a_safe_attachment_name() -> None:
    response = tables.csv_response('outcomes-a"b/c\r\nd.csv', ["h"], [[1]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="outcomes-a-b-c-d.csv"'
    unicode = tables.table_response("outcomes-niños", tables.Table("t", ["h"], [[1]]), "xlsx")
    assert unicode["Content-Disposition"] == "attachment; filename*=utf-8''outcomes-ni%C3%B1os.xlsx"
    assert unicode["Content-Type"] == tables.XLSX_TYPE


# --- Reading: the one reader of uploaded tables ------------------------------------------------------


def test_a_csv_and_an_xlsx_of_the_same_table_read_the_same() -> None:
    header = ["Record Number", "Birth date", "Hours", "Note"]
    row = ["A-1", datetime.date(1990, 5, 17), 20, "=1+1"]
    blank = [None, None, None, None]
    csv_file = tables.csv_bytes(header, [row, ["", "", "", ""]])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for values in (header, row, blank):
        sheet.append([tables.neutralised(v) if isinstance(v, str) and v.startswith("=") else v for v in values])
    out = io.BytesIO()
    book.save(out)
    read = [tables.read_table(csv_file, "t.csv"), tables.read_table(out.getvalue(), "t.XLSX")]
    for table in read:
        assert table.header == ["record_number", "birth_date", "hours", "note"]
        assert table.rows == [{"record_number": "A-1", "birth_date": "1990-05-17", "hours": "20", "note": "=1+1"}]


@pytest.mark.parametrize(
    ("name", "content", "problem", "message"),
    [
        ("t.pdf", b"%PDF", tables.WrongType, "Send a .csv or .xlsx file."),
        ("t.xlsx", b"not a zip", tables.NotAWorkbook, "not a readable .xlsx workbook"),
        ("t.csv", b"\n,,\n", tables.TableProblem, "The file is empty"),
        ("t.csv", b"h\n" + b"1\n" * (tables.MAX_ROWS + 1), tables.TableProblem, f"more than {tables.MAX_ROWS} rows"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(name: str, content: bytes, problem: type, message: str) -> None:
    with pytest.raises(problem, match=message):
        tables.read_table(content, name)
    tables.read_table(b"h\n" + b"1\n" * tables.MAX_ROWS, "t.csv")  # the limit itself is allowed
