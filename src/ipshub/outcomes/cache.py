"""The state dashboard's rendered board, cached per state, and the per-state version that invalidates it.

What is cached is only the rendering (the HTML of the board: totals, groups, flags, programs, charts),
never the decision who may see it: the view decides the state and whether the viewer sees exact figures
("<11" otherwise) on every request, and both are part of the key, and so is the active language.

Invalidation is by version: every state has a version token in the cache, part of every entry of that
state; a change to anything the board shows replaces the token (`bump`), so the state's entries are never
read again (they expire on their own). The token is random, not a counter: if the cache loses it (culled,
cleared), a new one can't match an old entry. Bumps come from model signals (quarterly reports, goals,
benchmarks, programs, states: every service, the API, imports and the admin write through `.save()` or
`.delete()`) and, for the raw UPDATE of `sources.recompute_all`, from that function itself. Writes that
skip both (`bulk_create`, `QuerySet.update()` on those models) must call `bump` themselves; today only the
generated data (`ipshub seed`, into an empty database) does, and it needs none.

With the database cache (settings.CACHES) the bump is written in the writer's transaction, so a reader sees
the new token exactly when it sees the new data. For a cache outside the database the token is bumped
again when the transaction commits, so an entry rendered from the old data in between is never read.
"""

import hashlib
import pickle
import secrets
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.translation import get_language

from ipshub.outcomes.models import Benchmark, Goal, QuarterlyReport
from ipshub.tenancy.models import Program, State

T = TypeVar("T")
VERSION_KEY = "outcomes:dashboard:version:{}"
ENTRY_KEY = "outcomes:dashboard:{}:{}"


def version_key(state_id: int) -> str:
    return VERSION_KEY.format(state_id)


def entry_key(state_id: int, params: tuple[Any, ...]) -> str:
    # The board is rendered in the reader's language: each language has its own entry.
    digest = hashlib.sha256(repr((get_language(), params)).encode()).hexdigest()[:32]
    return ENTRY_KEY.format(state_id, digest)


def _token() -> str:
    return secrets.token_hex(8)


def _set_versions(state_ids: set[int]) -> None:
    cache.set_many({version_key(i): _token() for i in state_ids}, timeout=None)


def bump(state_ids: Iterable[int | None]) -> None:
    """Everything cached for these states is out of date from now on."""
    ids = {i for i in state_ids if i is not None}
    if not ids:
        return
    _set_versions(ids)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _set_versions(ids))


def bump_programs(program_ids: Iterable[int]) -> None:
    ids = list(program_ids)
    if ids:
        bump(Program.objects.filter(pk__in=ids).values_list("state_id", flat=True).distinct())


def cached(state_id: int, params: tuple[Any, ...], render: Callable[[], T]) -> T:
    """`render()`'s result for this state and `params`, from the cache when the state's version still
    matches: one cache read (the version and the entry together) on a hit."""
    vkey, ekey = version_key(state_id), entry_key(state_id, params)
    found = cache.get_many([vkey, ekey])
    token, entry = found.get(vkey), found.get(ekey)
    if token is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == token:
        try:
            stored: T = pickle.loads(zlib.decompress(entry[1]))  # what render() returned when it was stored
            return stored
        except (TypeError, zlib.error, pickle.UnpicklingError):
            pass  # an entry of another shape (an earlier version's): render afresh
    if token is None:
        token = _token()
        if not cache.add(vkey, token, timeout=None):
            token = cache.get(vkey, token)
    value = render()
    # Compressed: the board's HTML shrinks about tenfold, and the cache row is read on every hit.
    cache.set(ekey, (token, zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)))
    return value


# --- What changes the dashboard -------------------------------------------------------------------


def _program_state_id(instance: Any) -> int | None:
    """The state of a report's or goal's program, without a query when the program is loaded."""
    field = type(instance)._meta.get_field("program")
    if field.is_cached(instance):
        state_id: int = instance.program.state_id  # instance: a report or a goal, both with a program
        return state_id
    return Program.objects.filter(pk=instance.program_id).values_list("state_id", flat=True).first()


def _on_program_row(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        bump([_program_state_id(instance)])


def _on_benchmark(sender: Any, instance: Benchmark, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        bump([instance.state_id])


def _on_state(sender: Any, instance: State, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        bump([instance.pk])


def _remember_program_state(sender: Any, instance: Program, **kwargs: Any) -> None:
    # __dict__, not the attribute: a deferred state_id must not cost a query on every load.
    instance._outcomes_loaded_state_id = instance.__dict__.get("state_id")  # type: ignore[attr-defined]


def _on_program(sender: Any, instance: Program, raw: bool = False, **kwargs: Any) -> None:
    """A program's name, region, funding, phase or state: its old state and its new one."""
    if not raw:
        bump([instance.state_id, getattr(instance, "_outcomes_loaded_state_id", None)])
        instance._outcomes_loaded_state_id = instance.state_id  # type: ignore[attr-defined]


def connect() -> None:
    uid = "ipshub.outcomes.cache"
    for model in (QuarterlyReport, Goal):
        post_save.connect(_on_program_row, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_on_program_row, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    post_save.connect(_on_benchmark, sender=Benchmark, dispatch_uid=f"{uid}.save.Benchmark")
    post_delete.connect(_on_benchmark, sender=Benchmark, dispatch_uid=f"{uid}.delete.Benchmark")
    post_save.connect(_on_state, sender=State, dispatch_uid=f"{uid}.save.State")
    post_init.connect(_remember_program_state, sender=Program, dispatch_uid=f"{uid}.init.Program")
    post_save.connect(_on_program, sender=Program, dispatch_uid=f"{uid}.save.Program")
    post_delete.connect(_on_program, sender=Program, dispatch_uid=f"{uid}.delete.Program")
