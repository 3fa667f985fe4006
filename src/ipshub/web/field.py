"""Field work offline (issue #25, docs/field-work.md): the /field/ shell and its service worker.

The shell holds no client data: the page's script fetches the offline pack from the API and keeps it, encrypted,
in IndexedDB. So the service worker may precache the shell and its static assets, and nothing else."""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.http import require_GET

from ipshub.lib.signed_in import non_tenant_view
from ipshub.tenancy import access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

app_name = "web"

# Who logs services in the field: the caseload's specialists and their supervisors.
FIELD_ROLES = {Role.EMPLOYMENT_SPECIALIST, Role.IPS_SUPERVISOR}
# The shell's own static files, precached with the page.
SHELL_ASSETS = (
    "ipshub/field/field.css",
    "ipshub/field/field.js",
    "ipshub/field/device.js",
    "idb-keyval/index.js",
    "ipshub/field/icon.svg",
    "ipshub/field/manifest.webmanifest",
)
SW_SOURCE = "ipshub/field/sw.js"


def may_do_field_work(person: Person) -> bool:
    return bool(access.roles_of(person) & FIELD_ROLES)


@require_GET
@non_tenant_view
def field(request: HttpRequest) -> HttpResponse:
    # The shell only: the caseload comes from the offline pack (the API's access layer and audit trail).
    return render(request, "web/field.html", {"may_do_field_work": may_do_field_work(request.user)})  # type: ignore[arg-type]


def _read_static(name: str) -> bytes:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"{name} is missing from the static files: run `npm ci`.")
    with open(found, "rb") as handle:
        return handle.read()


def _revision(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


@cache
def _service_worker() -> str:
    """The worker: Workbox's prod builds from this origin, the precache list with each file's revision (so a
    changed asset replaces the cached one), then the worker's own code. Built once per process."""
    assets = [(static(name), _read_static(name)) for name in SHELL_ASSETS]
    template = get_template("web/field.html").template.source.encode()  # type: ignore[attr-defined]
    shell_revision = _revision(template, *(content for _, content in assets))
    precache = [{"url": "/field/", "revision": shell_revision}]
    precache += [{"url": url, "revision": _revision(content)} for url, content in assets]
    workbox = [static(f"{name}/{name}.prod.js") for name in settings.WORKBOX_MODULES]
    return (
        f"importScripts({', '.join(json.dumps(url) for url in workbox)});\n"
        f"self.FIELD_PRECACHE = {json.dumps(precache)};\n" + _read_static(SW_SOURCE).decode()
    )


@require_GET
@non_tenant_view
def service_worker(request: HttpRequest) -> HttpResponse:
    # Served from /field/ so its scope is /field/ (no Service-Worker-Allowed header needed).
    return HttpResponse(_service_worker(), content_type="text/javascript")


urlpatterns = [
    path("", field, name="field"),
    path("sw.js", service_worker, name="field_service_worker"),
]
