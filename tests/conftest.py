import gc
import os
import time
from collections.abc import Iterator

import pytest
from django.test import Client

from ipshub.accounts.middleware import RENEWED_AT, SIGNED_IN_AT
from ipshub.lib import compiled
from tests.browsing import browser, playwright_driver, ui  # noqa: F401  (fixtures for every test folder)
from tests.demo_data import _demo_copies, demo  # noqa: F401  (fixtures for every test folder)
from tests.world import PASSWORD, World, build_world

# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls are still
# synchronous, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The suite makes and drops a great many short-lived objects (requests, querysets, rows) while Django's own
# long-lived ones (models, URL patterns, compiled templates) stay put. At Python's default threshold (a collection
# every 700 allocations) the collector walks those again and again: measured, 10-15 % of a test run's time. So it
# collects less often, and what exists once the tests are collected is frozen out of its walks.
gc.set_threshold(100_000, 50, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


# With PostgreSQL (production's database) every test runs on it. SQLite, the one-command demo's database, then
# runs what depends on the database engine or proves the demo on it: the demo and scale builds, every page as
# every role (the URL walks), the audit triggers, the SQLite write path under load, backup and restore, the
# catalog, search, the reconciler and every area's work sources (the demo reconciles on SQLite), and the
# conflict checks. Running the rest twice proved nothing the PostgreSQL pass does not, and doubled CI's time.
SQLITE_PASS = (
    "tests/demo/",
    "tests/audit/",
    "tests/catalog/",
    "tests/web/test_backup.py",
    "tests/web/test_settings.py",
    "tests/web/test_search.py",
    "tests/web/test_home.py",
    "tests/api/test_burst.py",
    "tests/api/test_errors.py",
    "tests/api/test_program_records.py",
    "tests/test_url_walk.py",
    "tests/accounts/test_security.py",
    "tests/implementation/test_assignments.py",
    "tests/implementation/test_work_sources.py",
    "tests/outcomes/test_metrics.py",
    "/test_demo",
    "/test_fulfilment",
    "/test_conflicts.py",
    "/test_scale.py",
)


# ... but for these: `ipshub bench` runs on PostgreSQL only, so its query counts are proved there.
NOT_IN_SQLITE_PASS = ("tests/demo/test_bench.py",)


# The longest tests start first: the two workers then end together on short ones, instead of one waiting while
# the other finishes a walk it began last (pytest-xdist's worksteal hands out the rest as workers free up).
LONGEST_FIRST = (
    "tests/browser/test_axe_every_page.py",
    "tests/test_access_matrix.py",
    "tests/web/test_faults.py",
    "tests/api/test_burst.py",
    "tests/audit/test_disclosure_walk.py",
    "tests/browser/test_phone_every_page.py",
    "tests/implementation/test_browser_journey.py",
    "tests/fidelity/test_browser_review.py",
    "tests/demo/test_bench.py",
    "tests/api/test_schemathesis.py",
    "tests/web/test_scale_out.py",
    "tests/web/test_replica.py",
    "tests/web/test_pitr.py",
)


def _start_order(item: pytest.Item) -> int:
    path = item.nodeid.split("::")[0]
    return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(part in item.nodeid for part in SQLITE_PASS) and not any(
            part in item.nodeid for part in NOT_IN_SQLITE_PASS
        ):
            item.add_marker(pytest.mark.sqlite)
    items.sort(key=_start_order)


@pytest.fixture(autouse=True)
def _no_sql_kept_from_another_test() -> None:
    """SQL kept by `lib.compiled` is right for the database it was built on (its ids are the person's and seats'),
    and tests restore and flush databases under it: every test starts with none."""
    compiled.forget_all()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for(client: Client):
    """A test client signed in as the given person."""

    def sign_in(person) -> Client:
        c = Client()
        c.force_login(person)
        # As if the person had been signed in for a moment: the first page then runs the same queries as
        # every later one (the idle timeout is renewed once a minute, not on every request).
        session = c.session
        session[SIGNED_IN_AT] = session[RENEWED_AT] = time.time()
        session.save()
        return c

    return sign_in


@pytest.fixture
def password() -> str:
    return PASSWORD


# The test databases are made from the models (pytest-django's --no-migrations, in pyproject.toml's addopts): replaying
# the migrations rendered every model's state again at each of them, 25 s per database, four databases a run.
# The migrations themselves still run in CI, for real, wherever the suite builds a database the way an operator
# does (`ipshub demo` in the burst tests, on both engines), and `makemigrations --check` keeps them equal to the
# models. What the migrations add beyond the models is added here, from the migrations' own code.
def _what_migrations_add_beyond_the_models(sender, using: str, **kwargs) -> None:
    from django.db import connections

    from_migrations = {
        "audit": (
            "ipshub.audit.migrations.0003_append_only_on_postgresql",
            "ipshub.audit.migrations.0005_append_only_on_sqlite",
        ),
        "clients": ("ipshub.clients.migrations.0002_job_open_index",),
    }
    database = connections[using].settings_dict["NAME"]
    if sender.label == "audit" and _models_only and ("migrations", database) not in _added:
        _added.add(("migrations", database))
        _record_every_migration(connections[using])
    # A flush sends post_migrate too: the triggers and the index outlive it, so they are added once.
    if not _models_only or sender.label not in from_migrations or (sender.label, database) in _added:
        return
    _added.add((sender.label, database))
    import importlib

    with connections[using].schema_editor() as schema_editor:
        for name in from_migrations[sender.label]:
            migration = importlib.import_module(name)
            if hasattr(migration, "forwards"):
                migration.forwards(None, schema_editor)
            else:
                schema_editor.execute(migration.SQL, params=None)


def _record_every_migration(connection) -> None:
    """The database is what every migration makes (`makemigrations --check` holds the models to them): recorded
    as applied, as `migrate` would, for what reads the schema's version (backups name it in their manifest)."""
    import importlib
    import pkgutil

    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for config in apps.get_app_configs():
        try:
            package = importlib.import_module(f"{config.module.__name__}.migrations")
        except ModuleNotFoundError:
            continue
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name[0].isdigit()):
            recorder.record_applied(config.label, module)


