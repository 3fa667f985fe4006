"""Two app servers behind nginx, one PostgreSQL, as docs/operators.md ("Scale out") describes, run on this machine:
a person signs in through one server and goes on through the other; a file uploaded through one downloads through
the other (shared media folder); the daily reminders run on both servers at once and each is sent once; one server
is restarted during a burst of writes through nginx and every acknowledged write is kept, every other request
answered with a clean 502/503/504, never a 500."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from ipshub.clients.models import Employer
from ipshub.collaboration.models import ReminderSent
from tests.api.test_burst import GUNICORN
from tests.clients.factories import enroll
from tests.clusters import free_port
from tests.web.test_replica import _token
from tests.world import PASSWORD, build_world

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The people the daily reminders go to in this test (all of the world's would only take longer).
REMIND = [sys.executable, "-m", "ipshub", "remind", "--user", "supervisor", "--user", "specialist"]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several app servers share one PostgreSQL"),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx (Debian's nginx-light) is the load balancer"),
]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "IPSHUB_MODE": "demo",
        "IPSHUB_DATA_DIR": str(data_dir),  # shared by both servers: the uploaded files' folder is one
        "IPSHUB_ALLOWED_HOSTS": "127.0.0.1",
        "IPSHUB_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "ipshub.settings",
    }


def _start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            GUNICORN,
            "ipshub.wsgi",
            "--workers",
            "2",
            "--threads",
            "4",
            "--graceful-timeout",
            "20",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server on {port} did not start")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: requests in progress finish
        server.wait(timeout=40)


@contextmanager
def _nginx(folder: Path, listen: int, upstreams: list[int]) -> Iterator[str]:
    """nginx in front of the servers, as the operator guide's configuration, with its files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;\n" for port in upstreams)
    temp = "".join(
        f"  {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f"user root;\nworker_processes 1;\ndaemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 512; }\n"
        f"http {{\n  access_log off;\n{temp}  upstream ipshub {{\n{servers}  }}\n"
        f"  server {{\n    listen 127.0.0.1:{listen};\n    client_max_body_size 20m;\n"
        "    location / {\n      proxy_pass http://ipshub;\n      proxy_set_header Host $host;\n"
        "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "      proxy_next_upstream error timeout http_502 http_503;\n      proxy_next_upstream_tries 2;\n"
        "    }\n  }\n}\n"
    )
    balancer = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder)])
    base = f"http://127.0.0.1:{listen}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)


def _call(
    base: str, token: str, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, bytes]:
    request = urllib.request.Request(
        base + path, method=method, data=body, headers={"Authorization": f"Token {token}", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


def test_two_app_servers_behind_nginx(tmp_path: Path) -> None:
    world = build_world()
    enrollment = enroll(world)
    # The servers run the production settings, whose hashers don't include the tests' fast MD5 one.
    supervisor = world.people["supervisor"]
    supervisor.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    supervisor.save(update_fields=["password"])
    specialist = _token("specialist")
    env = _env(tmp_path)
    port_a, port_b, listen = free_port(), free_port(), free_port()
    server_a, server_b = _start_server(port_a, env), _start_server(port_b, env)
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    try:
        # Signed in through A, the same session goes on through B (sessions live in the database).
        cookies = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        login = browser.open(a + "/accounts/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        assert csrf is not None
        form = {"username": "supervisor", "password": PASSWORD, "csrfmiddlewaretoken": csrf.group(1)}
        browser.open(a + "/accounts/login/", urllib.parse.urlencode(form).encode()).read()
        home = browser.open(b + "/")
        assert "/accounts/login/" not in home.geturl(), "server B knows the session server A opened"
        assert "Sign out" in home.read().decode()

        # A document uploaded through A downloads through B, byte for byte.
        content = b"%PDF-1.4\n% a client's resume, uploaded on server A\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nresume\r\n'.encode(),
                f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nResume\r\n'.encode(),
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="resume.pdf"\r\n'.encode(),
                b"Content-Type: application/pdf\r\n\r\n" + content + f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        status, created = _call(
            a,
            specialist,
            "POST",
            f"/api/v1/clients/{enrollment.pk}/documents/",
            body,
            **{"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert status == 201, created
        document = json.loads(created)["id"]
        status, downloaded = _call(
            b, specialist, "GET", f"/api/v1/clients/{enrollment.pk}/documents/{document}/download/"
        )
        assert (status, downloaded) == (200, content)

        # The daily reminders, started on both servers at the same moment: each reminder is sent once.
        runs = [subprocess.Popen([*REMIND], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        sent = sum(int(re.search(r"(\d+) digest\(s\) sent", out).group(1)) for out in outputs)  # type: ignore[union-attr]
        people = ReminderSent.objects.values("person").distinct().count()
        assert sent == people > 0, outputs
        again = subprocess.run([*REMIND], env=env, capture_output=True, text=True)
        assert " 0 digest(s) sent" in again.stdout

        # A burst of writes through nginx while server A restarts: acknowledged writes are all kept.
        program = world.programs["p1"].pk
        answers: list[int] = []
        lock = threading.Lock()
        with _nginx(tmp_path / "nginx", listen, [port_a, port_b]) as balancer:

            def write(writer: int) -> None:
                for n in range(10):
                    contact = {
                        "program": program,
                        "new_employer_name": f"Scale-out {writer}-{n}",
                        "contacted_on": "2026-12-01",
                        "purpose": "learn",
                    }
                    status, _ = _call(
                        balancer,
                        specialist,
                        "POST",
                        "/api/v1/employer-contacts/",
                        json.dumps(contact).encode(),
                        **{"Content-Type": "application/json"},
                    )
                    with lock:
                        answers.append(status)

            writers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
            for thread in writers:
                thread.start()
            time.sleep(0.5)
            _stop(server_a)  # mid-burst
            server_a = _start_server(port_a, env)
            for thread in writers:
                thread.join(timeout=180)
        assert len(answers) == 40
        assert set(answers) <= {201, 502, 503, 504}, sorted(set(answers))
        acknowledged = answers.count(201)
        assert acknowledged >= 30, answers
        assert Employer.objects.filter(name__startswith="Scale-out ").count() == acknowledged
    finally:
        _stop(server_a)
        _stop(server_b)
