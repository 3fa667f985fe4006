"""Internal to `ipshub bench`: run against one scale's database (DATABASE_URL) and print JSON with
each page's path, a session cookie for its person, and its SQL query count."""

import json
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ipshub.demo.bench_pages import bench_pages
from ipshub.tenancy.models import Person


class Command(BaseCommand):
    help = "Internal: measure query counts and make sessions for `ipshub bench`."

    def handle(self, *args: Any, **options: Any) -> None:
        results = []
        sessions: dict[str, str] = {}
        for page in bench_pages():
            person = Person.objects.get(username=page.username)
            if page.username not in sessions:
                store = SessionStore()
                store[SESSION_KEY] = str(person.pk)
                store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                store[HASH_SESSION_KEY] = person.get_session_auth_hash()
                store.set_expiry(4 * 3600)
                store.save()
                sessions[page.username] = store.session_key or ""
            client = Client()
            client.force_login(person)
            client.get(page.path)  # warm up per-process caches
            with CaptureQueriesContext(connection) as queries:
                status = client.get(page.path).status_code
            results.append(
                {
                    "name": page.name,
                    "path": page.path,
                    "status": status,
                    "queries": len(queries),
                    "session": sessions[page.username],
                }
            )
        self.stdout.write(json.dumps(results))
