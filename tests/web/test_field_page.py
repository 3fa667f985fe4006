"""The field page's one response (issue #25, web/field.py): on /field/ the offline pack inline, recorded as the pack
API records it, never stored; its style sheet and scripts inline, the static files' own text, allowed by their
hashes in the CSP (no 'unsafe-inline'); the pack-free shell the service worker precaches; the page's words in the
person's language. The browser's side is tests/web/test_browser_field.py."""

import base64
import datetime
import hashlib
import json
import re

import pytest
from django.contrib.staticfiles import finders

from ipshub.audit.models import AuditEvent
from tests.clients.factories import enroll
from tests.world import World

pytestmark = pytest.mark.django_db
FIELD, SHELL, WORKER, PACK = "/field/", "/field/shell/", "/field/sw.js", "/api/v1/offline/pack/"
EVENT_FIELDS = ("actor_id", "action", "object_type", "object_id", "summary", "state_id", "detail")


def _json_block(html: str, element_id: str) -> object:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def _sources(csp: str, directive: str) -> list[str]:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == directive:
            return words[1:]
    raise AssertionError(f"No {directive} in {csp}")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _static(name: str) -> str:
    with open(finders.find(name), encoding="utf-8") as handle:
        return handle.read()


def test_the_page_carries_the_pack_and_records_the_same_disclosure_as_the_api(world: World, client_for) -> None:
    mine = enroll(world, first="Ana", last="Ruiz")
    browser = client_for(world.specialist)
    response = browser.get(FIELD)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    inline = _json_block(page, "field-pack")
    [from_page] = AuditEvent.objects.filter(action="client.offline_pack")
    assert from_page.detail["enrollments"] == [mine.pk]

    api = browser.get(PACK).json()
    from_api = AuditEvent.objects.filter(action="client.offline_pack").exclude(pk=from_page.pk).get()
    assert [getattr(from_page, f) for f in EVENT_FIELDS] == [getattr(from_api, f) for f in EVENT_FIELDS]
    for part in ("person", "programs", "caseload", "employers", "specialists", "choices"):
        assert inline[part] == api[part], part
    # The same instant (the API writes it in the local time zone, the page in UTC).
    instant = datetime.datetime.fromisoformat
    assert instant(inline["wipe_after"]).replace(microsecond=0) == instant(api["wipe_after"]).replace(microsecond=0)


def test_the_shell_holds_no_client_data_and_the_worker_precaches_it_not_the_page(world: World, client_for) -> None:
    enroll(world, first="Ana", last="Ruiz")
    browser = client_for(world.specialist)
    shell = browser.get(SHELL)
    assert shell.status_code == 200 and shell["Cache-Control"] == "no-store"
    html = shell.content.decode()
    assert _json_block(html, "field-pack") is None and "Ruiz" not in html
    assert _json_block(html, "field-strings")["log_title"] == "Log an entry"
    assert not AuditEvent.objects.filter(action="client.offline_pack").exists()
    precache = json.loads(re.search(r"self\.FIELD_PRECACHE = (.*);", browser.get(WORKER).content.decode()).group(1))
    urls = [entry["url"] for entry in precache]
    assert SHELL in urls and FIELD not in urls


@pytest.mark.parametrize("path", [FIELD, SHELL])
def test_the_inline_style_and_scripts_are_the_static_files_allowed_by_their_hashes(
    world: World, client_for, path: str
) -> None:
    enroll(world)
    response = client_for(world.specialist).get(path)
    html, csp = response.content.decode(), response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    scripts = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 2 and len(styles) == 1
    assert sorted(_sources(csp, "script-src")) == sorted(["'self'", *map(_hash, scripts)])
    assert sorted(_sources(csp, "style-src")) == sorted(["'self'", *map(_hash, styles)])
    # The files in static/ are the source: inlined as they are, field.js with idb-keyval in place of its import.
    assert styles[0] == _static("ipshub/field/field.css") and scripts[0] == _static("ipshub/field/device.js")
    field_js = _static("ipshub/field/field.js")
    assert field_js.split("\n", 7)[-1].split("\nconst store")[0] in scripts[1]
    assert "function promisifyRequest" in scripts[1] and "import " not in scripts[1].split("\n", 8)[-1][:2000]
    assert "src=" not in "".join(re.findall(r"<script[^>]*>", html))  # nothing more to fetch before the form


def test_the_page_speaks_the_persons_language(world: World, client_for) -> None:
    world.specialist.language = "es"
    world.specialist.save(update_fields=["language"])
    browser = client_for(world.specialist)
    for path in (FIELD, SHELL):
        html = browser.get(path).content.decode()
        assert '<html lang="es">' in html
        words = _json_block(html, "field-strings")
        assert words["log_title"] == "Registrar una entrada"
        assert words["waiting_badge"] == ["%(count)s entrada en espera", "%(count)s entradas en espera"]
    # The worker is another for another language: the precached shell is fetched again in the new one.
    spanish = browser.get(WORKER).content
    world.specialist.language = "en"
    world.specialist.save(update_fields=["language"])
    assert client_for(world.specialist).get(WORKER).content != spanish
