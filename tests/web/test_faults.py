"""Kill PostgreSQL during a burst of writes: every acknowledged write survives, nothing is half-written,
people see a clear page meanwhile, and the app recovers without a restart.

Runs against a throwaway PostgreSQL cluster of its own (so no other test is disturbed). It needs root
and Debian's PostgreSQL tools, as CI has; elsewhere it is skipped with the reason.
"""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("pg_createcluster"),
        reason="needs root and Debian's PostgreSQL cluster tools (CI has both)",
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a PostgreSQL fault: run once, in the suite's PostgreSQL pass",
    ),
]
CLUSTER = "ipshubfaults"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


@pytest.fixture
def cluster():
    version = sorted(os.listdir("/usr/lib/postgresql"))[-1]
    port = _free_port()
    subprocess.run(["pg_dropcluster", "--stop", version, CLUSTER], capture_output=True)
    _pg("pg_createcluster", version, CLUSTER, "-p", str(port))
    _pg("pg_ctlcluster", version, CLUSTER, "start")
    _pg("su", "postgres", "-c", f"psql -p {port} -qc \"CREATE ROLE faults LOGIN PASSWORD 'faults' CREATEDB\"")
    _pg("su", "postgres", "-c", f"createdb -p {port} -O faults faults")
    try:
        yield version, f"postgres://faults:faults@127.0.0.1:{port}/faults"
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, CLUSTER], capture_output=True)


class Browser:
    """A person at a browser, as far as cookies and CSRF go."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1) if token else ""}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=10) as r:
                return r.status, r.geturl()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def _schema_of_the_test_database(url: str) -> None:
    """The faults cluster gets the schema of this worker's test database (the models, what the migrations add
    beyond them, every migration recorded as applied) instead of replaying the migrations: they run for real in
    the burst tests, and replaying them here took half of this test's time."""
    config = connection.settings_dict  # the test database's (the `db` fixture made it)
    source = (
        f"postgresql://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or 'localhost'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )
    dump = ["pg_dump", "--no-owner", "--no-privileges", "--no-comments", source]
    schema = subprocess.run([*dump, "--schema-only"], capture_output=True)
    applied = subprocess.run([*dump, "--data-only", "--table=django_migrations"], capture_output=True)
    assert schema.returncode == applied.returncode == 0, schema.stderr + applied.stderr
    loaded = subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input=schema.stdout + applied.stdout, capture_output=True
    )
    assert loaded.returncode == 0, loaded.stderr


def test_database_killed_during_writes(cluster, db: None, tmp_path: Path) -> None:
    version, url = cluster
    env = {**os.environ, "DATABASE_URL": url, "IPSHUB_MODE": "demo", "IPSHUB_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _schema_of_the_test_database(url)
    subprocess.run([sys.executable, "-m", "ipshub", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "ipshub.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "critical"], env=env
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        browser = Browser(base)
        status, _ = browser.post("/accounts/login/", {"username": "admin", "password": "ipshub-demo-2026"})
        assert status == 200

        acknowledged: list[str] = []
        outage_pages: list[int] = []
        stop = threading.Event()

        def write_burst() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                name = f"Fault test office {n}"
                try:
                    status, where = browser.post(
                        "/directory/organizations/new/",
                        {
                            "state": "1",
                            "kind": "dvr_office",
                            "name": name,
                        },
                    )
                except (OSError, AttributeError):
                    status, where = 0, ""
                if (
                    status == 200
                    and "/directory/organizations/" in where
                    and where.rstrip("/").split("/")[-1].isdigit()
                ):
                    acknowledged.append(name)
                elif status == 503:
                    outage_pages.append(status)
                time.sleep(0.02)

        writer = threading.Thread(target=write_burst)
        writer.start()
        time.sleep(2)
        _pg("pg_ctlcluster", version, CLUSTER, "stop", "-m", "immediate")
        time.sleep(2)
        status, page = browser.get("/")
        assert status == 503 and "can't reach its database" in page
        _pg("pg_ctlcluster", version, CLUSTER, "start")
        time.sleep(3)
        stop.set()
        writer.join(timeout=30)

        assert len(acknowledged) >= 5 and outage_pages
        # The app came back by itself: pages work again with the same server processes.
        assert browser.get("/")[0] == 200
        check = subprocess.run(
            [
                sys.executable,
                "-m",
                "ipshub",
                "shell",
                "-c",
                "from ipshub.tenancy.models import Organization as O; from ipshub.audit.models import AuditEvent as A;"
                "names=set(O.objects.filter(name__startswith='Fault test').values_list('name', flat=True));"
                "ids=set(str(i) for i in O.objects.filter(name__startswith='Fault test').values_list('pk', flat=True));"
                "audited=set(A.objects.filter(action='organization.create').values_list('object_id', flat=True));"
                "import json; print(json.dumps(sorted(names))); print(len(ids - audited))",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        stored_line, unaudited = check.stdout.strip().splitlines()[-2:]
        stored = set(json.loads(stored_line))
        assert set(acknowledged) <= stored, f"lost acknowledged writes: {set(acknowledged) - stored}"
        assert unaudited == "0", "an organization was written without its audit event"
    finally:
        server.terminate()
        server.wait(timeout=20)