_models_only = False
_added: set[tuple[str, str]] = set()


# Every test database holds the catalog (the roadmap and the roles matrix, as `ipshub demo` and an operator's first
# `ipshub catalog --load` leave it) from the moment it is made, and again after each flush (a transactional test's
# end sends post_migrate too): nearly every test's world asked for it, and loading it took a fifth of a world's
# time. The catalog's own tests start from an empty one (tests/catalog/conftest.py).
def _load_the_catalog(sender, using: str, **kwargs) -> None:
    if sender.label == "catalog":
        from ipshub.catalog.services import catalog_load

        catalog_load()


@pytest.fixture
def catalog_not_preloaded() -> Iterator[None]:
    """For a test that makes a database the way an operator does (`ipshub restore` into an empty one): nothing
    is put into it behind the command's back."""
    from django.db.models.signals import post_migrate

    post_migrate.disconnect(dispatch_uid="tests.catalog")
    yield
    post_migrate.connect(_load_the_catalog, dispatch_uid="tests.catalog")


def pytest_configure(config: pytest.Config) -> None:
    global _models_only
    from django.db.models.signals import post_migrate

    _models_only = bool(config.getoption("nomigrations", default=False))
    if _models_only:
        post_migrate.connect(_what_migrations_add_beyond_the_models, dispatch_uid="tests.models_only")
    post_migrate.connect(_load_the_catalog, dispatch_uid="tests.catalog")
    # The translations as scripts/setup compiles them, so a test run never reads a stale or missing .mo.
    from ipshub.lib.translations import compile_all

    compile_all()
