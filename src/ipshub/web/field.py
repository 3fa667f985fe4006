"""Field work offline (issue #25, docs/field-work.md): the /field/ page, its pack-free shell and its service worker.

A first visit is usable in one response (on DevTools' Slow 3G a round trip takes 2 s): the page carries its style
sheet and scripts inline (device.js, and field.js with the idb-keyval module it imports), allowed by their sha256
hashes in the page's CSP, and the offline pack inline (a disclosure recorded as the pack API records it). That
response is never stored. The service worker precaches the shell (/field/shell/: the same page without the pack,
so no client data is ever in a cache) and answers every /field/ navigation with it; the page then shows the pack
kept encrypted on the device and refreshes it from the API."""

import base64
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from ipshub.accounts.middleware import SIGNED_IN_AT, content_security_policy
from ipshub.lib.signed_in import non_tenant_view
from ipshub.tenancy import access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role
from ipshub.web.field_pack import offline_pack

app_name = "web"

# Who logs services in the field: the caseload's specialists and their supervisors.
FIELD_ROLES = {Role.EMPLOYMENT_SPECIALIST, Role.IPS_SUPERVISOR}
# The page's own files, inlined into it (the files stay the source: read through the staticfiles finders).
STYLE = "ipshub/field/field.css"
CLASSIC_SCRIPT = "ipshub/field/device.js"
MODULE = "ipshub/field/field.js"
# What the service worker precaches besides the shell: the files the shell links to.
SHELL_ASSETS = ("ipshub/field/icon.svg", "ipshub/field/manifest.webmanifest")
SW_SOURCE = "ipshub/field/sw.js"
SHELL_URL = "/field/shell/"


def may_do_field_work(person: Person) -> bool:
    return bool(access.roles_of(person) & FIELD_ROLES)


def _read_static(name: str) -> bytes:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"{name} is missing from the static files: run `npm ci`.")
    with open(found, "rb") as handle:
        return handle.read()


# --- The inline style sheet and scripts --------------------------------------------------------------------------

# The only module syntax the page's scripts use: `import { a, b } from "./relative.js";` in field.js, and one
# `export { a, b as c };` at the end of what it imports (idb-keyval's ES build). Anything else fails loudly here.
_IMPORT = re.compile(r'^import \{([^}]*)\} from "([^"]+)";\n', re.M)
_EXPORT = re.compile(r"^export \{([^}]*)\};?\s*$", re.M)


def _names(listing: str) -> list[tuple[str, str]]:
    """`a, b as c` -> [("a", "a"), ("b", "c")]: (local name, exported name)."""
    pairs = []
    for part in filter(None, (p.strip() for p in listing.split(","))):
        local, _as, exported = part.partition(" as ")
        pairs.append((local.strip(), (exported or local).strip()))
    return pairs


def _inlined_module(name: str) -> str:
    """field.js with each module it imports inlined in a function scope of its own (no clash of top-level names):
    one script, so no further request on a slow line."""
    source = _read_static(name).decode()

    def inline(match: re.Match[str]) -> str:
        imported = posixpath.normpath(posixpath.join(posixpath.dirname(name), match.group(2)))
        code = _read_static(imported).decode()
        exports = _EXPORT.findall(code)
        if (
            len(exports) != 1
            or _IMPORT.search(code)
            or re.search(r"^\s*(import|export)\b", _EXPORT.sub("", code), re.M)
        ):
            raise ValueError(f"{imported}: expected one `export {{…}}` and no imports, to inline it in {name}.")
        body = _EXPORT.sub("", code)
        returned = ", ".join(f"{exported}: {local}" for local, exported in _names(exports[0]))
        wanted = ", ".join(
            exported if local == exported else f"{exported}: {local}" for exported, local in _names(match.group(1))
        )
        return f"const {{ {wanted} }} = (() => {{\n{body}\nreturn {{ {returned} }};\n}})();\n"

    bundled = _IMPORT.sub(inline, source)
    if re.search(r"^\s*(import|export)\b", bundled, re.M):
        raise ValueError(f'{name}: only `import {{…}} from "…";` can be inlined.')
    return bundled


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@dataclass(frozen=True)
class Inline:
    style: str
    classic: str
    module: str
    csp: str  # the page's CSP: these texts' hashes


