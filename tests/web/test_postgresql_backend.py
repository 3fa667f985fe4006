"""The PostgreSQL backend checks a persistent connection's health only after it sat idle (lib/postgresql)."""

import psycopg
import pytest
from django.db import OperationalError, connection

from ipshub.lib.postgresql.base import IDLE_SECONDS_BEFORE_CHECK

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend: run in the PostgreSQL pass"),
    pytest.mark.django_db(transaction=True),  # the request edges need autocommit, as in a real request
]


def _kill_server_side() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _fresh_connection() -> None:
    # A connection opened by an earlier test on this worker may be past CONN_MAX_AGE, and Django would
    # close it at the first request edge: start each test on a new one.
    connection.close()
    connection.ensure_connection()


def _request_edge(idle: float = 0.0) -> None:
    connection._last_request_edge -= idle
    connection.close_if_unusable_or_obsolete()


def test_a_connection_in_steady_use_is_not_checked_and_recovers_after_the_failed_request() -> None:
    assert connection.health_check_enabled or connection.settings_dict["CONN_HEALTH_CHECKS"]
    _fresh_connection()
    _request_edge()  # one request ends ...
    _request_edge()  # ... and the next starts at once: no SELECT 1 round trip
    assert connection.health_check_done
    _kill_server_side()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # that one request fails (the outage page) ...
    _request_edge()  # ... and Django drops the broken connection at its end
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_idle_for_a_while_is_checked_and_replaced_if_dead() -> None:
    _fresh_connection()
    _request_edge()
    _kill_server_side()
    _request_edge(idle=IDLE_SECONDS_BEFORE_CHECK + 1)  # the first request after a quiet spell
    assert not connection.health_check_done
    with connection.cursor() as cursor:  # checked first, found dead, reconnected: the request succeeds
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
