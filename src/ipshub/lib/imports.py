"""The one import pipeline: rows read by `tables.read_table`, checked (a dry run) and committed (every row,
or only the good ones) through an area's ROW ADAPTER, with progress for a job run a chunk at a time.

The pipeline knows no model and no area. Each area supplies an adapter in its own app (the client records
in `clients/imports.py`, the quarterly figures in `outcomes/uploads.py`): it checks a row and writes it
through the area's own services, so rules, messages and audit events are the web's. Each row runs in a
savepoint, so a bad row leaves nothing behind; the caller decides whether the good rows are kept.

A job run a chunk per request (the API's import page keeps it as `api.models.ImportJob`) goes through phases:

- dry run: every row is checked in a savepoint that is rolled back; nothing is written;
- "good": the rows are imported (each chunk is kept), bad rows are listed;
- "all": every row is first checked as in a dry run; only if none is bad are they imported, chunk by
  chunk. If a row checked good fails on import (someone changed the records in between), the import stops
  there and says so.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework import serializers

Outcome = Literal["created", "updated", "unchanged"]

# What to do with a file (the job model's choices use the same values).
DRY_RUN, ALL, GOOD = "dry_run", "all", "good"
MODES = (DRY_RUN, ALL, GOOD)
# Where a chunked job is.
CHECK, IMPORT, DONE = "check", "import", "done"

REQUIRED_MESSAGE = "This column is required: fill it in."
ROW = "(row)"  # the column of a problem with the row as a whole


class FileProblem(Exception):
    """The file as a whole can't be imported (wrong format, missing columns, too big)."""


class RowInvalid(Exception):
    """A row's problems, keyed by column (or by a service's field name, which the adapter maps to a column)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)
    # The good rows' checked values, by spreadsheet row (for a caller that keeps them to commit later).
    checked: dict[int, Any] = field(default_factory=dict)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


class RowAdapter(Protocol):
    """What an area supplies to import its rows."""

    kind: str
    required: tuple[str, ...]
    # True when a row can only be checked by writing it (its services validate): the dry run then writes
    # it in a savepoint that is rolled back. False when `check` alone finds every problem.
    checks_by_writing: bool

    def check(self, row: Mapping[str, Any]) -> Any:
        """The row's values, or RowInvalid / ValidationError / PermissionDenied."""

    def write(self, checked: Any) -> Outcome:
        """Write the checked row through the area's services."""

    def column_of(self, key: str) -> str:
        """The file's column for a key of a service's errors."""


def require_columns(adapter: RowAdapter, header: Sequence[str]) -> None:
    missing = [c for c in adapter.required if c not in header]
    if missing:
        raise FileProblem(f"The file has no column {', '.join(missing)}: the first row must name the columns.")


def _row_errors(adapter: RowAdapter, number: int, errors: Mapping[str, Sequence[str]]) -> Iterator[RowError]:
    for key, messages in errors.items():
        column = ROW if key in ("__all__", "non_field_errors") else adapter.column_of(key)
        for message in messages:
            yield RowError(number, column, message)


def run_rows(
    adapter: RowAdapter, rows: Sequence[Mapping[str, Any]], *, first: int, result: ImportResult, write: bool
) -> None:
    """Run `rows` (the file's rows from index `first`) through the adapter, each in a savepoint, adding to
    `result`'s counts and errors. With `write` the rows are written; the caller decides whether the writes
    are kept. Without it they are only checked (written and rolled back if the adapter checks by writing)."""
    for index, row in enumerate(rows, start=first):
        number = index + 2  # spreadsheet row number: the header is row 1
        blanks = {c: [REQUIRED_MESSAGE] for c in adapter.required if not row.get(c)}
        if blanks:
            result.errors.extend(_row_errors(adapter, number, blanks))
            continue
        try:
            with transaction.atomic():
                checked = adapter.check(row)
                outcome: Outcome | None = None
                if write or adapter.checks_by_writing:
                    outcome = adapter.write(checked)
                if not write and adapter.checks_by_writing:
                    transaction.set_rollback(True)
        except RowInvalid as exc:
            result.errors.extend(_row_errors(adapter, number, exc.errors))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            result.errors.extend(_row_errors(adapter, number, errors))
        except (PermissionDenied, serializers.ValidationError) as exc:
            result.errors.append(RowError(number, ROW, str(exc)))
        else:
            result.checked[number] = checked
            if outcome is not None:
                setattr(result, outcome, getattr(result, outcome) + 1)


def run(adapter: RowAdapter, rows: Sequence[Mapping[str, Any]], *, header: Sequence[str], mode: str) -> ImportResult:
    """Check (mode "dry_run") or import ("all": every row or none; "good": the good rows) the rows, in one
    transaction (the API's synchronous import; the import page goes a chunk per request: `step`)."""
    result = ImportResult(kind=adapter.kind, rows=len(rows))
    if rows:
        require_columns(adapter, header)
    with transaction.atomic():
        run_rows(adapter, rows, first=0, result=result, write=True)
        keep = mode == GOOD or (mode == ALL and not result.errors)
        if not keep:
            transaction.set_rollback(True)
    result.committed = keep
    return result


class Job(Protocol):
    """A file being checked or imported a chunk at a time: what `step` reads and moves on."""

    mode: str
    phase: str
    rows: Any  # the file's rows, keyed by column
    rows_total: int
    rows_done: int
    created: int
    updated: int
    unchanged: int
    errors: Any  # [[row, column, message], ...]
    committed: bool


def step(job: Job, adapter: RowAdapter, *, size: int) -> bool:
    """Run the job's next `size` rows (inside the caller's transaction) and move its phase on; True when
    the job is over (the caller records that and marks it done)."""
    start = job.rows_done
    chunk = job.rows[start : start + size]
    result = ImportResult(kind=adapter.kind)
    keep = job.phase == IMPORT
    checkpoint = transaction.savepoint()
    run_rows(adapter, chunk, first=start, result=result, write=True)
    if keep:
        transaction.savepoint_commit(checkpoint)
    else:
        transaction.savepoint_rollback(checkpoint)
    job.rows_done = start + len(chunk)
    job.errors = [*job.errors, *([e.row, e.column, e.message] for e in result.errors)]
    job.created += result.created
    job.updated += result.updated
    job.unchanged += result.unchanged
    if keep and (result.created or result.updated):
        job.committed = True
    stop_all = job.mode == ALL and job.phase == IMPORT and result.errors
    if job.rows_done < job.rows_total and not stop_all:
        return False
    if job.mode == ALL and job.phase == CHECK and not job.errors:
        # Every row checked good: now import them.
        job.phase, job.rows_done = IMPORT, 0
        job.created = job.updated = job.unchanged = 0
        return False
    job.committed = keep
    return True


def stop(job: Job, reason: str) -> None:
    """End a job early, saying why on the row where it stopped."""
    job.errors = [*job.errors, [job.rows_done + 2, ROW, f"Stopped: {reason}"]]
