"""Django's SQLite backend, whose flush keeps the audit table's append-only triggers.

Django flushes SQLite with `DELETE FROM` each table, which the triggers refuse for the audit table
(ipshub/audit/append_only.py). Emptying the whole database is the one deletion the product keeps — as
PostgreSQL's TRUNCATE, which fires no row trigger — so the flush drops the triggers, empties the tables
and creates the same triggers again, all in the flush's one transaction: no moment exists in which
another connection could change an audit row."""

from typing import Any

from django.db.backends.sqlite3 import base, operations

from ipshub.audit.append_only import SQLITE_TRIGGERS, TABLE, sqlite_drop


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False) -> Any:
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if TABLE not in tables:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            present = [row[0] for row in cursor.fetchall() if row[0] in SQLITE_TRIGGERS]
        if not present:
            return statements
        return [
            *(sqlite_drop(name) for name in present),
            *statements,
            *(SQLITE_TRIGGERS[name] for name in present),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
