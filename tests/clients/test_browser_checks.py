"""In the browser, on a phone: a specialist records a job paid below the state's minimum wage as competitive
for 72 hours a week, is told both problems at once and why, fixes the wage, confirms the unusual hours with
the large "these figures are right" box, and sees the confirmation. axe checks every page."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Job
from ipshub.tenancy.models import MinimumWage
from tests.clients.factories import days_ago, employer, enroll
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_job_below_the_minimum_wage_and_unusual_hours_on_a_phone(ui) -> None:
    world = build_world()
    MinimumWage.objects.create(
        state=world.state_a, hourly_rate=Decimal("12.00"), effective_from=datetime.date(2026, 1, 1)
    )
    enrollment = enroll(world, first="Wren")
    employer(world)
    page = ui.page
    page.set_viewport_size({"width": 390, "height": 844})
    ui.sign_in("specialist", PASSWORD)
    ui.goto(f"/clients/{enrollment.pk}/jobs/new/")
    expect(page.get_by_text("State A's minimum wage is $12.00 an hour")).to_be_visible()
    page.get_by_label("Employer", exact=False).first.select_option(label="Cedar Bakery")
    ui.field("Job title").fill("Dishwasher")
    ui.field("Start date").fill(days_ago(3).isoformat())
    ui.field("Hours a week").fill("72")
    ui.field("Hourly wage ($)").fill("2.00")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Please correct 3 problems")
    expect(alert).to_contain_text("Below State A's minimum wage of $12.00")
    expect(alert).to_contain_text("72 hours a week is more than 60")
    expect(ui.field("Job title")).to_have_value("Dishwasher")
    confirm = page.get_by_label("Yes, these figures are right")
    box = confirm.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    ui.field("Hourly wage ($)").fill("15.00")
    page.locator("label[for=id_confirm_implausible]").click()  # the label is part of the target
    expect(confirm).to_be_checked()
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("status").first).to_contain_text("The job start was recorded")
    job = Job.objects.get()
    assert (job.hours_per_week, job.hourly_wage, job.is_competitive) == (Decimal("72.0"), Decimal("15.00"), True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
