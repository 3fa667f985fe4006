"""A streaming replica (tests/clusters.py: a private primary holding a copy of the test's database, and its replica
made with pg_basebackup, logging every statement) behind a real gunicorn: the state roll-up's aggregate reads go
to the replica; a client record's reads and every write stay on the primary; with the replica stopped, the same
page still answers."""

import os
import subprocess
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.api.test_burst import GUNICORN
from tests.clients.factories import enroll
from tests.clusters import CAN_RUN_CLUSTERS, WHY_NOT, free_port, new_primary, new_replica, wait_caught_up, workspace
from tests.world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.skipif(not CAN_RUN_CLUSTERS, reason=WHY_NOT)]


def _get(base: str, token: str, path: str) -> int:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _token(username: str) -> str:
    out = StringIO()
    call_command("token", "create", username, "--name", "replica test", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_heavy_reads_go_to_the_replica_client_reads_and_writes_stay_on_the_primary(tmp_path: Path) -> None:
    world = build_world()
    enrollment = enroll(world)
    lead, specialist = _token("state_lead"), _token("specialist")
    with workspace() as folder:
        primary = new_primary(folder)
        replica = new_replica(primary, folder)
        wait_caught_up(primary, replica)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": primary.url(),
            "IPSHUB_REPLICA_DATABASE_URL": replica.url(),
            "IPSHUB_MODE": "demo",
            "IPSHUB_DATA_DIR": str(tmp_path),
            "IPSHUB_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "ipshub.settings",
        }
        server = subprocess.Popen([GUNICORN, "ipshub.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/ping/", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            state = world.state_a.pk

            mark = len(replica.log_text())
            assert _get(base, lead, f"/api/v1/states/{state}/outcomes/") == 200
            heavy = replica.log_text()[mark:]
            assert "outcomes_" in heavy, "the state roll-up's aggregate reads went to the replica"
            assert "api_token" not in heavy and "audit_" not in heavy, "sign-in and the audit trail: the primary"

            with primary.connect() as conn:
                events_before = conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]  # type: ignore[index]
            mark = len(replica.log_text())
            assert _get(base, specialist, f"/api/v1/clients/{enrollment.pk}/") == 200
            client_reads = replica.log_text()[mark:]
            assert "clients_" not in client_reads, "a client record is read on the primary, where its audit is written"
            assert "INSERT" not in client_reads.upper()
            with primary.connect() as conn:
                events_after = conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]  # type: ignore[index]
            assert events_after > events_before, "the disclosure was audited on the primary"

            replica.stop()
            assert _get(base, lead, f"/api/v1/states/{state}/outcomes/") == 200, "the page works without the replica"
        finally:
            server.terminate()
            server.wait(timeout=30)
            replica.stop()
            primary.stop()
