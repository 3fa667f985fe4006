"""The database's own refusal to change or delete audit events, on SQLite (migration 0005).

PostgreSQL has had a trigger since migration 0003. These are SQLite's equivalent, so a queryset
`update()` or `delete()`, or raw SQL, fails on the demo's database as on production's: the model's guard
(AuditEvent.save/delete) covers only single objects.

Emptying the whole database (`ipshub flush`, and the test runner between transactional tests) is the one
deletion kept: PostgreSQL's TRUNCATE fires no row trigger, and on SQLite the flush drops these triggers,
empties the tables and creates them again in one transaction (ipshub/audit/sqlite_backend)."""

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

SQLITE_TRIGGERS = {
    "audit_event_no_update": (
        f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE refused)'); END"
    ),
    "audit_event_no_delete": (
        f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE refused)'); END"
    ),
}


def sqlite_drop(name: str) -> str:
    return f"DROP TRIGGER IF EXISTS {name}"
