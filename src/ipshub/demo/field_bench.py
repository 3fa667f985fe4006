"""`ipshub bench --field`: the field page (/field/, issue #25) in Chromium on the demo, as production serves it.

The demo is built in a folder of its own (SQLite), the static files collected with their gzip and brotli copies
(production's storage), and gunicorn serves them through whitenoise. Chromium then opens /field/ as the demo's
specialist at a phone's size and prints, for each network profile: the bytes transferred (compressed, headers
included) on the first visit and on a repeat visit (the service worker and the encrypted pack in place), what
the service worker's install fetched besides, and the time from navigation to a usable contact form (the page's
`ipshub-field-usable` mark)."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Error, Page, Request, ViewportSize, sync_playwright

from ipshub.demo.chromium import CHROMIUM_ARGS
from ipshub.demo.demo_state import DEMO_PASSWORD

# Chromium's DevTools presets (front_end/core/sdk/NetworkManager.ts): Slow 3G is 400 ms × 5 of latency and
# 500 kbit/s × 0.8 each way; the figures are the same line without the latency factor. A first visit is one
# round trip (the page carries its scripts and the pack), a repeat visit none before the form.
PROFILES = (
    ("Slow 3G (DevTools: 2000 ms RTT, 400 kbit/s)", 2000, 50_000),
    ("400 ms RTT, 400 kbit/s", 400, 50_000),
)
TARGETS = {"first_kb": 150, "repeat_kb": 20, "usable_s": 3.0}
PHONE: ViewportSize = {"width": 390, "height": 844}
USABLE = "() => { const m = performance.getEntriesByName('ipshub-field-usable')[0]; return m ? m.startTime : null; }"


@dataclass
class Visit:
    page_bytes: int = 0
    worker_bytes: int = 0
    usable_ms: float = 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chromium() -> str:
    path = os.environ.get("IPSHUB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is missing: install it with `apt-get install -y chromium`.")
    return path


class Transfers:
    """Bytes over the network (body as sent, compressed, plus headers), split between the page and its worker."""

    def __init__(self, context: BrowserContext) -> None:
        self.page = 0
        self.worker = 0
        context.on("requestfinished", self._finished)

    def _finished(self, request: Request) -> None:
        response = request.response()
        if response is None or response.from_service_worker:
            return  # answered by the worker's cache: nothing crossed the network
        try:
            sizes = request.sizes()
        except Error:  # a request that ended as its page closed: counted by nobody
            return
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if request.service_worker is not None:
            self.worker += size
        else:
            self.page += size

    def take(self) -> tuple[int, int]:
        taken = (self.page, self.worker)
        self.page = self.worker = 0
        return taken


def _throttle(context: BrowserContext, page: Page, latency: int, throughput: int) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency, "downloadThroughput": throughput, "uploadThroughput": throughput},
    )


def _visit(context: BrowserContext, base: str, transfers: Transfers, latency: int, throughput: int) -> Visit:
    page = context.new_page()
    _throttle(context, page, latency, throughput)
    transfers.take()
    page.goto(base + "/field/", wait_until="load")
    page.wait_for_function(USABLE, timeout=60_000)
    usable = float(page.evaluate(USABLE))
    # Let the pack, the worker's install and its precache finish before counting.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    page_bytes, worker_bytes = transfers.take()
    page.close()
    return Visit(page_bytes, worker_bytes, usable)


def _measure(base: str, user_dir: Path, latency: int, throughput: int) -> tuple[Visit, Visit]:
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(user_dir), executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True, viewport=PHONE
        )
        try:
            transfers = Transfers(context)
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(base + "/accounts/login/")
            page.get_by_label("Username").fill("specialist")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("load")
            page.close()
            first = _visit(context, base, transfers, latency, throughput)
            repeat = _visit(context, base, transfers, latency, throughput)
        finally:
            context.close()
    return first, repeat


def _wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/ping/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start at {base}.")


def run(write: Callable[[str], Any], options: dict[str, Any]) -> bool:
    """Writes the figures (line by line, each ending in a newline); True when every target is met."""
    folder = Path(tempfile.mkdtemp(prefix="ipshub-bench-field-"))
    env = {
        **os.environ,
        "IPSHUB_MODE": "demo",
        "IPSHUB_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "IPSHUB_SECRET_KEY": secrets.token_urlsafe(40),
        "IPSHUB_STATIC_FROM_FINDERS": "0",
    }
    ipshub = [sys.executable, "-m", "ipshub"]
    write(f"Building the demo in {folder} ...\n")
    subprocess.run([*ipshub, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    subprocess.run([*ipshub, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "ipshub.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    met = True
    try:
        _wait_until_up(base)
        with urllib.request.urlopen(
            urllib.request.Request(base + "/static/ipshub/field/field.js", headers={"Accept-Encoding": "br, gzip"})
        ) as response:
            encoding = response.headers.get("Content-Encoding") or "none"
        write(f"Static files served with Content-Encoding: {encoding}\n\n")
        write(f"{'profile':<46} {'visit':<7} {'page KB':>8} {'worker KB':>10} {'usable s':>9}\n")
        for number, (name, latency, throughput) in enumerate(PROFILES):
            first, repeat = _measure(base, folder / f"chromium-{number}", latency, throughput)
            for label, visit in (("first", first), ("repeat", repeat)):
                write(
                    f"{name:<46} {label:<7} {visit.page_bytes / 1000:>8.1f} {visit.worker_bytes / 1000:>10.1f} "
                    f"{visit.usable_ms / 1000:>9.2f}\n"
                )
            met &= first.page_bytes + first.worker_bytes <= TARGETS["first_kb"] * 1000
            met &= repeat.page_bytes + repeat.worker_bytes <= TARGETS["repeat_kb"] * 1000
            met &= max(first.usable_ms, repeat.usable_ms) <= TARGETS["usable_s"] * 1000
        write(
            f"\nTargets: first visit (page + worker) < {TARGETS['first_kb']} KB, repeat < {TARGETS['repeat_kb']} KB, "
            f"usable form < {TARGETS['usable_s']:.0f} s (first and repeat visits, every profile): "
            f"{'met' if met else 'NOT met'}.\n"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
    return met
