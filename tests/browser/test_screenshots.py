"""Screenshots for the README, taken by a real browser from the demo data.

They are written to a temporary folder on every run (so the pages are exercised and checked by axe);
`IPSHUB_SCREENSHOTS_DIR=docs/screenshots scripts/test tests/browser/test_screenshots.py` refreshes the
committed ones.
"""

import os
from pathlib import Path

import pytest

from ipshub.catalog.services import catalog_load
from ipshub.demo.demo_state import DEMO_PASSWORD, build_demo_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_readme_screenshots(ui, tmp_path: Path) -> None:
    catalog_load()
    build_demo_state()
    folder = Path(os.environ.get("IPSHUB_SCREENSHOTS_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    page.screenshot(path=str(folder / "home-state-lead.png"), full_page=True)
    ui.goto("/catalog/roles/")
    page.screenshot(path=str(folder / "catalog-roles.png"))
    assert (folder / "home-state-lead.png").stat().st_size > 10_000
