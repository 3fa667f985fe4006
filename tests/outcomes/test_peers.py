"""Peer percentiles (issue #23): known values on a small world, small groups suppressed, names only for the
state team of the program's own state, and a fixed number of queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.areakit.hooks import Hooks
from ipshub.areakit.records import FidelityTotal, QuarterActivity
from ipshub.outcomes import peers
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport, Source, Status
from ipshub.tenancy.models import Phase, Program
from tests.area_hooks import CLIENTS, with_hooks

pytestmark = pytest.mark.django_db

LAST = Quarter.containing(timezone.localdate()).previous()
# State A: P1 and P2 of the world, and four more; state B: PB. Employment rates of the last quarter:
RATES = {"p1": 40, "p2": 20, "a3": 30, "a4": 50, "a5": 60, "a6": 10, "pb": 35}
# Employer contacts made in the last quarter (two specialists each); days to first contact (per client).
CONTACTS = {"p1": 52, "p2": 26, "a3": 78, "a4": 104, "a5": 13, "a6": 0, "pb": 260}
DAYS = {"p1": 20, "p2": 40, "a3": 10, "a4": 30, "a5": 50, "a6": 60, "pb": 5}
HIDDEN = ("Program P2", "Program A3", "Program A4", "Program A5", "Program A6", "Program PB")


def _programs(world):  # type: ignore[no-untyped-def]
    programs = dict(world.programs)
    for key in ("a3", "a4", "a5", "a6"):
        programs[key] = Program.objects.create(
            state=world.state_a,
            name=f"Program {key.upper()}",
            mh_agency=world.orgs["mh2"],
            phase=Phase.ONGOING,
            phase_since=datetime.date(2024, 1, 1),
        )
    return programs


def _reports(programs, rates):  # type: ignore[no-untyped-def]
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            program=programs[key],
            year=LAST.year,
            quarter=LAST.quarter,
            definition_code=DEFAULT_CODE,
            definition_version=1,
            source=Source.SUBMITTED,
            status=Status.ACCEPTED,
            due_on=LAST.last_day,
            served=100,
            worked=rate,
        )
        for key, rate in rates.items()
    )


def _hooks(programs):  # type: ignore[no-untyped-def]
    ids = {key: p.pk for key, p in programs.items()}

    def activity(program_ids, first_day, last_day):  # type: ignore[no-untyped-def]
        return [
            QuarterActivity(
                program_id=ids[key],
                year=LAST.year,
                quarter=LAST.quarter,
                employer_contacts=CONTACTS[key],
                specialists=2,
                caseload=30,
                new_clients=4,
                with_first_contact=2,
                days_to_first_contact=2 * DAYS[key],
            )
            for key in CONTACTS
        ]

    def totals(program_ids):  # type: ignore[no-untyped-def]
        # Only three programs have had a review delivered: too few to compare.
        return {
            ids[key]: FidelityTotal(ids[key], total, datetime.date(2026, 3, 1))
            for key, total in (("p1", 100), ("p2", 90), ("pb", 80))
        }

    return with_hooks(
        Hooks(program_activity=activity, fidelity_totals=totals),
        without=(CLIENTS, "ipshub.fidelity.hooks"),
    )


@pytest.fixture
def api(db):  # type: ignore[no-untyped-def]
    """An API client with a fresh token of the person (as tests/api/conftest.py's)."""

    def make(person):  # type: ignore[no-untyped-def]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=person, person=person, name='t')[1]}")
        return client

    return make


@pytest.fixture
def programs(world):  # type: ignore[no-untyped-def]
    found = _programs(world)
    _reports(found, RATES)
    return found


def test_percentiles_of_a_small_known_world(world, programs) -> None:
    with _hooks(programs):
        found = peers.peers_of(world.director, programs["p1"], timezone.localdate())
    by_key = {measure.key: (in_state, everywhere) for measure, in_state, everywhere in found.standings}

    rate_state, rate_all = by_key["employment_rate"]
    assert rate_state.value == 40.0
    # In state A 20, 30 and 10 are lower and P1 ties itself: (3 + 0.5) / 6; with PB's 35 too: (4 + 0.5) / 7.
    assert (rate_state.contributing, rate_state.percentile) == (6, 58)
    assert (rate_all.contributing, rate_all.percentile) == (7, 64)
    assert (rate_state.lower_quartile, rate_state.median, rate_state.upper_quartile) == (20.0, 35.0, 50.0)

    # 52 contacts by two specialists over the quarter's weeks.
    weeks = ((LAST.last_day - LAST.first_day).days + 1) / 7
    contacts_state, _ = by_key["contacts_per_week"]
    assert contacts_state.value == pytest.approx(52 / 2 / weeks)
    assert contacts_state.percentile == round(100 * (3 + 0.5) / 6)  # above P2's 26, A5's 13 and A6's 0

    # Fewer days is better: P1's 20 beats 40, 30, 50 and 60.
    days_state, days_all = by_key["days_to_first_contact"]
    assert (days_state.value, days_state.percentile) == (20.0, round(100 * 4.5 / 6))
    assert days_all.percentile == round(100 * 4.5 / 7)  # PB's 5 days beats it

    # Three programs have a fidelity total: no percentile, no spread, in either group.
    fidelity_state, fidelity_all = by_key["fidelity_total"]
    assert fidelity_state.value == 100.0
    assert fidelity_state.suppressed and fidelity_all.suppressed
    assert fidelity_all.contributing == 3
    assert fidelity_all.percentile is None and fidelity_all.median is None


def test_percentile_rank_counts_ties_as_half() -> None:
    assert peers.percentile_rank(5.0, [5.0, 5.0, 1.0, 9.0], higher_is_better=True) == 50
    assert peers.percentile_rank(1.0, [5.0, 5.0, 1.0, 9.0], higher_is_better=False) == round(100 * 3.5 / 4)


def test_a_small_state_is_suppressed_on_the_page(world, programs, client_for) -> None:
    # State B has one program: its state group is suppressed, the install's (7 programs) is not.
    with _hooks(programs):
        page = client_for(world.other_state_director).get(reverse("outcomes:peers", args=[programs["pb"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fewer than 5 programs have this figure" in html
    assert "Program PB" in html
    for name in ("Program P1", "Program P2", "Program A3"):
        assert name not in html


def test_a_director_never_sees_another_programs_name(world, programs, client_for, api) -> None:
    url = reverse("outcomes:peers", args=[programs["p1"].pk])
    api_url = f"/api/v1/programs/{programs['p1'].pk}/peers/"
    with _hooks(programs):
        for person in (world.director, world.supervisor):
            html = client_for(person).get(url).content.decode()
            answer = api(person).get(api_url)
            assert answer.status_code == 200
            assert "Program P1" in html
            for name in HIDDEN:
                assert name not in html, name
                assert name not in answer.content.decode(), name
            assert answer.json()["state_programs"] is None
            assert answer.json()["measures"][0]["state"]["percentile"] == 58


def test_the_state_team_sees_its_own_states_programs_named(world, programs, client_for, api) -> None:
    url = reverse("outcomes:peers", args=[programs["p1"].pk])
    with _hooks(programs):
        html = client_for(world.state_lead).get(url).content.decode()
        answer = api(world.state_lead).get(f"/api/v1/programs/{programs['p1'].pk}/peers/").json()
    for name in ("Program P2", "Program A3", "Program A6"):
        assert name in html
    assert "Program PB" not in html  # another state's program: never named
    named = {row["name"]: row["values"]["employment_rate"] for row in answer["state_programs"]}
    assert named == {f"Program {key.upper()}": float(rate) for key, rate in RATES.items() if key != "pb"}


def test_people_of_another_state_or_agency_see_nothing(world, programs, client_for, api) -> None:
    url = reverse("outcomes:peers", args=[programs["p1"].pk])
    with _hooks(programs):
        for person in (world.other_state_lead, world.other_state_director, world.other_agency_director):
            assert client_for(person).get(url).status_code == 404
        assert api(world.other_state_lead).get(f"/api/v1/programs/{programs['p1'].pk}/peers/").status_code == 404
        # The program's specialist sees the program but not how it compares.
        assert client_for(world.specialist).get(url).status_code == 403


def test_the_page_runs_the_same_queries_for_more_programs(world, programs, client_for) -> None:
    url = reverse("outcomes:peers", args=[programs["p1"].pk])
    client = client_for(world.state_lead)
    with _hooks(programs):
        client.get(url)
        cache.clear()  # the figures are cached for an hour: measure them computed
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        more = {
            f"x{n}": Program.objects.create(
                state=world.state_a,
                name=f"Extra {n}",
                mh_agency=world.orgs["mh2"],
                phase=Phase.ONGOING,
                phase_since=datetime.date(2024, 1, 1),
            )
            for n in range(8)
        }
        _reports(more, {key: 25 for key in more})
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as cached:
        assert "Extra 7" in client.get(url).content.decode()
    assert len(cached) < len(few)
