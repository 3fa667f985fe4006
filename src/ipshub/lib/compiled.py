"""Rows of a query whose SQL is built once per shape, then only executed.

The home pages ask every area for the person's due items. Each area's query is a UNION of several parts over the
person's visible programs, and at national scale building those querysets and compiling them to SQL was most of a
home page's Python work (issue #17: the page's median, 25 ms at most). The SQL changes only with what the query
was built from: the person, their seats (memberships) and the day. So the SQL and its parameters are kept per
`key` (which must name all of that: `tenancy.access.person_shape`), and later calls with the same key execute it
again without building anything; the rows still come from the database each time, so they are never stale.

What makes this safe: a build may not read the database, nor the clock. While a build runs, any query refuses to
run; and a parameter within a day of the present time means the build read the clock (`timezone.now()`). Such a
build is not kept (it is built again, normally, on every call) and `uncacheable` counts it, which a test holds at
zero for the home pages. A build that read the database would have put data into the SQL (ids, say), and data can
change without the key changing; one that read the clock would compare with a time long past; a build that reads
neither can only have put the key's own values into it."""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone

# Entries kept per process: a key per person and day and query; a few kilobytes of SQL each.
KEPT = 2048


# A parameter this close to the present: the build read the clock. A day and more away ("since a week ago, at
# midnight"), it is a time the key names.
_READ_THE_CLOCK = datetime.timedelta(hours=24)


class _BuildReadTheDatabase(Exception):
    pass


@dataclass(frozen=True)
class _Compiled:
    model: Any  # the queryset's model: the router picks the database for each run (a replica may come and go)
    sql: str
    params: tuple[Any, ...]
    converters: tuple[tuple[int, tuple[list[Callable[..., Any]], Any]], ...]


_NOTHING = _Compiled(None, "", (), ())
_kept: "OrderedDict[Hashable, _Compiled]" = OrderedDict()
_lock = threading.Lock()
# Builds found reading the database, by the key's first part (the query's name): see the module's docstring.
uncacheable: dict[str, int] = {}


def _refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise _BuildReadTheDatabase(sql)


def _compile(build: Callable[[], QuerySet[Any, Any]]) -> _Compiled | None:
    try:
        with ExitStack() as refusing:
            for connection in connections.all():
                refusing.enter_context(connection.execute_wrapper(_refuse))
            queryset = build()
            compiler = queryset.query.get_compiler(using=queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # the query can match nothing (`id IN ()`): nothing to run
                return _NOTHING
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(fields)
    except _BuildReadTheDatabase:
        return None
    now = timezone.now()
    if any(abs(moment - now) < _READ_THE_CLOCK for moment in map(_as_time, params) if moment is not None):
        return None
    return _Compiled(queryset.model, sql, tuple(params), tuple(converters.items()))


def _as_time(param: Any) -> datetime.datetime | None:
    """A parameter that is a time, as an aware datetime: SQLite's are text by now ("2026-12-07 18:30:00.123")."""
    if isinstance(param, str) and 19 <= len(param) <= 32 and param[4:5] == "-" and param[10:11] in (" ", "T"):
        try:
            param = datetime.datetime.fromisoformat(param)
        except ValueError:
            return None
    if not isinstance(param, datetime.datetime):
        return None
    return param if timezone.is_aware(param) else timezone.make_aware(param, datetime.UTC)


def rows(key: tuple[Hashable, ...], build: Callable[[], QuerySet[Any, Any]]) -> list[tuple[Any, ...]]:
    """The rows of `build()` (a `values_list` queryset), its SQL built once per `key`. `key[0]` names the query."""
    with _lock:
        compiled = _kept.get(key)
        if compiled is not None:
            _kept.move_to_end(key)
    if compiled is None:
        compiled = _compile(build)
        if compiled is None:
            uncacheable[str(key[0])] = uncacheable.get(str(key[0]), 0) + 1
            return [tuple(row) for row in build()]
        with _lock:
            _kept[key] = compiled
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    if compiled is _NOTHING:
        return []
    connection = connections[router.db_for_read(compiled.model)]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        fetched = cursor.fetchall()
    if not compiled.converters:
        return [tuple(row) for row in fetched]
    converted = []
    for row in fetched:
        values = list(row)
        for position, (functions, expression) in compiled.converters:
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        converted.append(tuple(values))
    return converted


def forget_all() -> None:
    """Drop every kept SQL (tests that change what a build reads from outside the key)."""
    with _lock:
        _kept.clear()
