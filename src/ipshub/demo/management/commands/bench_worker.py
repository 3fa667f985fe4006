"""Internal to `ipshub bench`: run against one scale's database (DATABASE_URL) and print JSON with
each page's path, the request headers that sign its person in (a session cookie, or for API pages an
API token made for the run), and its SQL query count."""

import datetime
import json
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ipshub.accounts.sessions import SessionStore
from ipshub.api.models import ApiToken
from ipshub.api.services import token_create, token_revoke
from ipshub.demo.bench_pages import bench_pages
from ipshub.tenancy.models import Person

BENCH_TOKEN = "ipshub bench"


class Command(BaseCommand):
    help = "Internal: measure query counts and make sessions for `ipshub bench`."

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        sessions: dict[str, str] = {}
        keys: dict[str, str] = {}
        pages = bench_pages()
        # One session per person, holding what each of their pages needs in it.
        session_data: dict[str, dict[str, Any]] = {}
        for page in pages:
            _merge(session_data.setdefault(page.username, {}), page.session)
        for page in pages:
            person = Person.objects.get(username=page.username)
            client = Client()
            if page.api:
                if page.username not in keys:
                    keys[page.username] = _api_key(person)
                headers = {"Authorization": f"Token {keys[page.username]}"}
            else:
                if page.username not in sessions:
                    sessions[page.username] = _session(person, session_data[page.username])
                headers = {"Cookie": f"sessionid={sessions[page.username]}"}
                client.force_login(person)
                if page.session:
                    test_session = client.session
                    _merge(test_session, page.session)
                    test_session.save()
            api_headers = {"Authorization": headers["Authorization"]} if page.api else {}
            client.get(page.path, headers=api_headers)  # warm up per-process caches
            with CaptureQueriesContext(connection) as queries:
                status = client.get(page.path, headers=api_headers).status_code
            results.append(
                {
                    "name": page.name,
                    "path": page.path,
                    "status": status,
                    "queries": len(queries),
                    "headers": headers,
                }
            )
        self.stdout.write(json.dumps(results))


def _merge(into: Any, data: dict[str, Any]) -> None:
    """Session values into a session (or a dict); dicts (the remembered searches) are merged key by key."""
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**into[key], **value}
        else:
            into[key] = value


def _session(person: Person, data: dict[str, Any]) -> str:
    store = SessionStore()
    _merge(store, data)
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.set_expiry(4 * 3600)
    store.save()
    return store.session_key or ""


def _api_key(person: Person) -> str:
    """A fresh token for this run; the previous runs' bench tokens are revoked (people have a few at most)."""
    for old in ApiToken.objects.filter(person=person, name=BENCH_TOKEN, revoked_at=None):
        token_revoke(actor=person, token=old)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    return token_create(actor=person, person=person, name=BENCH_TOKEN, expires_on=tomorrow)[1]
