"""Slow work says it is under way: links and forms marked data-busy show their text in the polite live
region, mark themselves aria-busy, and a second press does not start the work twice.

The request is held at the browser's network layer until the test has looked (then the real server
answers it), so what the person sees while waiting can be checked without timing."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Route, expect

import ipshub
from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.outcomes.models import QuarterlyReport
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.services import person_language_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _hold(page, pattern: str) -> list[Route]:
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route))
    return held


def _until_held(page, held: list[Route]) -> None:
    """Let Playwright deliver the requests the presses made (each round trip to the page lets it)."""
    for _ in range(50):
        page.evaluate("() => document.readyState")
        if held:
            break
    page.evaluate("() => document.readyState")
    assert held, "no request was made"


def test_a_pdf_link_says_it_is_being_built_and_ignores_a_second_click(ui, demo, tmp_path: Path) -> None:
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    ui.goto("/implementation/")
    held = _hold(page, "**/implementation/board.pdf*")
    link = page.get_by_role("link", name="Print to PDF")
    link.dblclick()
    region = page.locator("#ipshub-busy")
    expect(region).to_have_text("Building the PDF…")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(link).to_have_attribute("aria-busy", "true")
    link.click(force=True)  # a third press while it is being built
    _until_held(page, held)
    assert len(held) == 1, f"the PDF was requested {len(held)} times"

    with page.expect_download() as download_info:
        held[0].continue_()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    expect(region).to_have_text(f"Ready: {download.suggested_filename} is downloaded.")
    expect(link).not_to_have_attribute("aria-busy", "true")
    assert len(held) == 1


def test_a_failed_export_says_so(ui, demo) -> None:
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    ui.goto("/implementation/")
    # Point the export at a program that is not there: the real server answers 404.
    missing = "/implementation/programs/999999/responsibilities.csv"
    page.evaluate("(href) => { document.querySelector('a[data-busy]').href = href; }", missing)
    link = page.locator("a[data-busy]").first
    link.click()
    expect(page.locator("#ipshub-busy")).to_contain_text("That did not work (HTTP 404)")
    expect(link).not_to_have_attribute("aria-busy", "true")


def test_the_script_speaks_the_persons_language(ui, demo) -> None:
    """ipshub.js's own sentences come from the page, in the person's language (no request of their own)."""
    person_language_set(person=Person.objects.get(username="statelead"), language="es")
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    ui.goto("/implementation/")
    page.evaluate(
        "(href) => { document.querySelector('a[data-busy]').href = href; }", "/implementation/programs/0/x.csv"
    )
    page.locator("a[data-busy]").first.click()
    expect(page.locator("#ipshub-busy")).to_have_text(
        "No funcionó (HTTP 404). Inténtelo de nuevo; si sigue fallando, avise a su administrador."
    )


# Test instrumentation (not product code): as a page is left, note what it showed, in sessionStorage,
# which survives the navigation to the answer.
SNAPSHOT_ON_LEAVE = """
window.addEventListener('pagehide', () => {
  const form = document.querySelector('form[data-busy]');
  if (!form) return;
  sessionStorage.setItem('busy-snapshot', JSON.stringify({
    text: document.getElementById('ipshub-busy').textContent,
    busy: form.getAttribute('aria-busy'),
    disabled: form.querySelector('button[type=submit]').disabled,
  }));
});
"""


def test_a_slow_form_says_it_is_working_and_is_sent_once(ui, demo) -> None:
    lake = Program.objects.get(name="Lake County IPS")
    page = ui.sign_in("supervisor", DEMO_PASSWORD)
    page.context.add_init_script(SNAPSHOT_ON_LEAVE)
    ui.goto(f"/outcomes/programs/{lake.pk}/compute/")
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    with page.expect_navigation(url=re.compile(r"/outcomes/reports/\d+/$")):
        page.get_by_role("button", name="Compute from client records").dblclick()
    ui.checked()
    expect(page.get_by_role("status").first).to_contain_text("computed from the client records")
    assert len(posts) == 1, f"the form was sent {len(posts)} times: {posts}"
    report_id = int(re.search(r"/outcomes/reports/(\d+)/$", page.url).group(1))  # type: ignore[union-attr]
    assert QuarterlyReport.objects.get(pk=report_id).program == lake
    # What the person saw while it worked:
    snapshot = page.evaluate("() => JSON.parse(sessionStorage.getItem('busy-snapshot'))")
    assert snapshot == {"text": "Computing the figures from the records…", "busy": "true", "disabled": True}


EXPORT_LINK = re.compile(r"<a\b[^>]*href=\"[^\"]*(format=(csv|xlsx|pdf)|_(csv|pdf)'|report_pdf|_export)[^>]*>", re.S)


def test_every_export_link_is_marked() -> None:
    """Every PDF, CSV and Excel export link in the templates carries data-busy (the API's own pages
    show import progress their own way)."""
    templates = Path(ipshub.__file__).parent / "templates"
    found = 0
    for path in templates.rglob("*.html"):
        if path.parts[-2] == "api":
            continue
        for tag in EXPORT_LINK.finditer(path.read_text()):
            found += 1
            assert "data-busy=" in tag.group(0), f"{path.name}: {tag.group(0)}"
    assert found >= 20, found
