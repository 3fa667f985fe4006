"""The database itself refuses to change or delete audit events, on SQLite as on PostgreSQL: a queryset
`update()` or `delete()` and raw SQL all fail and change nothing. Emptying the whole database (flush, as
the test runner does between transactional tests) still works, and leaves the refusal in place."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Value

from ipshub.audit.models import AuditEvent
from ipshub.audit.services import audit_record
from tests.world import World


def _snapshot() -> list[tuple]:
    return list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "summary", "actor_id"))


def _refused(attempt) -> None:
    """The attempt fails in the database, inside a savepoint so the test's transaction stays usable."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        attempt()


def _raw(sql: str):
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    return run


@pytest.mark.django_db
def test_queryset_and_raw_sql_cannot_change_or_delete_events(world: World) -> None:
    event = audit_record(actor=world.people["admin"], action="test.event", summary="as it happened")
    before = _snapshot()
    assert len(before) >= 1
    rows = AuditEvent.objects.filter(pk=event.pk)
    _refused(lambda: rows.update(summary="rewritten"))
    _refused(lambda: AuditEvent.objects.update(actor_label=Value("someone else")))
    _refused(lambda: rows.delete())
    _refused(lambda: AuditEvent.objects.all().delete())
    _refused(_raw("UPDATE audit_auditevent SET summary = 'rewritten'"))
    _refused(_raw(f"DELETE FROM audit_auditevent WHERE id = {event.pk}"))
    _refused(_raw("DELETE FROM audit_auditevent"))
    assert _snapshot() == before


@pytest.mark.django_db
def test_removing_a_person_with_events_is_refused(world: World) -> None:
    """The actor column would be set to NULL — an UPDATE of the trail — so the database refuses it."""
    person = world.people["trainer"]
    audit_record(actor=person, action="test.event")
    _refused(lambda: person.delete())
    assert AuditEvent.objects.filter(actor=person, action="test.event").exists()


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_empties_the_trail_and_keeps_the_refusal() -> None:
    audit_record(actor=None, action="test.before_flush")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = audit_record(actor=None, action="test.after_flush")
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert AuditEvent.objects.get().summary == ""
