"""In the browser, two people at once: the supervisor and the specialist both open the same job's change
form; the supervisor saves first; the specialist's save shows both versions and writes nothing; saving
again from there is a deliberate overwrite. axe checks every page, the conflict page included."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Job
from tests.browsing import CheckedPage
from tests.clients.factories import employer, enroll, start_job
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_second_save_sees_both_versions_and_nothing_is_overwritten(
    ui, browser, live_server, transactional_db
) -> None:
    world = build_world(with_catalog=False)
    enrollment = enroll(world, first="Noor")
    job = start_job(world.people["specialist"], enrollment, employer(world))
    path = f"/clients/{enrollment.pk}/jobs/{job.pk}/change/"

    other_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = CheckedPage(other_context.new_page(), live_server.url)
        other.page.set_default_timeout(15_000)
        other.sign_in("supervisor", PASSWORD)
        ui.sign_in("specialist", PASSWORD)
        other.goto(path)  # both forms are loaded before either is saved
        ui.goto(path)

        other.field("Hours a week").fill("25")
        other.field("Hourly wage ($)").fill("17.00")
        other.page.get_by_role("button", name="Save").click()
        other.checked()
        expect(other.page.get_by_role("heading", level=1)).to_have_text("Noor Tester")

        ui.field("Hours a week").fill("32")
        ui.field("Hourly wage ($)").fill("18.25")
        ui.page.get_by_role("button", name="Save").click()
        ui.checked()  # the conflict page passes axe too
        expect(ui.page.get_by_role("alert").first).to_contain_text("Someone else saved this record")
        table = ui.page.get_by_role("table", name="What differs between the saved record and your changes")
        expect(table.get_by_role("row", name="Hours a week")).to_contain_text("25.0")
        expect(table.get_by_role("row", name="Hours a week")).to_contain_text("32")
        expect(table.get_by_role("row", name="Hourly wage ($)")).to_contain_text("17.00")
        expect(table.get_by_role("row", name="Hourly wage ($)")).to_contain_text("18.25")
        expect(ui.field("Hours a week")).to_have_value("32")  # what the specialist typed is kept
        job.refresh_from_db()
        assert (job.hours_per_week, job.hourly_wage, job.changes.count()) == (Decimal("25.0"), Decimal("17.00"), 1)

        ui.page.get_by_role("button", name="Save").click()  # a deliberate overwrite
        ui.checked()
        expect(ui.page.get_by_role("heading", level=1)).to_have_text("Noor Tester")
        saved = Job.objects.get(pk=job.pk)
        assert (saved.hours_per_week, saved.hourly_wage, saved.changes.count()) == (
            Decimal("32.0"),
            Decimal("18.25"),
            2,
        )
    finally:
        other_context.close()
