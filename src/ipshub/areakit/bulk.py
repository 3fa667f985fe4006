"""Fast writes of generated rows for `ipshub seed`: COPY on PostgreSQL, executemany on SQLite.

The national scale is millions of rows. Building a Django model instance per row and sending it through
bulk_create costs about 100 µs a row; a tuple sent through PostgreSQL's COPY costs a few. Rows are
given as tuples in the order of the columns named when the table is opened; every other column gets its
model default (auto_now / auto_now_add: now), so the rows are what bulk_create would have written.
Ids that later rows point at are handed out by the writer from blocks reserved in the table's sequence
(PostgreSQL) or after the table's highest id (SQLite). Generated data, not a person's action: no
service functions, no audit trail. Call `flush()` before reading the rows back.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone

ID_BLOCK = 10_000

# Field classes whose Python values psycopg's COPY adapts directly (no get_db_prep_save needed).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.DateField,  # includes DateTimeField
    models.IntegerField,  # includes the positive/small/big variants
    models.BooleanField,
    models.DecimalField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


class Table:
    """One model's pending rows; `add(*values)` returns the new row's id when `with_ids`."""

    def __init__(
        self,
        writer: "BulkWriter",
        model: type[models.Model],
        columns: Sequence[str],
        *,
        with_ids: bool,
        label: str,
    ) -> None:
        self.writer, self.model, self.with_ids, self.label = writer, model, with_ids, label
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        given = [meta.get_field(name) for name in columns]
        now = timezone.now()
        # Columns not given get the model's default; those with a database default are left to the database.
        rest = [
            f for f in meta.concrete_fields if f is not pk and f not in given and f.db_default is models.NOT_PROVIDED
        ]
        self.fill = tuple(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default() for f in rest
        )
        fields = cast("list[models.Field[Any, Any]]", ([pk] if with_ids else []) + given + rest)
        self.columns = [str(f.column) for f in fields]
        postgres = connection.vendor == "postgresql"
        self.prep: list[Callable[[Any], Any] | None] = [
            None if postgres and isinstance(f, _PLAIN) else _prep(f) for f in fields
        ]
        self.needs_prep = any(p is not None for p in self.prep)
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 0
        self.last_id = -1

    def add(self, *values: Any) -> int:
        row_id = 0
        if self.with_ids:
            if self.next_id > self.last_id:
                self.next_id, self.last_id = self.writer.reserve(self.model, ID_BLOCK)
            row_id = self.next_id
            self.next_id += 1
            self.rows.append((row_id, *values, *self.fill))
        else:
            self.rows.append((*values, *self.fill))
        if len(self.rows) >= self.writer.batch:
            self.writer.flush(upto=self)
        return row_id

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self.rows
        if self.needs_prep:
            prep = self.prep
            rows = [tuple(v if p is None else p(v) for p, v in zip(prep, row, strict=True)) for row in rows]
        table = connection.ops.quote_name(str(self.model._meta.db_table))
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.writer.counts[self.label] += len(rows)
        self.rows = []


def _prep(field: "models.Field[Any, Any]") -> Callable[[Any], Any]:
    def prep(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return prep


class BulkWriter:
    """Tables of generated rows, written in batches; counts rows per label."""

    def __init__(self, counts: Counter[str] | None = None, *, batch: int = 20_000) -> None:
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self.batch = batch
        self.tables: list[Table] = []
        self._sqlite_next: dict[type[models.Model], int] = {}

    def table(
        self, model: type[models.Model], columns: Sequence[str], *, with_ids: bool = False, label: str = ""
    ) -> Table:
        table = Table(self, model, columns, with_ids=with_ids, label=label or str(model._meta.verbose_name_plural))
        self.tables.append(table)
        return table

    def reserve(self, model: type[models.Model], n: int) -> tuple[int, int]:
        """Reserve n ids for model's rows: (first, last)."""
        table = str(model._meta.db_table)
        pk = model._meta.pk
        assert pk is not None
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                    [table, pk.column, table, pk.column, n],
                )
                last = int(cursor.fetchone()[0])
                return last - n + 1, last
            if model not in self._sqlite_next:
                cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(str(pk.column))}), 0) FROM {table}")
                self._sqlite_next[model] = int(cursor.fetchone()[0]) + 1
        first = self._sqlite_next[model]
        self._sqlite_next[model] = first + n
        return first, first + n - 1

    def flush(self, *, upto: Table | None = None) -> None:
        """Write every pending row (or up to and including table `upto`), parents first: tables are
        written in the order they were opened, so open a table after the tables its rows point at and
        foreign keys can be checked as rows arrive (see `check_constraints_now`)."""
        for table in self.tables:
            table.flush()
            if table is upto:
                break


def check_constraints_now() -> None:
    """On PostgreSQL, check foreign keys at the end of each statement rather than at commit: Django's
    are deferred, and millions of deferred checks queue up in the server's memory until COMMIT."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL), so the first queries plan well."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
