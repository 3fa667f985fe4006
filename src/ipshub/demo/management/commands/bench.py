"""`ipshub bench`: the key pages at county, state and national scale, on PostgreSQL under gunicorn.

For each scale it fills a database of its own (`<name>_<scale>`, made once and reused), starts
gunicorn with 2 workers, and prints per page: median and p95 time, SQL queries, throughput under a
loopback load, and the ratios to a bare "hello world" page served the same way in the same run, both
anonymous and signed in (the same page with a session: the floor of any signed-in page); then the workers'
memory. Each home page's throughput is printed again beside the signed-in floor.
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.demo import field_bench

DEFAULT_URL = "postgres://ipshub:ipshub@127.0.0.1:5432/ipshub_bench"
SCALES = ("county", "state", "national")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scale_url(base: str, scale: str) -> str:
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"{parts.path.rstrip('/')}_{scale}"))


def _ensure_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise CommandError(f"Can't reach PostgreSQL at {admin} ({exc}). Start it, or pass --database-url.") from None


class Command(BaseCommand):
    help = "Benchmark the key pages at each scale on PostgreSQL under gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--field",
            action="store_true",
            help="Instead: the field page (/field/) in Chromium on the demo: bytes on first and repeat visit, and "
            "the time to a usable contact form on slow 3G (demo/field_bench.py).",
        )
        parser.add_argument("--scales", default="county,state", help="Comma-separated: county,state,national.")
        parser.add_argument("--database-url", default=os.environ.get("IPSHUB_BENCH_DATABASE_URL", DEFAULT_URL))
        parser.add_argument("--requests", type=int, default=40, help="Timed requests per page (after 3 warm-ups).")
        parser.add_argument("--load-seconds", type=float, default=3.0, help="Seconds of load per throughput figure.")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--pages", default="", help="Only the pages whose names start with one of these (comma-separated)."
        )
        parser.add_argument(
            "--pg-options",
            default="-c jit=off",
            help="PostgreSQL session settings for the server and the query counts (PGOPTIONS). The default turns "
            "JIT off: on these short queries JIT compiling costs more than it saves (60 ms on the state program "
            "board); the product turns it off too unless PGOPTIONS is set. Pass '-c jit=on' to measure with JIT.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["field"]:
            if not field_bench.run(self.stdout.write, options):
                raise CommandError("The field page missed a target (figures above).")
            return
        scales = [s.strip() for s in options["scales"].split(",") if s.strip()]
        unknown = set(scales) - set(SCALES)
        if unknown:
            raise CommandError(f"Unknown scale(s) {sorted(unknown)}: choose from {', '.join(SCALES)}.")
        if not options["database_url"].startswith("postgres"):
            raise CommandError("The benchmark runs on PostgreSQL: --database-url postgres://USER:PASSWORD@HOST/NAME")
        report: dict[str, Any] = {}
        for scale in scales:
            report[scale] = self.bench_scale(scale, options)
        self.print_report(report, options)

    def bench_scale(self, scale: str, options: dict[str, Any]) -> dict[str, Any]:
        url = _scale_url(options["database_url"], scale)
        _ensure_database(url)
        env = {**os.environ, "DATABASE_URL": url, "IPSHUB_MODE": "demo", "IPSHUB_ALLOWED_HOSTS": "127.0.0.1,testserver"}
        if options["pg_options"]:
            env["PGOPTIONS"] = options["pg_options"]
        ipshub = [sys.executable, "-m", "ipshub"]
        self.stdout.write(f"[{scale}] preparing {urlparse(url).path.lstrip('/')} ...")
        subprocess.run([*ipshub, "migrate", "--verbosity", "0"], env=env, check=True)
        seeded = subprocess.run([*ipshub, "seed", "--scale", scale], env=env, capture_output=True, text=True)
        if seeded.returncode == 0:
            self.stdout.write(seeded.stdout.strip().splitlines()[-1])
        elif "already in this database" not in seeded.stderr:
            raise CommandError(f"Seeding {scale} failed:\n{seeded.stderr}")
        worker = subprocess.run([*ipshub, "bench_worker"], env=env, capture_output=True, text=True, check=True)
        pages = json.loads(worker.stdout.strip().splitlines()[-1])
        wanted = [name.strip() for name in options["pages"].split(",") if name.strip()]
        if wanted:
            pages = [page for page in pages if page["name"].startswith(tuple(wanted))]

        port = _free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        server = subprocess.Popen(
            [
                str(gunicorn),
                "ipshub.wsgi",
                "--workers",
                str(options["workers"]),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            self._wait_until_up(base)
            hello = self.measure(base + "/ping/", {}, options)
            # The same page with a session: the floor of every signed-in page (session, person and seats).
            cookie = next((page["headers"] for page in pages if "Cookie" in page["headers"]), None)
            if cookie is None:
                raise CommandError("No benchmarked page is signed in with a session: nothing to measure the floor by.")
            signed_in = self.measure(base + "/ping/", cookie, options)
            for page in pages:
                page.update(self.measure(base + page["path"], page["headers"], options))
            memory = self._worker_memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=20)
        return {"hello": hello, "signed_in": signed_in, "pages": pages, "memory_mb": memory}

    def _wait_until_up(self, base: str) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping/", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise CommandError("gunicorn did not start.")

    def measure(self, url: str, headers: dict[str, str], options: dict[str, Any]) -> dict[str, float]:

        def fetch() -> float:
            started = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
                response.read()
                if response.status != 200:
                    raise CommandError(f"{url} answered {response.status}")
            return (time.perf_counter() - started) * 1000

        for _ in range(3):
            fetch()
        times = sorted(fetch() for _ in range(options["requests"]))
        return {
            "median_ms": statistics.median(times),
            "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
            "rps": self.throughput(url, headers, options["load_seconds"]),
        }

    def throughput(self, url: str, headers: dict[str, str], seconds: float) -> float:
        wrk = shutil.which("wrk")
        if wrk:
            args = [wrk, "-t2", "-c16", f"-d{max(1, int(seconds))}s", url]
            for key, value in headers.items():
                args += ["-H", f"{key}: {value}"]
            out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                if line.startswith("Requests/sec:"):
                    return float(line.split()[1])
        # No wrk: 16 threads on loopback for the same time (wrk, from Debian, is the better generator).
        count = [0]
        lock = threading.Lock()
        deadline = time.perf_counter() + seconds

        def loop() -> None:
            while time.perf_counter() < deadline:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
                    r.read()
                with lock:
                    count[0] += 1

        threads = [threading.Thread(target=loop) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return count[0] / seconds

    def _worker_memory_mb(self, master: int) -> float:
        children = Path(f"/proc/{master}/task/{master}/children")
        pids = children.read_text().split() if children.exists() else []
        peak = 0.0
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        return peak

    def print_report(self, report: dict[str, Any], options: dict[str, Any]) -> None:
        generator = "wrk -t2 -c16" if shutil.which("wrk") else "16 Python threads"
        self.stdout.write(
            f"\nIPS Hub benchmark — gunicorn {options['workers']} workers, PostgreSQL, load: {generator}, "
            f"{os.cpu_count()} cores, PGOPTIONS {options['pg_options'] or '(server defaults)'}\n"
        )
        header = (
            f"{'scale':<9} {'page':<34} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'req/s':>8} {'× hello':>8} "
            f"{'× signed-in':>11}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for scale, data in report.items():
            hello, signed_in = data["hello"], data["signed_in"]
            rows = [
                {"name": "hello world (/ping/)", "queries": 0, **hello},
                {"name": "hello world, signed in (/ping/)", "queries": 1, **signed_in},
                *data["pages"],
            ]
            for page in rows:
                ratio = page["rps"] / hello["rps"] if hello["rps"] else 0
                floor = page["rps"] / signed_in["rps"] if signed_in["rps"] else 0
                self.stdout.write(
                    f"{scale:<9} {page['name']:<34} {page['median_ms']:>9.1f} {page['p95_ms']:>8.1f} "
                    f"{page['queries']:>7} {page['rps']:>8.0f} {ratio:>8.2f} {floor:>11.2f}"
                )
            for page in data["pages"]:
                if page["name"].startswith("home ("):
                    share = page["rps"] / signed_in["rps"] if signed_in["rps"] else 0
                    self.stdout.write(
                        f"{scale:<9} {page['name']}: {page['rps']:.0f} req/s, median {page['median_ms']:.1f} ms, "
                        f"{page['queries']} queries; the signed-in floor: {signed_in['rps']:.0f} req/s "
                        f"({share:.0%} of it)"
                    )
            self.stdout.write(f"{scale:<9} worker memory (max RSS): {data['memory_mb']:.0f} MB")