@cache
def _inline() -> Inline:
    """Read and hashed once per process: the hashes in the CSP are of exactly these texts."""
    style, classic = _read_static(STYLE).decode(), _read_static(CLASSIC_SCRIPT).decode()
    module = _inlined_module(MODULE)
    for text in (style, classic, module):
        if "</script" in text.lower() or "</style" in text.lower():
            raise ValueError("An inlined file would close its own element early.")
    csp = content_security_policy(scripts=[_hash(classic), _hash(module)], styles=[_hash(style)])
    return Inline(style, classic, module, csp)


# --- The page's words, in the person's language ------------------------------------------------------------------


def _strings() -> dict[str, Any]:
    """Every text field.js shows, translated (issue #24). A count's text is [one, other]: the two forms of English
    and Spanish (a language with more plural forms would need them here)."""
    one_other = (1, 2)
    return {
        "employer_contact": _("Employer contact"),
        "support_contact": _("Support contact"),
        "progress_note": _("Progress note"),
        "field_mentoring": _("Field mentoring"),
        "client": _("Client"),
        "client_hint": _("Optional: the client this contact is for."),
        "choose_client": _("Choose the client."),
        "program": _("Program"),
        "choose_program": _("Choose the program."),
        "employer": _("Employer"),
        "employer_hint": _("Or type a new employer's name below."),
        "new_employer_name": _("New employer's name"),
        "choose_employer": _("Choose the employer, or type a new employer's name."),
        "contacted_on": _("Date of the contact"),
        "enter_contacted_on": _("Enter the date of the contact."),
        "purpose": _("Purpose"),
        "choose_purpose": _("Choose the purpose."),
        "face_to_face": _("Face to face"),
        "follows_preferences": _("Fits the client's preferences"),
        "outcome": _("Outcome"),
        "support_kind": _("Kind of support"),
        "choose_support_kind": _("Choose the kind of support."),
        "setting": _("Setting"),
        "choose_setting": _("Choose the setting."),
        "note": _("Note"),
        "enter_note": _("Enter the note."),
        "date": _("Date"),
        "enter_date": _("Enter the date."),
        "note_kind": _("Kind of note"),
        "choose_note_kind": _("Choose the kind of note."),
        "shareable_with_dvr": _("May be shared with DVR"),
        "specialist": _("Specialist mentored"),
        "choose_specialist": _("Choose the specialist mentored."),
        "activity": _("Activity"),
        "choose_activity": _("Choose the activity."),
        "feedback": _("Feedback given"),
        "enter_feedback": _("Enter the feedback given."),
        "next_steps": _("Next steps"),
        "hours": _("Hours"),
        "in_future": _("%(label)s is in the future: log it once it has happened."),
        "not_hours": _("%(label)s is a number of hours, such as 1.5."),
        "choose": _("- Choose -"),
        "none": _("- None -"),
        "not_said": _("- Not said -"),
        "yes": _("Yes"),
        "no": _("No"),
        "required": _("(required)"),
        "waiting_badge": [ngettext("%(count)s entry waiting", "%(count)s entries waiting", n) for n in one_other],
        "problems": [ngettext("There is a problem", "There are %(count)s problems", n) for n in one_other],
        "what_logging": _("What are you logging?"),
        "correct": _("Correct this entry: %(kind)s"),
        "save": _("Save on this device"),
        "cancel": _("Cancel"),
        "saved_sending": _("Saved on this device. Sending…"),
        "saved_waiting": _("Saved on this device. It will be sent when there is a signal."),
        "waiting_title": _("Waiting on this device"),
        "nothing_waiting": _("Nothing is waiting: everything saved here has been sent."),
        "waiting_entry": _("Waiting to be sent."),
        "not_recorded": _("Not recorded: fix what is wrong, or discard it."),
        "edit": _("Edit"),
        "discard": _("Discard"),
        "discarded": _("Discarded."),
        "changed": _("Something changed meanwhile."),
        "record_anyway": _("Record it anyway"),
        "sync_now": _("Sync now"),
        "nothing_to_send": _("Nothing to send."),
        "no_signal": _("No signal: entries wait on this device."),
        "sending": [ngettext("Sending %(count)s entry…", "Sending %(count)s entries…", n) for n in one_other],
        "sign_in_again": _("Sign in again to send the entries waiting here; they stay on this device."),
        "refused": _(
            "The server did not take the entries (error %(status)s); they stay on this device. Try again later."
        ),
        "synced": _("Synced: %(sent)s sent, %(problems)s with problems to fix, %(conflicts)s to decide on."),
        "no_connection": _("No connection: entries wait on this device."),
        "log_title": _("Log an entry"),
        "wiped": _(
            "Your session's time limit passed, so this device's field data was wiped. Sign in again while online."
        ),
        "open_online": _("Open this page once while online to keep your caseload on this device."),
    }


