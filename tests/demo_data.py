"""The demo's data for the tests that walk it in a browser: built once per test database, then restored.

Building the demo (`build_demo_state`: every area's records, the roles matrix reconciled, two consents signed
into PDFs) takes 5–10 s; two dozen browser tests start from it, and each of them used to build it again.

On PostgreSQL the first test that asks builds it, then keeps a copy of the whole test database as a template
(`CREATE DATABASE <name>_demo TEMPLATE <name>`); every later test gets the test database re-created from that
copy, a file copy of well under a second. The copy is the database exactly as the build left it (rows,
sequences, the audit triggers), so each test starts from a fresh demo whatever the tests before it wrote. The
tests using it are transactional (`transactional_db`: the live server's threads need committed data), and
pytest-django empties the database after each of them as before. SQLite in memory does the same with its online
backup (a copy in another in-memory database, copied back); a SQLite file is simply built again."""

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from ipshub.catalog.services import catalog_load
from ipshub.demo.demo_state import build_demo_state

# Test databases whose demo copy this process has made (one per xdist worker).
_copied: set[str] = set()
# SQLite in memory: the demo's copy, another in-memory database of this process.
_sqlite_copy: list[sqlite3.Connection] = []


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy_name(database: str) -> str:
    return f"{database}_demo"


def _keep_a_copy(database: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        # CREATE DATABASE ... TEMPLATE needs the template to have no other session: the live server's request
        # threads close theirs after each request, but a thread can still be ending.
        _end_our_other_sessions(cursor, database)
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(_copy_name(database))}")
        cursor.execute(f"CREATE DATABASE {_quoted(_copy_name(database))} TEMPLATE {_quoted(database)}")


def _end_our_other_sessions(cursor: Any, database: str) -> None:
    """End the test's own other sessions on `database` (a live server's request thread can still be ending).
    Not WITH (FORCE) and not every session: an autovacuum worker may be at work on the database after the demo
    wrote it, and only a superuser may end that one. DROP and CREATE ... TEMPLATE wait for it instead (up to
    5 seconds; PostgreSQL cancels it), and for the ended sessions to go."""
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND usename = current_user",
        [database],
    )


def _restore_the_copy(database: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        _end_our_other_sessions(cursor, database)
        cursor.execute(f"DROP DATABASE {_quoted(database)}")
        cursor.execute(f"CREATE DATABASE {_quoted(database)} TEMPLATE {_quoted(_copy_name(database))}")
    # The content types' ids are those of the copy: forget the ones read since (a flush makes new ones).
    ContentType.objects.clear_cache()


def _sqlite_in_memory() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def load_demo() -> None:
    """The demo state in the (transactional) test database: built the first time, restored after that."""
    if _sqlite_in_memory():
        # SQLite's online backup copies the whole in-memory database into another one and back, in milliseconds.
        connection.ensure_connection()
        database = connection.connection
        if _sqlite_copy:
            _sqlite_copy[0].backup(database)
            ContentType.objects.clear_cache()
            return
        catalog_load()
        build_demo_state()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        database.backup(copy)
        _sqlite_copy.append(copy)
        return
    if connection.vendor != "postgresql":
        catalog_load()
        build_demo_state()
        return
    database = connection.settings_dict["NAME"]
    if database in _copied:
        _restore_the_copy(database)
        return
    catalog_load()
    build_demo_state()
    _keep_a_copy(database)
    _copied.add(database)


@pytest.fixture
def demo(transactional_db: None, _demo_copies: None) -> None:
    """The demo state, committed, for tests that use the live server."""
    load_demo()


@pytest.fixture(scope="session")
def _demo_copies(django_db_blocker: Any) -> Iterator[None]:
    """Drops the demo copies when the session ends (the test databases themselves are dropped by pytest-django)."""
    yield
    if not _copied:
        return
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        for database in sorted(_copied):
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(_copy_name(database))} WITH (FORCE)")
