"""The one definition of a week (clients/weeks.py), and the employer-contact standard where the specialist
sees it: home, the caseload, the contact log, and the confirmation after logging a contact."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ipshub.clients import services, weeks
from ipshub.clients.weeks import Week, week_of
from tests.clients.factories import employer
from tests.world import World

pytestmark = pytest.mark.django_db

D = datetime.date
CHICAGO = ZoneInfo("America/Chicago")  # the install's time zone in tests (IPSHUB_TIME_ZONE's default)
SUNDAY = D(2026, 12, 6)


def at(day: D, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def test_a_week_runs_from_monday_to_sunday() -> None:
    week = week_of(SUNDAY)
    assert week == Week(D(2026, 11, 30)) == week_of(D(2026, 11, 30))
    assert week.sunday == SUNDAY and SUNDAY in week and D(2026, 12, 7) not in week and D(2026, 11, 29) not in week
    assert week_of(D(2026, 12, 7)) == week.shifted(1) == Week(D(2026, 12, 7))
    assert week.label == "Nov 30 – Dec 6"
    # Across a month and a year.
    assert week_of(D(2027, 1, 1)).monday == D(2026, 12, 28) and week_of(D(2027, 1, 3)).sunday == D(2027, 1, 3)


def test_the_13_weeks_and_the_whole_weeks_of_a_period() -> None:
    history = weeks.weeks_ending(week_of(SUNDAY))
    assert len(history) == 13 and history[-1] == week_of(SUNDAY) and history[0].monday == D(2026, 9, 7)
    # A period from a Tuesday to a Saturday holds only the weeks wholly inside it.
    whole = weeks.whole_weeks(D(2026, 9, 8), D(2026, 12, 5))
    assert whole[0].monday == D(2026, 9, 14) and whole[-1].sunday == D(2026, 11, 29) and len(whole) == 11
    assert weeks.whole_weeks(D(2026, 11, 30), SUNDAY) == [week_of(SUNDAY)]
    assert weeks.whole_weeks(D(2026, 12, 1), SUNDAY) == []


def test_a_history_counts_whole_weeks_and_keeps_the_week_in_progress_apart() -> None:
    three = weeks.weeks_ending(week_of(D(2026, 12, 9)), 3)  # Nov 23, Nov 30, Dec 7 (in progress on Wed Dec 9)
    days = [
        (D(2026, 11, 23), 4, 5),  # Monday
        (D(2026, 11, 29), 3, 3),  # Sunday: the same week, 7 face to face
        (D(2026, 11, 30), 2, 2),  # Monday: the next week
        (D(2026, 12, 8), 1, 1),  # this week so far
        (D(2026, 11, 1), 9, 9),  # outside the weeks: ignored
    ]
    history = weeks.history(days, three, today=D(2026, 12, 9))
    assert [(w.face_to_face, w.total, w.in_progress) for w in history.weeks] == [
        (7, 8, False),
        (2, 2, False),
        (1, 1, True),
    ]
    assert history.met == 1 and history.average == 4.5  # (7 + 2) / 2: the week in progress doesn't count
    assert history.current.to_go == 5 and not history.current.meets
    # The chart: bars in order, the standard's line at the same height whatever the counts.
    assert [b.x for b in history.bars] == [0, 22, 44] and history.bars[0].height > history.bars[1].height
    assert history.top == 8 and history.standard_y == 60 - round(60 * 6 / 8)


def _contact(world: World, on: D, *, face_to_face: bool = True, who: str = "specialist") -> None:
    services.employer_contact_log(
        actor=world.people[who],
        program=world.programs["p1"],
        employer=employer(world, name=f"Employer {on}-{face_to_face}-{who}"),
        enrollment=None,
        contacted_on=on,
        face_to_face=face_to_face,
        purpose="learn",
    )


def test_this_week_turns_over_at_midnight_between_sunday_and_monday_local_time(world, client_for) -> None:
    _contact(world, SUNDAY)
    _contact(world, SUNDAY - datetime.timedelta(days=6))  # Monday Nov 30
    _contact(world, SUNDAY - datetime.timedelta(days=7))  # Sunday Nov 29: the week before
    _contact(world, SUNDAY, face_to_face=False)  # a phone call: a contact, not toward the standard
    # 23:30 on Sunday in the install's time zone is already Monday in UTC: still Sunday's week.
    with time_machine.travel(at(SUNDAY, 23, 30), tick=False):
        c = client_for(world.specialist)
        home = c.get(reverse("home")).content.decode()
        assert "<strong>2 of 6</strong> face-to-face employer contacts" in home
        assert "Monday Nov 30 to Sunday Dec 6" in home
        log = c.get(reverse("clients:contact_log")).context
        assert [w.face_to_face for w in log["own_weeks"].weeks[-2:]] == [1, 2]
        assert log["own_weeks"].current.total == 3 and log["weekly"][0]["f2f"] == 2
    with time_machine.travel(at(SUNDAY + datetime.timedelta(days=1), 0, 30), tick=False):
        c = client_for(world.specialist)
        home = c.get(reverse("home")).content.decode()
        assert "<strong>0 of 6</strong> face-to-face employer contacts" in home
        assert "Monday Dec 7 to Sunday Dec 13" in home
        own = c.get(reverse("clients:contact_log")).context["own_weeks"]
        assert [w.face_to_face for w in own.weeks[-3:]] == [1, 2, 0] and own.met == 0 and own.average is not None


def test_the_13_week_history_starts_on_the_monday_12_weeks_back(world, client_for) -> None:
    with time_machine.travel(at(SUNDAY, 12), tick=False):
        first_monday = D(2026, 9, 7)
        _contact(world, first_monday)
        _contact(world, first_monday - datetime.timedelta(days=1))  # Sunday Sep 6: 14 weeks back, not shown
        for k in range(6):
            _contact(world, D(2026, 11, 23) + datetime.timedelta(days=k))  # six in the week of Nov 23
        own = client_for(world.specialist).get(reverse("clients:contact_log")).context["own_weeks"]
    assert len(own.weeks) == 13 and own.weeks[0].week.monday == first_monday
    assert own.weeks[0].face_to_face == 1 and sum(w.face_to_face for w in own.weeks) == 7
    assert own.met == 1 and own.weeks[-2].meets and own.current.in_progress


def test_the_confirmation_after_a_contact_says_where_the_week_stands(world, client_for) -> None:
    bakery = employer(world)
    with time_machine.travel(at(SUNDAY, 12), tick=False):
        c = client_for(world.specialist)
        for k in range(3):
            _contact(world, SUNDAY - datetime.timedelta(days=k))
        page = c.post(
            reverse("clients:contact_add"),
            {"contacted_on": "2026-12-04", "employer": bakery.pk, "face_to_face": "on", "purpose": "learn"},
            follow=True,
        ).content.decode()
        assert "Logged. This week: 4 of 6 face-to-face employer contacts." in page
        assert "It counts in the week of" not in page
        # A contact of an earlier week counts there, and the message says so.
        response = c.post(
            reverse("clients:contact_add"),
            {"contacted_on": "2026-11-27", "employer": bakery.pk, "face_to_face": "on", "purpose": "learn"},
            follow=True,
        )
        page = response.content.decode()
        assert "Logged. This week: 4 of 6 face-to-face employer contacts." in page
        assert "It counts in the week of Nov 23 – Nov 29 (1 face to face)." in page
        assert 'href="/employer-contacts/#your-weeks"' in page


def test_the_caseload_shows_the_specialist_their_week_and_the_supervisor_the_unit(world, client_for) -> None:
    with time_machine.travel(at(SUNDAY, 12), tick=False):
        for k in range(6):
            _contact(world, SUNDAY - datetime.timedelta(days=k))
        specialist = client_for(world.specialist).get(reverse("clients:caseload")).content.decode()
        supervisor = client_for(world.supervisor).get(reverse("clients:caseload")).content.decode()
        case_manager = client_for(world.case_manager).get(reverse("clients:caseload")).content.decode()
    assert "<strong>6 of 6</strong> face-to-face employer contacts" in specialist and "Standard met." in specialist
    assert "Specialist Tester: <strong>6 of 6</strong>" in supervisor
    # The mental health team neither makes nor supervises employer contacts: no block.
    assert "Employer contacts this week" not in case_manager


def test_the_employer_contact_log_is_in_the_menu_of_the_ips_unit(world, client_for) -> None:
    def menu(who: str) -> list[str]:
        return [i.label for i in client_for(world.people[who]).get(reverse("home")).context["nav_items"]]

    assert "Employer contacts" in menu("specialist") and "Employer contacts" in menu("supervisor")
    assert "Employer contacts" not in menu("case_manager") and "Employer contacts" not in menu("counselor")
