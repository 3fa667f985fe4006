"""In the browser: the counselor authorizes a placement, the specialist submits the hire report filled
in from the job record, the counselor returns it, the specialist corrects it, the counselor accepts it
and the payment milestone is earned with the amount from the rule. axe checks every page."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Job
from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.dvr.models import Authorization, DeliverableReport, Milestone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _iso(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()


def _click(ui, role: str, name: str) -> None:
    ui.page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]
    ui.checked()


def test_authorize_report_return_correct_accept_earned(ui, demo) -> None:
    job = Job.objects.get(enrollment__client__first_name="Maya", enrollment__client__last_name="Okonkwo")
    hired_days_ago = (datetime.date.today() - job.started_on).days

    page = ui.sign_in("counselor", DEMO_PASSWORD)
    _click(ui, "link", "DVR")
    _click(ui, "link", "Authorize a service")
    _click(ui, "link", "Authorize a service for Maya Okonkwo")
    ui.field("Service").select_option(label="Placement and hire")
    ui.field("Purchase order number").fill("PO-7781")
    ui.field("Start date").fill(_iso(hired_days_ago + 10))
    ui.field("End date").fill(_iso(-60))
    ui.field("Units authorized").fill("10")
    ui.field("Authorized amount ($)").fill("2000")
    _click(ui, "button", "Authorize")
    expect(page.get_by_role("heading", level=1)).to_have_text("Placement and hire")
    authorization = Authorization.objects.get(number="PO-7781")
    detail = f"/dvr/authorizations/{authorization.pk}/"
    page.context.clear_cookies()

    page = ui.sign_in("specialist", DEMO_PASSWORD)
    _click(ui, "link", "DVR")
    _click(ui, "link", "Okonkwo, Maya")
    _click(ui, "link", "Write the hire report")
    expect(ui.field("Employer")).to_have_value("Lakeside Hotel")
    expect(ui.field("Job start date")).to_have_value(job.started_on.isoformat())
    expect(ui.field("Hours a week")).to_have_value("30.0")
    expect(ui.field("Hourly wage ($)")).to_have_value("16.00")
    ui.field("Units used").fill("12")
    ui.field("Summary of the job search and hire").fill("Hired as a housekeeper.")
    _click(ui, "button", "Submit the report")
    expect(page.get_by_role("alert")).to_contain_text("more than the 10.00 authorized")
    expect(ui.field("Employer")).to_have_value("Lakeside Hotel")
    assert not DeliverableReport.objects.filter(authorization=authorization).exists()
    ui.field("Units used").fill("8")
    _click(ui, "button", "Submit the report")
    expect(page.get_by_role("status").first).to_contain_text("Report submitted")
    page.context.clear_cookies()

    page = ui.sign_in("counselor", DEMO_PASSWORD)
    ui.goto(detail)
    _click(ui, "link", "Review the report")
    expect(page.get_by_role("main")).to_contain_text("Housekeeper at Lakeside Hotel")
    page.get_by_label("Return it for corrections").check()
    ui.field("Comments for the specialist").fill("Please describe the supports agreed with the employer.")
    _click(ui, "button", "Save the decision")
    expect(page.get_by_role("status").first).to_contain_text("Report returned")
    page.context.clear_cookies()

    page = ui.sign_in("specialist", DEMO_PASSWORD)
    ui.goto(detail)
    _click(ui, "link", "Correct the report")
    expect(page.get_by_role("status").first).to_contain_text("describe the supports")
    ui.field("Summary of the job search and hire").fill(
        "Hired as a housekeeper after a working interview. Supports: a written schedule and a weekly check-in."
    )
    _click(ui, "button", "Submit the report")
    page.context.clear_cookies()

    page = ui.sign_in("counselor", DEMO_PASSWORD)
    ui.goto(detail)
    _click(ui, "link", "Review the report")
    page.get_by_label("Accept the report").check()
    _click(ui, "button", "Save the decision")
    expect(page.get_by_role("status").first).to_contain_text("milestone is earned")
    expect(page.locator("#milestone")).to_contain_text("Earned $1800.00")
    milestone = Milestone.objects.get(authorization=authorization)
    assert milestone.amount == Decimal("1800.00")  # 30 hours a week, hired 10 days into the authorization
    assert DeliverableReport.objects.get(authorization=authorization).reviews.count() == 2
