"""Screenshots for the README, taken by a real browser from the demo data (the same builder `ipshub demo`
uses, so they show the real product).

They are written to a temporary folder on every run (so the pages are exercised and checked by axe);
`IPSHUB_SCREENSHOTS_DIR=docs/screenshots scripts/test tests/browser/test_screenshots.py` refreshes the
committed ones.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.fidelity.models import Review
from ipshub.tenancy.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280


def _shot(ui, folder: Path, name: str, path: str, heading: str, height: int | None = None) -> Path:
    """Open the page (axe checks it), make sure it is the page meant, and save the top `height` pixels
    (the whole page when None)."""
    page = ui.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.set_viewport_size({"width": WIDTH, "height": height or 900})
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=height is None)
    assert target.stat().st_size > 20_000, f"{target} looks empty"
    return target


def test_readme_screenshots(ui, demo: None, tmp_path: Path) -> None:
    folder = Path(os.environ.get("IPSHUB_SCREENSHOTS_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="The IPS catalog")).to_be_visible()  # the rest, loaded once shown
    page.screenshot(path=str(folder / "home-state-lead.png"), full_page=True)
    assert (folder / "home-state-lead.png").stat().st_size > 10_000
    _shot(ui, folder, "catalog-roles", "/catalog/roles/", "Roles and responsibilities", 900)

    _shot(ui, folder, "state-board", "/implementation/", "State board")
    lake = Program.objects.get(name="Lake County IPS")
    _shot(ui, folder, "program-board", f"/implementation/programs/{lake.pk}/", "Lake County IPS", 1150)
    review = Review.objects.filter(program__name="Pine County IPS", status=Review.Status.DELIVERED).latest(
        "report_date"
    )
    _shot(ui, folder, "fidelity-report", f"/fidelity/reviews/{review.pk}/report/", "Fidelity review report", 1400)
    _shot(ui, folder, "state-outcomes", "/outcomes/", "Quarterly outcomes", 1350)
    page.context.clear_cookies()

    ui.sign_in("supervisor", DEMO_PASSWORD)
    _shot(ui, folder, "caseload", "/clients/", "Caseload", 1150)