# --- The views ---------------------------------------------------------------------------------------------------


def _page(request: HttpRequest, pack: dict[str, Any] | None) -> HttpResponse:
    allowed = may_do_field_work(request.user)  # type: ignore[arg-type]
    texts = _inline()
    response = render(
        request,
        "web/field.html",
        {
            "may_do_field_work": allowed,
            "inline": texts,
            "strings": _strings(),
            "pack": pack,
            "worker_url": reverse("web:field_service_worker"),
        },
    )
    response["Content-Security-Policy"] = texts.csp
    response["Cache-Control"] = "no-store"  # the pack names clients: never in the HTTP cache
    return response


# Compressed (a quarter of the bytes on a slow line): whitenoise compresses the static files, nothing else does
# pages. Django's gzip pads each answer with random bytes against BREACH, and the page echoes nothing sent to it.
@gzip_page
@require_GET
@non_tenant_view
def field(request: HttpRequest) -> HttpResponse:
    """The page with the pack inline: a first visit needs no second request. The same disclosure, and the same
    audit event, as GET /api/v1/offline/pack/ (api/offline.py)."""
    person: Person = request.user  # type: ignore[assignment]
    pack = offline_pack(person, request.session.get(SIGNED_IN_AT)) if may_do_field_work(person) else None
    return _page(request, pack)


@gzip_page
@require_GET
@non_tenant_view
def shell(request: HttpRequest) -> HttpResponse:
    """The page without the pack (no client data, no disclosure): what the service worker precaches."""
    return _page(request, None)


def _revision(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


@cache
def _service_worker(language: str) -> str:
    """The worker: Workbox's prod builds from this origin, the precache list with each file's revision (so a
    changed file replaces the cached one), then the worker's own code. Built once per process and language: the
    shell is in the person's language, so a change of language is a new worker, which precaches it again."""
    assets = [(static(name), _read_static(name)) for name in SHELL_ASSETS]
    template = get_template("web/field.html").template.source.encode()  # type: ignore[attr-defined]
    texts = _inline()
    words = json.dumps(_strings(), sort_keys=True).encode()
    shell_revision = _revision(
        language.encode(), template, words, texts.style.encode(), texts.classic.encode(), texts.module.encode()
    )
    precache = [{"url": SHELL_URL, "revision": shell_revision}]
    precache += [{"url": url, "revision": _revision(content)} for url, content in assets]
    workbox = [static(f"{name}/{name}.prod.js") for name in settings.WORKBOX_MODULES]
    return (
        f"importScripts({', '.join(json.dumps(url) for url in workbox)});\n"
        f"self.FIELD_PRECACHE = {json.dumps(precache)};\n"
        f"self.FIELD_SHELL = {json.dumps(SHELL_URL)};\n" + _read_static(SW_SOURCE).decode()
    )


@require_GET
@non_tenant_view
def service_worker(request: HttpRequest) -> HttpResponse:
    # Served from /field/ so its scope is /field/ (no Service-Worker-Allowed header needed).
    return HttpResponse(_service_worker(get_language()), content_type="text/javascript")


urlpatterns = [
    path("", field, name="field"),
    path("shell/", shell, name="field_shell"),
    path("sw.js", service_worker, name="field_service_worker"),
]
