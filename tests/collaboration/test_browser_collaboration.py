"""In the browser: a trainer at a unit meeting turns the cadence indicator to met; a supervisor logs
field mentoring; a trainer logs a TA visit; a specialist records a completed training."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshub.collaboration.models import Meeting, MeetingKind, MentoringSession, TAActivity, TrainingCompletion
from tests.collaboration.factories import series, start_implementation
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    world = build_world()
    start_implementation(world.programs["p1"], timezone.localdate() - datetime.timedelta(days=3))
    return world


def test_a_unit_meeting_with_the_trainer_changes_the_cadence_indicator(ui, world) -> None:
    p1 = world.programs["p1"]
    unit = series(world, MeetingKind.IPS_UNIT)
    page = ui.sign_in("trainer", PASSWORD)
    page.get_by_role("link", name="Collaboration").first.click()
    ui.checked()
    page.get_by_role("link", name="Program P1").first.click()
    ui.checked()
    indicator = page.locator('[data-check="trainer_unit"]')
    expect(indicator).not_to_have_text(re.compile(r"^\s*Met\s*$"))
    before = indicator.inner_text().strip()
    assert before in ("Not yet due", "At risk")

    page.get_by_role("link", name=unit.title).click()
    ui.checked()
    page.get_by_role("link", name="Record a meeting").click()
    ui.checked()
    today = timezone.localdate().isoformat()
    ui.field("Date").fill(today)
    ui.field("Start time").fill("09:00")
    ui.field("End time").fill("08:30")
    attended = page.get_by_role("group", name=re.compile("Who attended"))
    attended.get_by_label("Trainer Tester", exact=True).check()
    attended.get_by_label("Supervisor Tester", exact=True).check()
    ui.field("Agenda").fill("Job leads and new referrals")
    page.get_by_role("button", name="Save meeting").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("can't end (8:30 AM) before or when it starts (9:00 AM)")
    expect(ui.field("Agenda")).to_have_value("Job leads and new referrals")
    ui.field("End time").fill("10:00")
    page.get_by_role("button", name="Save meeting").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_contain_text(unit.title)
    expect(page.get_by_role("table")).to_contain_text("IPS state trainer")
    assert Meeting.objects.filter(series=unit).count() == 1

    ui.goto(f"/collaboration/programs/{p1.pk}/")
    expect(page.locator('[data-check="trainer_unit"]')).to_have_text(re.compile(r"^\s*Met\s*$"))


def test_a_supervisor_logs_field_mentoring(ui, world) -> None:
    p1 = world.programs["p1"]
    page = ui.sign_in("supervisor", PASSWORD)
    ui.goto(f"/collaboration/programs/{p1.pk}/")
    page.get_by_role("link", name="Field mentoring log").click()
    ui.checked()
    page.get_by_label("Employment specialist").select_option(label="Specialist Tester")
    page.get_by_label("Activity").select_option(label="Employer visits (job development)")
    page.get_by_role("button", name="Log session").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("Feedback: Fill in this field.")
    ui.field("Feedback").fill("Good first visit to the hardware store.")
    ui.field("Next steps").fill("Return with a tailored proposal.")
    page.get_by_role("button", name="Log session").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("Good first visit to the hardware store.")
    assert MentoringSession.objects.get().specialist == world.specialist


def test_a_trainer_logs_a_technical_assistance_visit(ui, world) -> None:
    p1 = world.programs["p1"]
    page = ui.sign_in("trainer", PASSWORD)
    ui.goto(f"/collaboration/programs/{p1.pk}/technical-assistance/")
    page.get_by_label("Kind of assistance").select_option(label="Site visit")
    ui.field("Hours").fill("2.5")
    ui.field("Topics").fill("Job development; field mentoring")
    ui.field("Results").fill("New employer contact schedule agreed")
    ui.field("Next steps for the program").fill("Track six employer contacts a week")
    ui.field("Next steps for the trainer").fill("Send the tip sheet")
    page.get_by_role("button", name="Log assistance").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("Job development; field mentoring")
    activity = TAActivity.objects.get()
    assert activity.kind == "visit" and str(activity.hours) == "2.5"


def test_a_specialist_records_a_completed_training(ui, world) -> None:
    page = ui.sign_in("specialist", PASSWORD)
    ui.goto("/collaboration/training/")
    expect(page.get_by_role("main")).to_contain_text("Initial IPS training for employment specialists and supervisors")
    page.get_by_role("link", name="Record a completed training").click()
    ui.checked()
    page.get_by_label("Course").select_option(label="Initial IPS training for employment specialists and supervisors")
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    ui.field("Completed on").fill(future)
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("alert")).to_contain_text("can't be in the future")
    ui.field("Completed on").fill((timezone.localdate() - datetime.timedelta(days=10)).isoformat())
    ui.field("Hours").fill("28")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("table").last).to_contain_text("Specialist Tester")
    assert TrainingCompletion.objects.get().course == "ips_initial"


def test_home_reminders_and_calendar_pages_are_accessible(ui, world) -> None:
    unit = series(world, MeetingKind.IPS_UNIT)
    from tests.collaboration.factories import meeting

    meeting(world, unit, timezone.localdate() + datetime.timedelta(days=2), attendees=("trainer", "supervisor"))
    page = ui.sign_in("trainer", PASSWORD)
    expect(page.get_by_role("heading", name="Upcoming meetings")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Meeting cadence in your programs"))).to_be_visible()
    ui.goto("/collaboration/reminders/")
    page.get_by_role("button", name="Make my calendar link").click()
    ui.checked()
    expect(page.get_by_label("Calendar link")).to_have_value(re.compile(r"/collaboration/calendar\.ics\?token="))
