"""Field work offline (issue #25), in Chromium with a profile on disk, so closing and reopening the browser keeps
what the page stored (IndexedDB, the service worker and its cache) as on a phone.

The demo's specialist goes offline, logs entries, closes the browser; reopened offline the page still works
from the service worker; back online the entries sync and become records whose audit events carry the time they
were logged on the device. A client transferred meanwhile is a conflict the person decides. Signing out leaves
no client data in IndexedDB or the caches. The page and its cached shell speak the person's language. Four
browser launches in all."""

import datetime
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from ipshub.api.models import OfflineEntry
from ipshub.audit.models import AuditEvent
from ipshub.clients.models import EmployerContact, Enrollment, ProgressNote, SupportContact
from ipshub.clients.services import enrollment_assign
from ipshub.collaboration.models import MentoringSession
from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Person
from tests.browsing import CHROMIUM_ARGS, PHONE, check_axe, chromium_path, wider_than_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# A support contact's two choices: the first of each.
CHOICES: dict[str, str | None] = {"Kind of support": None, "Setting": None}
SECOND = datetime.timedelta(seconds=1)

# What the device keeps, as the page's own origin sees it: every IndexedDB database with every value of every
# store (the encrypted ones as their bytes), and every cache with the URLs it holds.
DEVICE_JS = """async () => {
  const out = {databases: {}, caches: {}};
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result);
                                                r.onerror = () => no(r.error); });
    out.databases[info.name] = {};
    for (const name of db.objectStoreNames) {
      const values = await new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll();
                                                 r.onsuccess = () => ok(r.result); });
      out.databases[info.name][name] = values.map((v) => JSON.stringify(v, (k, x) =>
        x instanceof ArrayBuffer || ArrayBuffer.isView(x) ? Array.from(new Uint8Array(x.buffer || x)) : x));
    }
    db.close();
  }
  for (const key of await caches.keys()) {
    out.caches[key] = (await (await caches.open(key)).keys()).map((r) => r.url);
  }
  return out;
}"""


@contextmanager
def phone(driver: Playwright, profile: str) -> Iterator[BrowserContext]:
    """A phone's browser with a profile on disk, so closing and reopening it keeps IndexedDB and the worker."""
    context = driver.chromium.launch_persistent_context(
        profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, viewport=PHONE
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        # The pages first, while the routes and the offline emulation still hold: closing the context with them
        # open can lift both before the pages are gone, and a page that then sees `online` sends its queue (the
        # entry found on the server, its answer lost, before the reopening; see _offline).
        for page in context.pages:
            page.close()
        context.close()


# The page's calls to the server (the pack, the sync): outside the service worker's scope (/field/), so the
# context's routes see them.
SERVER_CALLS = re.compile(r"/api/v1/")


def _offline(context: BrowserContext, page: Page | None = None) -> None:
    """No signal, and the page knows it. Chromium's offline emulation alone once let a sync through while the
    page had believed itself offline (a CI run found an entry saved on the server, its answer lost): the
    server's calls are cut as well, so an entry logged now can only leave the device once `_online` is called."""
    context.route(SERVER_CALLS, lambda route: route.abort("internetdisconnected"))
    context.set_offline(True)
    # The page learns of a network change a moment after the browser: an entry saved before that would be sent.
    if page is not None:
        page.wait_for_function("() => navigator.onLine === false")


def _online(context: BrowserContext) -> None:
    """The signal is back: the page's `online` event sends what waits."""
    context.unroute(SERVER_CALLS)
    context.set_offline(False)


def _page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def _checked(page: Page) -> None:
    """axe (WCAG 2.1 AA) and no sideways scrolling at 390 px; online only (axe is loaded from the server)."""
    check_axe(page)
    assert not wider_than_the_screen(page)


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def _open_field(page: Page, base: str, heading: str = "Log an entry") -> None:
    page.goto(base + "/field/")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # The shell is precached before the test takes the signal away.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def _log(page: Page, kind: str, fields: dict[str, str | None], waiting: int) -> None:
    """Log one entry; a field given None takes its first choice. `waiting`: the badge's count after it."""
    page.get_by_label(kind, exact=True).check()
    for label, value in fields.items():
        control = page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))
        if value is None:
            control.select_option(index=1)
        elif control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    page.get_by_role("button", name="Save on this device").click()
    expect(page.locator("#field-badge")).to_have_text(f"{waiting} {'entry' if waiting == 1 else 'entries'} waiting")


