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
