"""Concurrent API writes against a real server: none lost, none refused.

Each test prepares its own database with `ipshub demo --no-serve` (on SQLite a file, as the demo has: an
in-memory database would not show the file locking that made the demo answer 503 "database is locked"),
starts gunicorn with as many threads as there are writers, and fires the writes at once from threads: each
logs an employer contact with a new employer, as the demo's employment specialist with a personal token.
Then the API must list exactly that many more contacts."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

IPSHUB = [sys.executable, "-m", "ipshub"]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


@dataclass
class Server:
    base: str
    token: str
    program_id: int

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def contact_count(self) -> int:
        status, body = self.call("GET", f"/api/v1/employer-contacts/?program={self.program_id}")
        assert status == 200, body
        return int(body["count"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(database_url: str, data_dir: Path, workers: int, threads: int) -> Iterator[Server]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "IPSHUB_MODE": "demo",
        "IPSHUB_DATA_DIR": str(data_dir),
        "IPSHUB_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "ipshub.settings",
    }
    subprocess.run([*IPSHUB, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    token = subprocess.run(
        [*IPSHUB, "token", "create", "specialist", "--name", "burst"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "ipshub.wsgi", "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}"],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/ping/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        probe = Server(base, token, 0)
        status, programs = probe.call("GET", "/api/v1/programs/")
        assert status == 200, programs
        yield Server(base, token, programs["results"][0]["id"])
    finally:
        server.terminate()
        server.wait(timeout=30)


def _burst(server: Server, writers: int) -> list[tuple[int, dict]]:
    """`writers` contacts logged at the same moment, each with a new employer (two inserts and an audit event)."""
    start = threading.Barrier(writers)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        body = {
            "program": server.program_id,
            "new_employer_name": f"Burst Employer {n}",
            "contacted_on": "2025-03-03",
            "purpose": "learn",
        }
        start.wait()
        answer = server.call("POST", "/api/v1/employer-contacts/", body)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="a SQLite file of its own whatever the suite's database: run once, in the SQLite pass",
)
def test_sqlite_takes_16_concurrent_writers_without_losing_or_refusing_one(tmp_path: Path) -> None:
    writers = 16
    with _serve(f"sqlite:///{tmp_path / 'demo.sqlite3'}", tmp_path, workers=2, threads=writers // 2) as server:
        before = server.contact_count()
        started = time.monotonic()
        answers = _burst(server, writers)
        statuses = sorted(status for status, _ in answers)
        assert statuses == [201] * writers, [a for a in answers if a[0] != 201][:3]
        assert server.contact_count() == before + writers
        assert time.monotonic() - started < 30


@pytest.fixture
def postgresql_database() -> Iterator[str]:
    """A database of its own on the test's PostgreSQL server, dropped afterwards."""
    import psycopg

    config = settings.DATABASES["default"]
    name = f"{config['NAME']}_burst"
    server = {k: config[k.upper()] for k in ("user", "password", "host", "port") if config.get(k.upper())}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or 'localhost'}:"
            f"{config['PORT'] or 5432}/{name}"
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (run with DATABASE_URL=postgres://...); SQLite, the demo's database, is held "
    "to 16 concurrent writers by the test above",
)
def test_postgresql_takes_200_concurrent_api_writes(postgresql_database: str, tmp_path: Path) -> None:
    writers = 200
    # 32 request threads: well within PostgreSQL's 100 connections, which other clients share.
    with _serve(postgresql_database, tmp_path, workers=2, threads=16) as server:
        before = server.contact_count()
        started = time.monotonic()
        answers = _burst(server, writers)
        failed = [a for a in answers if a[0] != 201]
        assert len(answers) == writers and not failed, (len(answers), len(failed), failed[:3])
        assert server.contact_count() == before + writers
        assert time.monotonic() - started < 30
