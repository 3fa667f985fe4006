"""The statewide views (issue 23): technical-assistance activity, training gaps and the fidelity schedule across
a state's programs, for the state team and trainers only, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.collaboration.models import TAActivity
from ipshub.collaboration.statewide import window_start
from tests.web.test_program_hub import _fill
from tests.world import World

pytestmark = pytest.mark.django_db

PAGES = (
    "/statewide/",
    "/statewide/technical-assistance/",
    "/statewide/technical-assistance.csv",
    "/statewide/training-gaps/",
    "/statewide/fidelity-schedule/",
    "/statewide/training-gaps.csv",
    "/statewide/fidelity-schedule.csv",
)
COUNTED = PAGES[1], PAGES[3], PAGES[4]


def test_the_state_lead_and_the_trainer_see_their_states_programs(world: World, client_for) -> None:
    _fill(world)
    for name in ("state_lead", "trainer"):
        client = client_for(world.people[name])
        nav = client.get("/").content.decode()
        assert 'href="/statewide/"' in nav, name
        for url in PAGES:
            assert client.get(url).status_code == 200, (name, url)
    ta = client_for(world.trainer).get(PAGES[1]).content.decode()
    assert "Job development with the unit" in ta and "1 of 2" in ta  # programs reached of the state's programs
    csv = client_for(world.trainer).get(PAGES[2]).content.decode()
    assert csv.splitlines()[0] == "date,program,trainer,kind,hours,topics,results" and csv.count("Program P1") == 2
    gaps = client_for(world.state_lead).get(PAGES[3]).content.decode()
    assert "Program P1" in gaps and "Program P2" in gaps and "Program PB" not in gaps
    gaps_csv = client_for(world.state_lead).get(PAGES[5]).content.decode().splitlines()
    assert gaps_csv[0].startswith("program,people,") and len(gaps_csv) == 3  # the state's two programs
    schedule_csv = client_for(world.state_lead).get(PAGES[6]).content.decode().splitlines()
    assert schedule_csv[0].endswith(",overdue") and schedule_csv[1].startswith("Program P1,")
    schedule = client_for(world.state_lead).get(PAGES[4] + "?show=unscheduled").content.decode()
    assert "Program P2" in schedule and "Program P1" not in schedule


def test_program_staff_get_403_and_another_state_sees_nothing_of_ours(world: World, client_for) -> None:
    for name in ("supervisor", "reviewer", "other_state_director"):
        client = client_for(world.people[name])
        assert 'href="/statewide/"' not in client.get("/").content.decode(), name
        for url in PAGES:
            assert client.get(url).status_code == 403, (name, url)
    other = client_for(world.other_state_lead)
    for url in PAGES[1:]:
        body = other.get(url).content.decode()
        assert "Program P1" not in body and "Program P2" not in body, url


def test_bad_parameters_never_fail(world: World, client_for) -> None:
    client = client_for(world.state_lead)
    for url in (PAGES[1] + "?quarters=x", PAGES[1] + "?page=-3", PAGES[3] + "?page=zz", PAGES[4] + "?show=%00"):
        assert client.get(url).status_code == 200, url


def _counts(client) -> list[int]:  # type: ignore[no-untyped-def]
    counts = []
    for url in COUNTED:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def test_the_statewide_pages_run_the_same_queries_whatever_the_data(world: World, client_for) -> None:
    client = client_for(world.state_lead)
    _fill(world)
    client.get(PAGES[0])  # warm caches (content types, the session)
    small = _counts(client)
    _fill(world, round_=1)
    today = datetime.date.today()
    TAActivity.objects.bulk_create(
        TAActivity(
            program=world.programs["p2"],
            trainer=world.state_lead,
            date=today - datetime.timedelta(days=n),
            kind="call",
            topics=f"Call {n}",
            hours=Decimal("1.0"),
        )
        for n in range(40)
    )
    assert _counts(client) == small == [9, 7, 6]


def test_the_window_starts_on_a_quarters_first_day() -> None:
    assert window_start(datetime.date(2026, 12, 7), 4) == datetime.date(2026, 1, 1)
    assert window_start(datetime.date(2026, 2, 1), 8) == datetime.date(2024, 4, 1)