def _caseload(username: str) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(specialist__username=username, closed_on__isnull=True)
        .select_related("client")
        .order_by("pk")
    )


def test_entries_logged_offline_survive_closing_the_browser_and_sync_dated_when_logged(
    playwright_driver: Playwright, live_server, demo
) -> None:
    base = live_server.url
    profile = tempfile.mkdtemp(prefix="ipshub-field-")
    client = _caseload("specialist")[0]
    name = f"{client.client.first_name} {client.client.last_name}"
    today = timezone.localdate().isoformat()
    with phone(playwright_driver, profile) as context:
        page = _page(context)
        _sign_in(page, base, "specialist")
        expect(page.locator(".usa-nav a", has_text="Field work")).to_have_count(1)  # in the (folded) navigation
        _open_field(page, base)
        _checked(page)
        # Bad input is caught on the device: every problem at once, what was typed kept.
        page.get_by_label("Outcome").fill("Met the manager")
        page.get_by_role("button", name="Save on this device").click()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("There are 4 problems")  # the program too: Jamie works in two
        expect(summary).to_contain_text("Enter the date of the contact.")
        expect(page.get_by_label("Outcome")).to_have_value("Met the manager")
        page.get_by_label(re.compile("^Date of the contact")).fill("2099-01-01")
        page.get_by_role("button", name="Save on this device").click()
        expect(summary).to_contain_text("in the future")
        _checked(page)

        program = page.get_by_label(re.compile("^Program")).locator("option").nth(1).inner_text()
        _offline(context, page)
        logged_from = timezone.now()
        for number in range(3):
            _log(
                page,
                "Employer contact",
                {
                    "Program": program,
                    "New employer's name": f"Field Bakery {number}",
                    "Date of the contact": today,
                    "Purpose": "Learn the employer's needs",
                },
                number + 1,
            )
        _log(
            page,
            "Support contact",
            {"Client": name, "Date of the contact": today, **CHOICES},
            4,
        )
        logged_until = timezone.now()
        expect(page.locator("#field-badge")).to_have_text("4 entries waiting")
        expect(page.locator("#field-status")).to_contain_text("It will be sent when there is a signal")
        stored = page.evaluate(DEVICE_JS)["databases"]["ipshub-field"]["kv"]
        assert not any("Field Bakery" in value or name in value for value in stored)  # encrypted at rest
    assert not EmployerContact.objects.filter(employer__name__startswith="Field Bakery").exists()

    with phone(playwright_driver, profile) as context:
        _offline(context)
        page = _page(context)
        page.goto(base + "/field/")  # from the service worker's cache: there is no signal
        expect(page.locator("#field-badge")).to_have_text("4 entries waiting")
        expect(page.get_by_text("Support contact ·")).to_contain_text(name)
        _online(context)  # the `online` event sends the queue
        expect(page.locator("#field-status")).to_contain_text("Synced: 4 sent", timeout=30_000)
        expect(page.locator("#field-badge")).to_be_hidden()
        _checked(page)

        contacts = EmployerContact.objects.filter(employer__name__startswith="Field Bakery").order_by("pk")
        assert [c.employer.name for c in contacts] == [f"Field Bakery {n}" for n in range(3)]  # in order
        support = SupportContact.objects.get(enrollment=client, contacted_on=timezone.localdate())
        events = [
            *AuditEvent.objects.filter(action="employer.contact", object_id__in=[str(c.pk) for c in contacts]),
            *AuditEvent.objects.filter(action="client.support_contact", object_id=str(support.pk)),
        ]
        assert len(events) == 4
        for event in events:
            logged_at = datetime.datetime.fromisoformat(event.detail["logged_at"])
            # Dated when logged on the device, before the browser was closed; recorded (`at`) at the sync.
            assert (
                logged_from - datetime.timedelta(seconds=1) <= logged_at <= logged_until + datetime.timedelta(seconds=1)
            )
            assert event.at > logged_until and event.detail["offline_entry"]

        # Signing out wipes the device: the key, the encrypted pack (the caseload's names) and the page's cache.
        before = page.evaluate(DEVICE_JS)
        assert {"ipshub-field"} <= set(before["databases"]) and len(before["databases"]["ipshub-field"]["kv"]) >= 4
        cached = [url for urls in before["caches"].values() for url in urls]
        # The pack-free shell is cached (what answers /field/ offline); /field/ itself, the pack inline, never.
        assert any(url.startswith(base + "/field/shell/?") for url in cached), cached
        assert not any(url.startswith((base + "/field/?", base + "/api/")) for url in cached), cached
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_label("Username")).to_be_visible()
        kept = page.evaluate(DEVICE_JS)
        assert kept["caches"] == {}, kept["caches"]
        assert all(not stores or all(not v for v in stores.values()) for stores in kept["databases"].values()), kept
        assert not page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)")


