import os
import time

import pytest
from django.test import Client

from ipshub.accounts.middleware import RENEWED_AT, SIGNED_IN_AT
from tests.browsing import browser, ui  # noqa: F401  (fixtures for every test folder)
from tests.world import PASSWORD, World, build_world

# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls are still
# synchronous, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(part in item.nodeid for part in SQLITE_PASS) and not any(
            part in item.nodeid for part in NOT_IN_SQLITE_PASS
        ):
            item.add_marker(pytest.mark.sqlite)


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
