"""A program's journey in the browser: opened by the state team, readiness recorded by the state trainer,
partnership set-up by the mental health director and the DVR supervisor, kick-off, first referral and the
phase change. axe-core checks every page visited."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.implementation.models import Assignment, Evidence, PartnershipItem
from ipshub.tenancy.models import Phase, Program
from ipshub.tenancy.services import program_note_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "Pine Valley Young Adults IPS"


def sign_out(ui) -> None:
    ui.page.get_by_role("button", name="Sign out").click()
    ui.checked()


def save_item(ui, program: Program, kind_label: str, status: str, **fields: str) -> None:
    page = ui.page
    ui.goto(f"/implementation/programs/{program.pk}/partnership/")
    page.get_by_role("link", name=kind_label).click()
    ui.checked()
    page.get_by_label("Status").select_option(label=status)
    for label, value in fields.items():
        ui.field(label).fill(value)
    page.get_by_role("button", name="Save").click()
    ui.checked()


def test_a_program_from_opening_to_implementation(ui, demo) -> None:
    today = timezone.localdate()
    page = ui.sign_in("statelead", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="State board").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("State board")
    page.get_by_role("link", name="Open a program").click()
    ui.checked()
    ui.field("Name").fill(NAME)
    page.get_by_label("Mental health agency").select_option(label="Pine County Human Services")
    page.get_by_label("DVR Pine Valley Office").check()
    page.get_by_label("Assigned state trainer").select_option(label="Taylor Brooks")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    program = Program.objects.get(name=NAME)
    assert Assignment.objects.filter(program=program).count() == 17  # the prior phase's responsibilities
    ui.goto(f"/implementation/programs/{program.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_text("has no contracted employment service provider")).to_be_visible()
    expect(page.get_by_role("region", name="What is still needed")).to_contain_text("Service agreement with DVR")
    sign_out(ui)

    # The state trainer records the readiness conversation and prints it.
    ui.sign_in("trainer", DEMO_PASSWORD)
    ui.goto(f"/implementation/programs/{program.pk}/readiness/")
    page.get_by_role("link", name="Record a readiness assessment").click()
    ui.checked()
    ui.field("Date of the meeting").fill((today + datetime.timedelta(days=3)).isoformat())
    ui.field("Mental health leaders present").fill("Jordan Ellis, director")
    ui.field("DVR leaders present").fill("Pat Kim, DVR supervisor")
    page.get_by_label(re.compile(r"^\s*1\. What do you know")).fill("They heard about IPS at the state conference.")
    ui.field("Barriers to implementation").fill("Transport in rural areas")
    ui.field("Who will lead at DVR").fill("Pat Kim")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    # Bad input: the meeting can't be in the future; everything typed is still there.
    expect(page.get_by_role("alert")).to_contain_text("this date is in the future")
    expect(ui.field("Barriers to implementation")).to_have_value("Transport in rural areas")
    expect(page.get_by_label(re.compile(r"^\s*1\. What do you know"))).to_have_value(
        "They heard about IPS at the state conference."
    )
    ui.field("Date of the meeting").fill(today.isoformat())
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Readiness assessment")
    expect(page.get_by_text("They heard about IPS at the state conference.")).to_be_visible()
    pdf = page.request.get(ui.base_url + (page.get_by_role("link", name="Print to PDF").get_attribute("href") or ""))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    sign_out(ui)

    # The mental health director works through the partnership set-up, with evidence.
    ui.sign_in("director", DEMO_PASSWORD)
    save_item(
        ui,
        program,
        "Service agreement with DVR",
        "Done",
        Parties="Pine County Human Services\nDVR Pine Valley Office",
        **{"Date agreed": today.isoformat()},
    )
    expect(page.get_by_role("status")).to_contain_text("was saved")
    page.get_by_role("link", name="Service agreement with DVR").click()
    ui.checked()
    ui.field("Evidence title").fill("Signed service agreement")
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "agreement.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90"}]
    )
    page.get_by_role("button", name="Add evidence").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("is not a type IPS Hub accepts")
    expect(ui.field("Evidence title")).to_have_value("Signed service agreement")
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Add evidence").click()
    ui.checked()
    expect(page.get_by_role("link", name="Signed service agreement")).to_be_visible()
    download = page.request.get(
        ui.base_url + (page.get_by_role("link", name="Signed service agreement").get_attribute("href") or "")
    )
    assert download.ok and download.body() == PDF
    assert Evidence.objects.filter(program=program).count() == 1
    save_item(ui, program, "Confidentiality agreements", "Done")
    save_item(ui, program, "Referral procedure between the agencies", "Done")
    save_item(ui, program, "Agreed start date", "Done", **{"Date agreed": today.isoformat()})
    sign_out(ui)

    # The DVR supervisor waives the billing item: first without a reason, then with one.
    ui.sign_in("dvrsupervisor", DEMO_PASSWORD)
    save_item(
        ui,
        program,
        "Billing and reporting expectations (Medicaid, DVR, grants)",
        "Waived",
        Notes="DVR pays by milestone",
    )
    expect(page.get_by_role("alert")).to_contain_text("Say why this item is waived")
    expect(ui.field("Notes")).to_have_value("DVR pays by milestone")
    ui.field("Reason for waiving").fill("Billing follows the statewide DVR-Medicaid agreement.")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_text("All required items are done or waived")).to_be_visible()
    assert all(item.is_met for item in PartnershipItem.objects.filter(program=program))
    sign_out(ui)

    # The director sets the kick-off date (next week): the program waits for it, or the first referral.
    ui.sign_in("director", DEMO_PASSWORD)
    ui.goto(f"/implementation/programs/{program.pk}/")
    ui.field("Kick-off date").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Set kick-off date").click()
    ui.checked()
    expect(page.get_by_role("status")).to_contain_text("Kick-off date saved")
    program.refresh_from_db()
    assert program.phase == Phase.PRIOR and program.kickoff_date == today + datetime.timedelta(days=7)

    # The first referral is recorded by the client-services area, which calls this same service function;
    # here the test calls it directly to simulate that referral.
    assert program_note_event(actor=None, program=program, event="first_referral", on=today) is not None
    ui.goto(f"/implementation/programs/{program.pk}/")
    expect(page.locator(".usa-intro")).to_contain_text("Implementation since")
    # Prior 17 + implementation 26 + fidelity reviews 18.
    assert Assignment.objects.filter(program=program).count() == 61
    ui.goto(f"/implementation/programs/{program.pk}/timeline/")
    expect(page.get_by_role("table")).to_contain_text("First referral for IPS services recorded")
    sign_out(ui)

    # The DVR supervisor finds the DVR duties under "My responsibilities" and updates one.
    ui.sign_in("dvrsupervisor", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="My responsibilities").click()
    ui.checked()
    ui.page.get_by_label("Show").select_option(label="All, including done")
    page.get_by_role("button", name="Filter").click()
    ui.checked()
    dvr_item = (
        Assignment.objects.filter(program=program, party_key="dvr", phase_key="implementation")
        .select_related("responsibility")
        .order_by("responsibility__order")
        .first()
    )
    assert dvr_item is not None
    ui.goto(f"/implementation/assignments/{dvr_item.pk}/")
    page.get_by_label("Status").select_option(label="In progress")
    ui.field("Due date").fill("2001-01-01")
    ui.field("Add a comment").fill("Counselor assigned to the program.")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("before the program was opened")
    expect(ui.field("Add a comment")).to_have_value("Counselor assigned to the program.")
    ui.field("Due date").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_text("Counselor assigned to the program.")).to_be_visible()
    dvr_item.refresh_from_db()
    assert dvr_item.status == "in_progress" and dvr_item.due_on == today + datetime.timedelta(days=10)
