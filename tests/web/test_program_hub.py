"""The program's hub (`/programs/<id>/`): one panel per area, the same access as the program (404 for outsiders),
the same queries whatever the data, and the API's answer with the same figures."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.collaboration import services as collab_services
from ipshub.fidelity.models import ConsensusScore, Review
from ipshub.fidelity.scales import current_scale
from ipshub.outcomes import services as outcome_services
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.tenancy.models import Program
from tests.clients import factories as client_factories
from tests.collaboration import factories as collab_factories
from tests.world import World

pytestmark = pytest.mark.django_db

# The session (with the person's seats), the program, its DVR offices and phase history; then the areas:
# implementation 3, caseload 3, fidelity 3, outcomes 1, meetings 2, technical assistance 2.
HUB_QUERIES = 18
OUTSIDERS = ("other_agency_director", "other_state_lead", "other_state_admin", "other_state_director")


def _hub(world: World) -> str:
    return reverse("tenancy:program_detail", args=[world.programs["p1"].pk])


def _delivered_review(program: Program, days_ago: int) -> Review:
    """A delivered review with its consensus scores, written directly: the fidelity tests drive the real steps."""
    scale = current_scale()
    on = datetime.date.today() - datetime.timedelta(days=days_ago)
    review = Review.objects.create(
        program=program,
        scale=scale,
        kind=Review.Kind.FOLLOW_UP,
        status=Review.Status.DELIVERED,
        due_on=on,
        report_date=on,
    )
    ConsensusScore.objects.bulk_create(ConsensusScore(review=review, item=item, score=4) for item in scale.items.all())
    return review


def _fill(world: World, round_: int = 0) -> None:
    """A program with a caseload, a job, a delivered review and the next one, reports, meetings and TA."""
    p1 = world.programs["p1"]
    enrollments = [client_factories.enroll(world) for _ in range(3)]
    bakery = client_factories.employer(world, name=f"Cedar Bakery {round_}")
    client_factories.start_job(world.supervisor, enrollments[0], bakery)
    _delivered_review(p1, days_ago=30 + round_)
    Review.objects.create(
        program=p1,
        scale=current_scale(),
        kind=Review.Kind.FOLLOW_UP,
        due_on=datetime.date.today() + datetime.timedelta(days=90 + round_),
    )
    for quarter, served, worked in ((1, 40, 18), (2, 42, 20)):
        report = outcome_services.report_save(
            actor=world.admin,
            program=p1,
            year=2025 - round_,
            quarter=quarter,
            definition_code=DEFAULT_CODE,
            figures={"served": served, "worked": worked},
        )
        outcome_services.report_submit(actor=world.admin, report=report)
    today = datetime.date.today()
    series = collab_factories.series(world)
    collab_factories.meeting(world, series, today - datetime.timedelta(days=1))
    collab_factories.meeting(world, series, today + datetime.timedelta(days=3))
    for days in (5, 40):
        collab_services.ta_log(
            actor=world.trainer,
            program=p1,
            date=today - datetime.timedelta(days=days),
            kind="visit",
            topics="Job development with the unit",
            hours=Decimal("2.5"),
        )


def test_the_hub_shows_every_areas_panel_for_the_state_lead(world: World, client_for) -> None:
    _fill(world)
    body = client_for(world.state_lead).get(_hub(world)).content.decode()
    for heading in ("Implementation", "Caseload", "Fidelity", "Outcomes", "Meetings", "Technical assistance"):
        assert f">{heading}</a>" in body, heading
    p1 = world.programs["p1"].pk
    for link in (f"/implementation/programs/{p1}/", f"/ips-dashboard/{p1}/", f"/outcomes/programs/{p1}/"):
        assert link in body, link
    assert "45.0% employed" in body and "47.6% employed" in body  # exact figures for the state team
    assert "5 hours in 2 entries" in body
    assert "Phase history" in body  # what the old program page showed stays


def test_outsiders_get_404_and_partners_see_their_program(world: World, client_for) -> None:
    for name in OUTSIDERS:
        assert client_for(world.people[name]).get(_hub(world)).status_code == 404, name
    specialist = client_for(world.specialist).get(_hub(world))
    assert specialist.status_code == 200
    counselor = client_for(world.counselor).get(_hub(world)).content.decode()
    assert ">Caseload</a>" not in counselor  # the supervisor dashboard's rule: no caseload counts for DVR


def test_the_hub_runs_the_same_queries_whatever_the_data(world: World, client_for) -> None:
    client = client_for(world.state_lead)
    client.get(_hub(world))  # warm caches (content types, the session)
    with CaptureQueriesContext(connection) as empty:
        assert client.get(_hub(world)).status_code == 200
    _fill(world)
    _fill(world, round_=1)
    with CaptureQueriesContext(connection) as full:
        assert client.get(_hub(world)).status_code == 200
    assert len(full.captured_queries) == len(empty.captured_queries) == HUB_QUERIES
