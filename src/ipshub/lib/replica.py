"""Read-only heavy work on a streaming replica, when one is configured (issue 27).

With `IPSHUB_REPLICA_DATABASE_URL` set, settings add the `replica` database and this router. A read goes to the
replica only when all of these hold:
- it happens inside `replica_reads()` (the views and commands that only read a lot: the state dashboard and its
  exports, the state roll-up in the API, reports), and
- its model is one of the aggregate areas' (`REPLICA_APPS`): never a client record, whose every read is audited
  on the primary in the same transaction, never the people, memberships and sessions that decide access, never
  the audit trail, and
- no transaction is open on the primary (what a request wrote, it reads back from where it wrote it), and
- the replica is up and caught up: its WAL receiver is streaming and has replayed all it received (asked once
  per block; when it is down or behind, reads go to the primary, the page still works, and the replica is not
  asked again for `CHECK_SECONDS`).
Everything else, every write included, goes to the primary.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections, models

REPLICA = "replica"
REPLICA_APPS = frozenset({"outcomes", "fidelity", "implementation", "collaboration", "dvr", "catalog"})
CHECK_SECONDS = 10.0
log = logging.getLogger("ipshub.replica")

# Inside replica_reads(): whether this block reads from the replica, decided at its first routed read (None: not yet).
_block: ContextVar[dict[str, bool | None] | None] = ContextVar("ipshub_replica_reads", default=None)
# A replica found down or behind is not asked again for CHECK_SECONDS: pages don't wait on it each time.
_down_since = {"at": -1e9}

F = TypeVar("F", bound=Callable[..., Any])


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of aggregate data inside may go to the replica (see the module's rules)."""
    token = _block.set({"usable": None})
    try:
        yield
    finally:
        _block.reset(token)


def reads_from_replica(view: F) -> F:
    """A view that only reads a lot: its aggregate reads may go to the replica."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def replica_usable(now: float | None = None) -> bool:
    """Whether the replica answers, streams from the primary and has replayed what it received. Asked once per
    block of heavy reads (a cheap query); a replica found down or behind is skipped for CHECK_SECONDS."""
    now = time.monotonic() if now is None else now
    if now - _down_since["at"] < CHECK_SECONDS:
        return False
    usable = False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver) = 'streaming', false) "
                "AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
            )
            row = cursor.fetchone()
            usable = bool(row and row[0])
    except DatabaseError as exc:
        log.warning("replica unavailable, reading from the primary: %s", exc)
        connections[REPLICA].close()
    if not usable:
        log.info("replica down, not streaming or not caught up: reading from the primary")
        _down_since["at"] = now
    return usable


def forget_replica_state() -> None:
    """Ask the replica again at the next block of heavy reads (after starting one, in tests and drills)."""
    _down_since["at"] = -1e9


class ReplicaRouter:
    """Django's database router for the rules above."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        block = _block.get()
        if block is None or model._meta.app_label not in REPLICA_APPS or not configured():
            return None
        if connections["default"].in_atomic_block:
            return None
        if block["usable"] is None:
            block["usable"] = replica_usable()
        return REPLICA if block["usable"] else None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema by streaming
