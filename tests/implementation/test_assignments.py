"""Assignments mirror the roles catalog, phase by phase, each to the right party's organization."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from ipshub.catalog.models import Responsibility
from ipshub.implementation import services
from ipshub.implementation.models import Assignment
from ipshub.tenancy import phases
from ipshub.tenancy.models import Phase
from ipshub.tenancy.services import program_change_phase, program_create
from tests.fulfilment_checks import committed
from tests.implementation.helpers import to_ongoing
from tests.world import World

pytestmark = pytest.mark.django_db


def catalog_cells(*phases: str) -> Counter:
    return Counter(
        Responsibility.objects.filter(version__is_current=True, phase__key__in=phases).values_list(
            "phase__key", "party__key"
        )
    )


def assignment_cells(program) -> Counter:
    return Counter(Assignment.objects.filter(program=program).values_list("phase_key", "party_key"))


def test_a_new_program_gets_the_prior_phase_responsibilities(world: World) -> None:
    program = program_create(
        actor=world.state_lead,
        state=world.state_a,
        name="New IPS",
        mh_agency=world.orgs["mh1"],
        employment_provider=world.orgs["provider1"],
        dvr_offices=[world.orgs["dvr1"]],
        opened_on=datetime.date(2025, 3, 1),
    )
    assert assignment_cells(program) == catalog_cells("prior")
    assert sum(catalog_cells("prior").values()) == 17
    first = Assignment.objects.filter(program=program).select_related("responsibility").first()
    assert first is not None
    assert first.due_on == datetime.date(2025, 3, 1) + datetime.timedelta(days=first.responsibility.due_days)


def one_time(*phases: str) -> set[int]:
    return {
        r.pk
        for r in Responsibility.objects.filter(version__is_current=True, phase__key__in=phases)
        if not r.fulfilment.get("period")
    }


def test_a_program_in_ongoing_service_holds_each_duty_once_or_once_per_period(world: World) -> None:
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    program.refresh_from_db()
    assert program.phase == Phase.ONGOING
    mine = Assignment.objects.filter(program=program)
    # Every one-time duty of the three phases it entered, exactly once...
    assert set(mine.filter(period_key="").values_list("responsibility_id", flat=True)) == one_time(
        "prior", "implementation", "ongoing"
    )
    assert mine.filter(period_key="").count() == len(one_time("prior", "implementation", "ongoing"))
    # ...each recurring duty of the phase it is in, for the period containing today...
    today = timezone.localdate()
    current = {
        r.pk
        for r in Responsibility.objects.filter(version__is_current=True, phase__key="ongoing")
        if r.fulfilment.get("period") in ("month", "quarter", "year")
    }
    assert current == set(
        mine.filter(period_start__lte=today, period_end__gte=today, phase_key="ongoing").values_list(
            "responsibility_id", flat=True
        )
    )
    # ...and the fidelity-review duties once per review (the baseline was scheduled on entering implementation).
    reviews = {a.period_key for a in mine.filter(phase_key="fidelity")}
    assert reviews and all(key.startswith("review:") for key in reviews)
    expected = {
        "state_team": world.orgs["team_a"].pk,
        "mh_agency": world.orgs["mh1"].pk,
        "employment_provider": world.orgs["provider1"].pk,
        "dvr": world.orgs["dvr1"].pk,
    }
    for party, org_id in mine.values_list("party_key", "organization_id"):
        assert org_id == expected[party], party


def test_fidelity_review_duties_come_with_the_baseline_review(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    with committed(django_capture_on_commit_callbacks):
        program_change_phase(
            actor=world.state_lead,
            program=program,
            to_phase=Phase.IMPLEMENTATION,
            effective_on=datetime.date(2025, 2, 1),
            reason="Kick-off held on paper",
            is_override=True,
        )
    assert set(assignment_cells(program)) <= set(catalog_cells("prior", "implementation", "fidelity"))
    per_review = Assignment.objects.filter(program=program, phase_key="fidelity")
    assert per_review.count() == sum(catalog_cells("fidelity").values())  # one set, for the baseline review
    assert per_review.values("period_key").distinct().count() == 1


def test_without_a_provider_the_agency_carries_the_provider_duties(world: World) -> None:
    program = world.programs["p2"]
    services.program_setup_sync(program)
    orgs = set(
        Assignment.objects.filter(program=program, party_key="employment_provider").values_list(
            "organization_id", flat=True
        )
    )
    assert orgs == {world.orgs["mh2"].pk}


def test_the_receiver_is_idempotent(world: World) -> None:
    program = world.programs["p1"]
    for _ in range(3):
        phases.entered(
            program=program,
            phase=Phase.IMPLEMENTATION,
            effective_on=program.phase_since,
            actor=None,
        )
    first = Assignment.objects.filter(program=program).count()
    assert first > 0
    services.program_setup_sync(program)
    assert Assignment.objects.filter(program=program).count() == first


def test_dvr_duties_wait_for_a_dvr_office(world: World) -> None:
    program = world.programs["p1"]
    program.dvr_offices.clear()
    services.program_setup_sync(program)
    assert not Assignment.objects.filter(program=program, party_key="dvr", organization__isnull=False).exists()
    assert Assignment.objects.filter(program=program, party_key="dvr").count() == 4
    program.dvr_offices.set([world.orgs["dvr1"]])
    services.program_setup_sync(program)
    assert set(Assignment.objects.filter(program=program, party_key="dvr").values_list("organization", flat=True)) == {
        world.orgs["dvr1"].pk
    }