def test_a_client_transferred_meanwhile_is_a_conflict_the_person_decides(
    playwright_driver: Playwright, live_server, demo
) -> None:
    base = live_server.url
    client = _caseload("specialist")[0]
    name = f"{client.client.first_name} {client.client.last_name}"
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    with phone(playwright_driver, tempfile.mkdtemp(prefix="ipshub-field-")) as context:
        page = _page(context)
        _sign_in(page, base, "specialist")
        _open_field(page, base)
        _offline(context, page)
        for number, note in enumerate(["Anyway", "Not needed"]):
            support = {
                "Client": name,
                "Date of the contact": yesterday,
                "Kind of support": None,
                "Setting": None,
                "Note": note,
            }
            _log(page, "Support contact", support, number + 1)
        # Meanwhile the supervisor moves the client to another specialist. (On PostgreSQL, after the demo was
        # restored from its copy, this thread's connection was found ended by then: a new one for the write.)
        connection.close()
        enrollment_assign(
            actor=Person.objects.get(username="supervisor"),
            enrollment=client,
            specialist=Person.objects.get(username="flopez"),
            reason="Frankie works near the client's home.",
        )
        _online(context)
        status = page.locator("#field-status")
        expect(status).to_contain_text("2 to decide on", timeout=30_000)
        conflicts = page.locator(".entry.conflict")
        expect(conflicts).to_have_count(2)
        expect(conflicts.first).to_contain_text("moved to another employment specialist")
        _checked(page)
        # Nothing was written or dropped: both wait for the person's decision.
        assert not SupportContact.objects.filter(enrollment=client, note__in=["Anyway", "Not needed"]).exists()
        expect(page.locator("#field-badge")).to_have_text("2 entries waiting")

        conflicts.nth(1).get_by_role("button", name="Discard").click()
        expect(status).to_contain_text("1 sent")  # the discard is settled on the server
        assert OfflineEntry.objects.filter(outcome=OfflineEntry.Outcome.DISCARDED).count() == 1
        page.locator(".entry.conflict").get_by_role("button", name="Record it anyway").click()
        # Jamie may no longer record for the client (the access layer): the entry stays with the reason.
        expect(page.locator(".entry.problems")).to_have_count(1)
        expect(page.locator("#field-badge")).to_have_text("1 entry waiting")
        assert not SupportContact.objects.filter(enrollment=client, note="Anyway").exists()
        # Signing out now would delete the entry with the rest: the person is asked, and staying keeps it.
        # Dismissed by a handler as it opens: a dialog left open until the click returns blocks the page, and
        # with it the click's own wait for what it started (a timeout whenever the dialog opened quickly).
        page.once("dialog", lambda dialog: dialog.dismiss())
        with page.expect_event("dialog") as asked:
            page.get_by_role("button", name="Sign out").click()
        assert "not been sent" in asked.value.message, asked.value.message
        expect(page.locator("#field-badge")).to_have_text("1 entry waiting")
        page.locator(".entry.problems").get_by_role("button", name="Discard").click()
        expect(page.locator("#field-badge")).to_be_hidden()
        _checked(page)

        # Online, an entry is sent at once: a progress note for a client still on Jamie's caseload.
        other = _caseload("specialist")[0]
        note = {"Client": f"{other.client.first_name} {other.client.last_name}", "Date": yesterday}
        _log(page, "Progress note", {**note, "Kind of note": None, "Note": "Talked through the job fair."}, 1)
        expect(page.locator("#field-badge")).to_be_hidden()
        assert ProgressNote.objects.filter(enrollment=other, text="Talked through the job fair.").exists()

        # The supervisor mentors in the field; the pack lists whom.
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_label("Username")).to_be_visible()
        _sign_in(page, base, "supervisor")
        _open_field(page, base)
        mentoring = {
            "Program": None,
            "Specialist mentored": None,
            "Date": yesterday,
            "Activity": None,
            "Feedback given": "Good pace.",
        }
        _log(page, "Field mentoring", mentoring, 1)
        expect(page.locator("#field-badge")).to_be_hidden()
        assert MentoringSession.objects.filter(supervisor__username="supervisor", feedback="Good pace.").exists()
        _checked(page)

        # Past the session's absolute limit (the pack's wipe_after) the page wipes the device when it opens.
        _offline(context, page)
        _log(page, "Field mentoring", {**mentoring, "Feedback given": "Never sent."}, 1)
        page.evaluate(
            """() => new Promise((done) => { const r = indexedDB.open("ipshub-field"); r.onsuccess = () => {
                 const tx = r.result.transaction("kv", "readwrite");
                 tx.objectStore("kv").put("2000-01-01T00:00:00Z", "wipe_after");
                 tx.oncomplete = () => { r.result.close(); done(); }; }; })"""
        )
        page.reload()
        expect(page.get_by_text("this device's field data was wiped")).to_be_visible()
        # Another page of the site: the field page's own connection held the emptied database open until it went.
        _online(context)
        page.goto(base + "/ping/")
        kept = page.evaluate(DEVICE_JS)
        assert not any(any(stores.values()) for stores in kept["databases"].values()) and not kept["caches"], kept


def test_the_page_and_its_cached_shell_speak_the_persons_language(
    playwright_driver: Playwright, live_server, demo
) -> None:
    """Frankie works in Spanish: the page (one response: its scripts and style inline, allowed by the CSP) and
    the shell the service worker keeps for it are in Spanish."""
    base = live_server.url
    with phone(playwright_driver, tempfile.mkdtemp(prefix="ipshub-field-")) as context:
        page = _page(context)
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
        _sign_in(page, base, "flopez")
        _open_field(page, base, heading="Registrar una entrada")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        assert page.evaluate("!!document.getElementById('field-pack')")  # the first visit's one response
        page.get_by_role("button", name="Guardar en este dispositivo").click()
        expect(page.get_by_role("alert")).to_contain_text("Escriba la fecha del contacto.")
        _checked(page)
        # Again, now from the service worker: its shell has no pack, and is in Spanish too.
        page.reload()
        expect(page.get_by_role("heading", name="Registrar una entrada")).to_be_visible()
        assert page.evaluate("navigator.serviceWorker.controller !== null && !document.getElementById('field-pack')")
        expect(page.get_by_role("group", name="¿Qué está registrando?")).to_be_visible()
        _checked(page)
        assert not refused, refused
