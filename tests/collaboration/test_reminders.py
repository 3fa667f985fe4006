"""The reminder digest (idempotent, frozen clock, locmem outbox) and the private calendar feed."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from icalendar import Calendar

from ipshub.collaboration import services
from ipshub.collaboration.digest import all_due_items
from ipshub.collaboration.models import MeetingKind, ReminderSent
from ipshub.lib.due import DueItem
from tests.collaboration.factories import meeting, series, start_implementation

D = datetime.date
NOON = datetime.time(12)


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, NOON, tzinfo=datetime.UTC), tick=False)


@pytest.mark.django_db
def test_the_digest_is_sent_once_per_period(world) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 3))
    unit = series(world, MeetingKind.IPS_UNIT)
    meeting(world, unit, D(2025, 3, 24), attendees=("supervisor", "specialist"))
    services.preference_set_frequency(actor=world.supervisor, frequency="daily")
    services.preference_set_frequency(actor=world.specialist, frequency="never")
    with _at(D(2025, 3, 20)):
        call_command("remind", "--user", "supervisor", "--user", "specialist", "--user", "trainer")
        sent = {m.to[0]: m for m in mail.outbox}
        assert set(sent) == {"supervisor@example.test", "trainer@example.test"}  # the specialist chose never
        body = sent["supervisor@example.test"].body
        assert "IPS unit meeting (p1) at 10:00 AM" in body
        assert "http://localhost:8000/collaboration/meetings/" in body
        # The trainer (weekly by default) hears that the unit meeting cadence is at risk.
        assert "At risk: State trainer at an IPS unit meeting" in sent["trainer@example.test"].body
        count = len(mail.outbox)
        call_command("remind", "--user", "supervisor", "--user", "trainer")
        assert len(mail.outbox) == count  # nothing twice
    with _at(D(2025, 3, 21)):
        call_command("remind", "--user", "supervisor", "--user", "trainer")
        # Daily: the supervisor gets a new digest; weekly: the trainer has had this week's.
        assert [m.to[0] for m in mail.outbox[count:]] == ["supervisor@example.test"]
    assert ReminderSent.objects.filter(person=world.supervisor, period="2025-03-21").exists()
    assert ReminderSent.objects.filter(person=world.trainer, period="2025-W12").exists()


@pytest.mark.django_db
def test_client_items_from_other_areas_are_not_named_in_email(world, monkeypatch) -> None:
    from ipshub.clients import reminders as client_reminders

    def fake(person, today):
        return [
            DueItem(
                "job_start_followup",
                "client:1",
                "Call Jane Roe after her first shift",
                today,
                "/clients/1/",
                "Program P1",
            )
        ]

    monkeypatch.setattr(client_reminders, "due_items", fake)
    with _at(D(2025, 3, 20)):
        call_command("remind", "--user", "specialist")
    body = mail.outbox[0].body
    assert "Jane Roe" not in body
    assert "An item in Program P1 (open IPS Hub to see it)" in body


@pytest.mark.django_db
def test_all_due_items_gathers_every_area(world) -> None:
    unit = series(world)
    m = meeting(world, unit, D(2025, 3, 24), attendees=("supervisor",))
    items = all_due_items(world.supervisor, D(2025, 3, 20))
    assert f"meeting:{m.pk}" in {i.key for i in items}
    # The supervisor's own required training (no start date known, so no deadline) is not a dated item.
    assert all(i.due_on <= D(2025, 4, 3) for i in items)


@pytest.mark.django_db
def test_the_calendar_feed_parses_and_shows_only_its_owner(world) -> None:
    unit = series(world)
    mine = meeting(world, unit, D(2025, 3, 24), attendees=("supervisor",))
    meeting(world, series(world, MeetingKind.TREATMENT_TEAM), D(2025, 3, 25), attendees=("case_manager",))
    other = meeting(
        world,
        series(world, MeetingKind.IPS_UNIT, program="p2"),
        D(2025, 3, 26),
        attendees=("other_agency_director",),
    )
    token = services.calendar_token_reset(actor=world.supervisor)
    with _at(D(2025, 3, 20)):
        response = Client().get(f"/collaboration/calendar.ics?token={token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    uids = {str(e["UID"]) for e in events}
    assert f"meeting-{mine.pk}@ipshub" in uids
    assert f"meeting-{other.pk}@ipshub" not in uids
    assert len([u for u in uids if u.startswith("meeting-")]) == 1
    start = events[0].decoded("DTSTART")
    assert start.date() == D(2025, 3, 24) and start.hour == 10
    assert b"case_manager" not in response.content and b"Other Agency" not in response.content


@pytest.mark.django_db
def test_resetting_the_token_invalidates_the_old_url(world) -> None:
    old = services.calendar_token_reset(actor=world.supervisor)
    new = services.calendar_token_reset(actor=world.supervisor)
    anonymous = Client()
    assert anonymous.get(f"/collaboration/calendar.ics?token={old}").status_code == 404
    assert anonymous.get(f"/collaboration/calendar.ics?token={new}").status_code == 200
    assert anonymous.get("/collaboration/calendar.ics?token=guess").status_code == 404
    # No token and no session: sign in first.
    assert anonymous.get("/collaboration/calendar.ics")["Location"].startswith("/accounts/login/")
    # The token is kept only as a hash.
    stored = world.supervisor.notification_preference.calendar_token_hash
    assert new not in stored and len(stored) == 64


@pytest.mark.django_db
def test_the_reminders_page_resets_the_link_and_saves_the_frequency(world, client_for) -> None:
    client = client_for(world.supervisor)
    response = client.post("/collaboration/reminders/calendar/")
    assert response.status_code == 200
    url = response.context["new_feed_url"]
    assert "/collaboration/calendar.ics?token=" in url
    assert Client().get(url.split("testserver")[1]).status_code == 200
    response = client.post("/collaboration/reminders/", {"frequency": "daily"})
    assert response.status_code == 302
    world.supervisor.notification_preference.refresh_from_db()
    assert world.supervisor.notification_preference.frequency == "daily"
    assert client.post("/collaboration/reminders/", {"frequency": "hourly"}).status_code == 400


@pytest.mark.django_db
def test_the_digest_and_the_calendar_feed_speak_the_persons_language(world) -> None:
    """Sent by a command and fetched by a calendar app, without a session: the texts follow the person's own
    language (issue #24), while a person who chose none still reads English."""
    start_implementation(world.programs["p1"], D(2025, 3, 3))
    world.trainer.language = "es"
    world.trainer.save(update_fields=["language"])
    services.preference_set_frequency(actor=world.supervisor, frequency="daily")
    token = services.calendar_token_reset(actor=world.trainer)
    with _at(D(2025, 3, 20)):
        call_command("remind", "--user", "trainer", "--user", "supervisor")
        feed = Client().get(f"/collaboration/calendar.ics?token={token}").content.decode()
    sent = {m.to[0]: m for m in mail.outbox}
    spanish = sent["trainer@example.test"]
    assert spanish.subject.startswith("IPS Hub: ") and "por vencer" in spanish.subject
    assert spanish.body.startswith("Hola, ") and "Esto es lo que vence en IPS Hub al jueves" in spanish.body
    assert "Here is what is coming due" not in spanish.body
    assert "Vence: " in feed and "Due: " not in feed
    assert "Here is what is coming due in IPS Hub as of Thursday" in sent["supervisor@example.test"].body
