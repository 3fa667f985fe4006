"""Where computed reports get their client histories: the loader another area contributes.

The client records live in another area, which contributes the `history_loader` (areakit/hooks.py):
`load_histories(program_ids, first_day, last_day)` returns {program_id: iterable of ClientHistory} for
every client of those programs whose enrollment touches [first_day, last_day] (or who entered in it),
in a fixed number of queries (bulk, not per program). Without a loader, the "computed" source is off:
reports are entered or uploaded, and `ipshub outcomes_recompute` says so and changes nothing.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from ipshub.areakit import hooks
from ipshub.areakit.hooks import HistoryLoader
from ipshub.outcomes import cache as dashboard_cache
from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.figures import FIGURES, NAMES
from ipshub.outcomes.metrics import Quarter, compute_quarters
from ipshub.outcomes.models import EDITABLE, QuarterlyReport, Source


def history_loader() -> HistoryLoader | None:
    return hooks.history_loader()


def computed_source_enabled() -> bool:
    return history_loader() is not None


PROGRAMS_PER_CHUNK = 25
# One row per report written by `_write`: pk, the figures in their declared order (figures.py), then the
# definition version.
Row = tuple[int | Decimal | None, ...]
ReportKey = tuple[int, int, int, int, str]  # pk, program_id, year, quarter, definition_code


def recompute_all(
    loader: HistoryLoader,
    *,
    programs_per_chunk: int = PROGRAMS_PER_CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every computed report that is still open (draft or returned): accepted reports are locked.

    Streams by groups of programs so memory stays bounded at national scale: per group, one loader call
    (a fixed number of queries) for the group's span of quarters, one pass per program and definition
    over its histories (`compute_quarters`), and one UPDATE for the group's reports (see `_write`), in a
    transaction of its own. A report submitted meanwhile is left alone (the UPDATE only touches open
    reports). `progress(done, total)` is called after each group, in reports. Generated work, not a
    person's action: it is not audited row by row. Each group bumps its states' dashboard versions."""
    keys: list[ReportKey] = list(
        QuarterlyReport.objects.filter(source=Source.COMPUTED, status__in=EDITABLE, is_current=True)
        .order_by("program_id", "definition_code", "year", "quarter")
        .values_list("pk", "program_id", "year", "quarter", "definition_code")
    )
    total, done = len(keys), 0
    by_program: dict[int, list[ReportKey]] = {}
    for key in keys:
        by_program.setdefault(key[1], []).append(key)
    program_ids = list(by_program)
    for at in range(0, len(program_ids), max(1, programs_per_chunk)):
        chunk = {pid: by_program[pid] for pid in program_ids[at : at + programs_per_chunk]}
        rows = _compute_chunk(loader, chunk)
        with transaction.atomic():
            _write(rows, timezone.now())
            # The raw UPDATE sends no signals: the dashboards of these programs' states are out of date.
            dashboard_cache.bump_programs(chunk)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return total


def _compute_chunk(loader: HistoryLoader, chunk: dict[int, list[ReportKey]]) -> list[Row]:
    quarters = [Quarter(year, quarter) for items in chunk.values() for (_, _, year, quarter, _) in items]
    first = min(quarters, key=lambda q: q.index).first_day
    last = max(quarters, key=lambda q: q.index).last_day
    histories = loader(list(chunk), first, last)
    rows: list[Row] = []
    for program_id, items in chunk.items():
        people = list(histories.get(program_id, ()))
        by_code: dict[str, list[ReportKey]] = {}
        for key in items:
            by_code.setdefault(key[4], []).append(key)
        for code, reports in by_code.items():
            definition = catalog().latest(code)
            figures = compute_quarters(people, [Quarter(k[2], k[3]) for k in reports], definition)
            for pk, _, year, quarter, _ in reports:
                result = figures[Quarter(year, quarter)]
                rows.append((pk, *(getattr(result, name) for name in NAMES), definition.version))
    return rows


def _write(rows: list[Row], now: datetime.datetime) -> None:
    """Write the figures of many reports at once, only into reports still open.

    PostgreSQL: one `UPDATE ... FROM unnest(<one array per column>)` for all rows (a join on the primary
    key; far faster than Django's bulk_update, whose CASE WHEN grows with every row). Other databases
    (SQLite in development and tests): one prepared UPDATE per row through executemany."""
    if not rows:
        return
    meta = QuarterlyReport._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, models.Field)  # the figures and the version are plain columns, not relations
        return str(field.column)

    columns = [column(name) for name in (*NAMES, "definition_version")]
    stamp = connection.ops.adapt_datetimefield_value(now)
    open_statuses = [str(status) for status in EDITABLE]
    table, pk = quote(meta.db_table), quote(column("id"))
    computed_at, updated_at, status = (quote(column(n)) for n in ("computed_at", "updated_at", "status"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = ["bigint", *(figure.sql_type for figure in FIGURES), "integer"]
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            names = ", ".join(["v_id", *(f"v_{c}" for c in columns)])
            sets = ", ".join(f"{quote(c)} = v.v_{c}" for c in columns)
            cursor.execute(
                f"UPDATE {table} AS r SET {sets}, {computed_at} = %s, {updated_at} = %s "
                f"FROM unnest({arrays}) AS v({names}) WHERE r.{pk} = v.v_id AND r.{pk} = ANY(%s::bigint[]) "
                f"AND r.{status} IN (%s, %s)",
                # The ANY() repeats the join on purpose: it gives the planner an index condition on the key.
                # Without it, when its statistics say few reports are open (just after many were reopened),
                # it scans every report once per row of the arrays: 12.9 s per group at national scale.
                [
                    stamp,
                    stamp,
                    *(list(column) for column in zip(*rows, strict=True)),
                    [row[0] for row in rows],
                    *open_statuses,
                ],
            )
        else:
            sets = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {table} SET {sets}, {computed_at} = %s, {updated_at} = %s "
                f"WHERE {pk} = %s AND {status} IN (%s, %s)",
                [(*row[1:], stamp, stamp, row[0], *open_statuses) for row in rows],
            )
