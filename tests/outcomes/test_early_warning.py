"""The early warning (issue #23) on a small world with a known answer: programs that make few employer
contacts fall below 31% more often, so they come first; the backtest's figures; the command; the page."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.areakit.hooks import Hooks
from ipshub.areakit.records import QuarterActivity
from ipshub.outcomes import early_warning
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import EarlyWarningModel, QuarterlyReport, Source, Status
from ipshub.tenancy.models import Phase, Program
from tests.area_hooks import CLIENTS, with_hooks

pytestmark = pytest.mark.django_db

LAST = Quarter.containing(timezone.localdate()).previous()
QUARTERS = [Quarter.from_index(LAST.index - 15 + n) for n in range(16)]
# Each program's strength: its employer contacts a quarter and its employment rate follow it, with noise.
STRENGTH = {"p1": 0.9, "a1": 0.05, "a2": 0.2, "a3": 0.35, "a4": 0.5, "a5": 0.65, "a6": 0.8, "pb": 0.1}


def _world(world):  # type: ignore[no-untyped-def]
    programs = {"p1": world.programs["p1"], "pb": world.programs["pb"]}
    for key in ("a1", "a2", "a3", "a4", "a5", "a6"):
        programs[key] = Program.objects.create(
            state=world.state_a,
            name=f"Program {key.upper()}",
            mh_agency=world.orgs["mh2"],
            phase=Phase.ONGOING,
            phase_since=datetime.date(2020, 1, 1),
        )
    rng = random.Random(23)
    reports, activity = [], []
    for key, strength in STRENGTH.items():
        for q in QUARTERS:
            rate = round(100 * min(0.9, max(0.05, 0.18 + 0.3 * strength + rng.uniform(-0.1, 0.1))))
            contacts = round(20 + 100 * strength + rng.uniform(-10, 10))
            reports.append(
                QuarterlyReport(
                    program=programs[key],
                    year=q.year,
                    quarter=q.quarter,
                    definition_code=DEFAULT_CODE,
                    definition_version=1,
                    source=Source.SUBMITTED,
                    status=Status.ACCEPTED,
                    due_on=q.last_day,
                    served=100,
                    worked=rate,
                    job_starts=rate // 4,
                    job_endings=5,
                )
            )
            activity.append(
                QuarterActivity(programs[key].pk, q.year, q.quarter, contacts, 2, 40, 6, 5, 5 * (60 - 50 * strength))
            )
    QuarterlyReport.objects.bulk_create(reports)

    def program_activity(program_ids, first_day, last_day):  # type: ignore[no-untyped-def]
        return activity

    return programs, with_hooks(Hooks(program_activity=program_activity), without=(CLIENTS,))


def test_few_contacts_come_first_and_the_reasons_say_so(world) -> None:
    _, hooks = _world(world)
    with hooks:
        model = early_warning.early_warning_refit(actor=None, today=timezone.localdate())
    assert model.samples == 8 * 15 and len(model.quarters_used) == 15
    weights = dict(zip(model.features, model.coefficients, strict=True))
    assert weights["contacts_per_week"] < 0 and weights["rate"] < 0  # more contacts, higher rate: less risk
    order = [score.program.name for score in early_warning.scores_for(model)]
    assert order[:2] == ["Program A1", "Program PB"]  # the two weakest
    assert order[-1] == "Program P1"
    weakest = early_warning.scores_for(model)[0]
    assert weakest.chance > 0.9 and (weakest.year, weakest.quarter) == (
        Quarter.from_index(LAST.index + 1).year,
        Quarter.from_index(LAST.index + 1).quarter,
    )
    assert any(reason.startswith("Employer contacts per specialist per week") for reason in weakest.reasons)
    assert any(reason.startswith("Days from referral to first employer contact") for reason in weakest.reasons)


def test_the_backtest_trains_on_the_quarters_before_each(world) -> None:
    _, hooks = _world(world)
    with hooks:
        results = early_warning.backtest(early_warning.history(QUARTERS[0], LAST), quarters=8)
    assert [str(r.quarter) for r in results] == [str(q) for q in QUARTERS[-8:]]
    assert [(r.programs, r.below) for r in results] == FIGURES_BELOW
    assert [(r.warned, r.caught) for r in results] == FIGURES_WARNED
    assert (results[2].precision, results[2].recall) == (0.5, 1.0)


# Each of the 8 quarters predicts the 8 programs; how many fell below, and how many warnings (chance of 50% or
# more) were given and came true. Precision 27 of 29, recall 27 of 35 over the 8 quarters.
FIGURES_BELOW = [(8, 5), (8, 5), (8, 2), (8, 4), (8, 4), (8, 6), (8, 6), (8, 3)]
FIGURES_WARNED = [(3, 3), (4, 4), (4, 2), (3, 3), (3, 3), (4, 4), (4, 4), (4, 2)]


def test_the_command_prints_precision_and_recall_and_refits(world) -> None:
    _, hooks = _world(world)
    out = io.StringIO()
    with hooks:
        call_command("early-warning", "--backtest", "--refit", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["quarter", "programs", "below", "warned", "caught", "precision", "recall"]
    assert len([line for line in lines if line[:4].isdigit()]) == 8
    assert lines[-1].startswith("Fitted on 120 program-quarters")
    assert EarlyWarningModel.objects.count() == 1


def test_the_page_shows_each_person_their_programs(world, client_for) -> None:
    _, hooks = _world(world)
    with hooks:
        early_warning.early_warning_refit(actor=None, today=timezone.localdate())
    url = reverse("outcomes:early_warning")
    lead = client_for(world.state_lead).get(url).content.decode()
    assert "What this is, and what it is not" in lead
    # The state team: every program of state A, riskiest first; never state B's.
    assert lead.index("Program A1") < lead.index("Program A2") < lead.index("Program P1")
    assert "Program PB" not in lead
    director = client_for(world.director).get(url).content.decode()
    assert "Program P1" in director and "Program A1" not in director and "Program PB" not in director
    other = client_for(world.other_state_lead).get(url).content.decode()
    assert "Program PB" in other and "Program P1" not in other
    specialist = client_for(world.specialist).get(url).content.decode()
    assert "Program P1" not in specialist
    # The API answers the same programs, riskiest first.
    for person, names in (
        (world.state_lead, ["Program A1", "Program A2", "Program A3", "Program A4", "Program A5", "Program A6"]),
        (world.director, ["Program P1"]),
        (world.other_state_lead, ["Program PB"]),
    ):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=person, person=person, name='t')[1]}")
        answer = client.get("/api/v1/early-warning/").json()
        assert [row["name"] for row in answer][: len(names)] == names
        assert {row["name"] for row in answer} <= {*names, "Program P1"}


def test_the_page_runs_the_same_queries_for_more_programs(world, client_for) -> None:
    _, hooks = _world(world)
    with hooks:
        model = early_warning.early_warning_refit(actor=None, today=timezone.localdate())
    client = client_for(world.state_lead)
    url = reverse("outcomes:early_warning")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    model.scores.all().delete()
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    assert len(few) == len(none)
