"""In the browser: a supervisor refers and assigns, the specialist works the case from consent to the
next job, and the DVR counselor sees only what the consent shares. axe checks every page."""

import datetime

import pytest
from playwright.sync_api import expect

from ipshub.clients.models import Enrollment, Job
from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.tenancy.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _iso(days_ago: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()


def _save(ui, name: str = "Save") -> None:
    ui.page.get_by_role("button", name=name).click()
    ui.checked()


def test_referral_to_next_job_across_supervisor_specialist_and_dvr(ui, demo) -> None:
    page = ui.sign_in("supervisor", DEMO_PASSWORD)
    page.get_by_role("link", name="Caseload").first.click()
    ui.checked()
    page.get_by_role("link", name="Refer a client").click()
    ui.checked()
    page.get_by_label("IPS program").select_option(label="Pine County IPS")
    ui.field("First name").fill("Wren")
    ui.field("Last name").fill("Calloway")
    ui.field("Birth date").fill("1991-04-02")
    ui.field("Referral date").fill(_iso(-2))  # two days ahead: refused
    page.get_by_label("Referred by").select_option(label="Self-referral")
    _save(ui, "Save referral")
    expect(page.get_by_role("alert")).to_contain_text("can't be in the future")
    expect(ui.field("First name")).to_have_value("Wren")
    ui.field("Referral date").fill(_iso(20))
    _save(ui, "Save referral")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wren Calloway")
    page.get_by_role("link", name="Assign a specialist").click()
    ui.checked()
    jamie = Person.objects.get(username="specialist")
    page.get_by_label("Employment specialist").select_option(value=str(jamie.pk))  # "Jamie Patel (15 open clients)"
    _save(ui)
    expect(page.get_by_role("status").first).to_contain_text("assigned")
    enrollment = Enrollment.objects.get(client__first_name="Wren")
    page.context.clear_cookies()

    page = ui.sign_in("specialist", DEMO_PASSWORD)
    ui.goto("/clients/")
    ui.field("Name or record number").fill("Calloway")
    page.get_by_role("search", name="Search the caseload").get_by_role("button", name="Search").click()
    ui.checked()
    assert "Calloway" not in page.url  # names stay out of URLs
    page.get_by_role("link", name="Calloway, Wren").click()
    ui.checked()
    page.get_by_role("link", name="Record a consent").click()
    ui.checked()
    page.get_by_label("Shared with").select_option(label="DVR Pine Valley Office")
    _save(ui)
    # The record is in sections, each at its own address: the saved consent is shown in its section, and the
    # sections' navigation opens the career profile.
    expect(page.locator("#consents").locator("..")).to_contain_text("DVR Pine Valley Office")
    sections = page.get_by_role("navigation", name="Client record sections")
    expect(sections.get_by_role("link", name="Consents")).to_have_attribute("aria-current", "page")
    sections.get_by_role("link", name="Career profile").click()
    ui.checked()
    assert page.url.endswith(f"/clients/{enrollment.pk}/record/career-profile/")
    page.get_by_role("link", name="Update the career profile").click()
    ui.checked()
    ui.field("Preferences").fill("Outdoor work, mornings")
    ui.field("Legal history").fill("PRIVATE-LEGAL-NOTE")
    _save(ui)
    expect(page.locator("#profile").locator("..")).to_contain_text("Outdoor work, mornings")
    page.get_by_role("link", name="Log employer contact").click()
    ui.checked()
    ui.field("Or a new employer").fill("Riverbend Garden Center")
    page.get_by_label("Purpose").select_option(label="Talk about a specific job seeker")
    _save(ui, "Save contact")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wren Calloway")
    page.get_by_role("link", name="Record a job start").click()
    ui.checked()
    expect(page.get_by_role("status").first).to_contain_text("benefits planning")
    page.get_by_label("Employer", exact=True).select_option(label="Riverbend Garden Center")
    ui.field("Job title").fill("Garden associate")
    page.get_by_label("Job type").select_option(label="Other")
    ui.field("Start date").fill(_iso(10))
    ui.field("Hours a week").fill("-3")
    ui.field("Hourly wage ($)").fill("17.25")
    _save(ui)
    expect(page.get_by_role("alert")).to_contain_text("can't be negative")
    expect(ui.field("Job title")).to_have_value("Garden associate")
    ui.field("Hours a week").fill("24")
    _save(ui)
    expect(page.locator("#jobs").locator("..")).to_contain_text("Garden associate")
    page.get_by_role("link", name="Log support contact").click()
    ui.checked()
    page.get_by_label("Phone").check()
    _save(ui)
    expect(page.locator("#supports").locator("..")).to_contain_text("Phone")
    job = Job.objects.get(enrollment=enrollment)
    ui.goto(f"/clients/{enrollment.pk}/jobs/{job.pk}/end/")
    ui.field("End date").fill(_iso(15))
    page.get_by_label("Why it ended").select_option(label="Temporary job ended")
    _save(ui)
    expect(page.get_by_role("alert")).to_contain_text("can't end before it starts")
    ui.field("End date").fill(_iso(1))
    _save(ui)
    expect(page.get_by_role("status").first).to_contain_text("help toward the next job")
    page.get_by_role("link", name="Record help offered").click()
    ui.checked()
    _save(ui)
    page.get_by_role("link", name="Record a job start").click()
    ui.checked()
    ui.field("Or a new employer").fill("Harbor Feed Store")
    ui.field("Job title").fill("Stock clerk")
    page.get_by_label("Job type").select_option(label="Retail and sales")
    ui.field("Start date").fill(_iso(0))
    ui.field("Hours a week").fill("20")
    ui.field("Hourly wage ($)").fill("16.00")
    _save(ui)
    expect(page.locator("#jobs").locator("..")).to_contain_text("Stock clerk")
    assert Job.objects.filter(enrollment=enrollment).count() == 2
    page.context.clear_cookies()

    page = ui.sign_in("counselor", DEMO_PASSWORD)
    page.get_by_role("link", name="Shared clients").first.click()
    ui.checked()
    page.get_by_role("link", name="Calloway, Wren").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wren Calloway")
    expect(page.get_by_role("main")).to_contain_text("Stock clerk")
    expect(page.get_by_role("main")).not_to_contain_text("PRIVATE-LEGAL-NOTE")
    expect(page.get_by_role("main")).not_to_contain_text("Outdoor work")


def test_a_specialist_logs_an_employer_contact_on_a_phone(browser, live_server, demo) -> None:
    from tests.browsing import CheckedPage

    context = browser.new_context(viewport={"width": 390, "height": 844})
    ui = CheckedPage(context.new_page(), live_server.url)
    page = ui.sign_in("specialist", DEMO_PASSWORD)
    page.get_by_role("link", name="Log an employer contact").first.click()
    ui.checked()
    page.get_by_label("Employer", exact=True).select_option(label="Cedar Street Bakery")
    page.get_by_label("Purpose").select_option(label="Learn the employer's needs")
    _save(ui, "Save contact")
    expect(page.get_by_role("heading", level=1)).to_have_text("Employer contact log")
    expect(page.get_by_role("table").first).to_contain_text("Jamie Patel")
    context.close()
