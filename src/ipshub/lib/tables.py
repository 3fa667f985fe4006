"""Reading an uploaded CSV file into rows, for every importer: the checks and messages are the same
everywhere, so a file that one importer refuses is refused by all with the same reason."""

import csv
import io

MAX_BYTES = 5 * 1024 * 1024


class TableProblem(ValueError):
    """The file as a whole can't be read; the message says why and how to fix it."""


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
        return list(reader)
    except csv.Error as exc:
        raise TableProblem(
            f"The CSV file can't be read after line {reader.line_num} ({exc}): usually a quote that is opened "
            "but never closed. Fix that line, or save the file again from your spreadsheet as 'CSV UTF-8'."
        ) from None
