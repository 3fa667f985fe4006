"""Cadence checks: met / at risk / missed at month, week and quarter edges, with a frozen clock."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from ipshub.collaboration import cadence, selectors
from ipshub.collaboration.models import MeetingKind
from tests.collaboration.factories import meeting, series, start_implementation

D = datetime.date


def test_status_of_a_period_by_day() -> None:
    march = cadence.Period(D(2025, 3, 1), D(2025, 3, 31), "March")
    assert cadence.status_of(march, None, D(2025, 2, 28)).status == cadence.UPCOMING
    assert cadence.status_of(march, None, D(2025, 3, 1)).status == cadence.OPEN
    assert cadence.status_of(march, None, D(2025, 3, 15)).status == cadence.OPEN  # 15 of 31 days
    assert cadence.status_of(march, None, D(2025, 3, 16)).status == cadence.AT_RISK  # half gone
    assert cadence.status_of(march, None, D(2025, 3, 31)).status == cadence.AT_RISK
    assert cadence.status_of(march, None, D(2025, 4, 1)).status == cadence.MISSED
    assert cadence.status_of(march, D(2025, 3, 20), D(2025, 3, 31)).status == cadence.MET
    # A meeting planned later in the period does not count before it happens.
    assert cadence.status_of(march, D(2025, 3, 20), D(2025, 3, 19)).status == cadence.AT_RISK


def test_trainer_months_start_with_the_implementation_month() -> None:
    months = cadence.trainer_months(D(2025, 11, 20))
    assert [m.start for m in months] == [
        D(2025, 11, 20),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
        D(2026, 3, 1),
        D(2026, 4, 1),
    ]
    assert months[1].end == D(2025, 12, 31) and months[3].end == D(2026, 2, 28)


def test_weeks_and_quarters_at_edges() -> None:
    weeks = cadence.weeks_overlapping(D(2025, 3, 1), D(2025, 3, 31), not_before=D(2025, 1, 1))
    assert weeks[0].start == D(2025, 2, 24) and weeks[-1].end == D(2025, 4, 6)
    assert len(weeks) == 6
    assert cadence.quarter_of(D(2025, 3, 31)) == cadence.Period(D(2025, 1, 1), D(2025, 3, 31), "Q1 2025")
    assert cadence.quarter_of(D(2025, 4, 1)).label == "Q2 2025"


def _checks(world, year: int, month: int) -> dict[str, cadence.CheckResult]:
    program = world.programs["p1"]
    result = selectors.cadence_for([program], timezone.localdate(), year, month)[0]
    return {c.key: c for c in result.checks}


@pytest.mark.django_db
def test_trainer_cadence_goes_from_at_risk_to_met_and_missed_after_the_month(world) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 10))
    unit = series(world, MeetingKind.IPS_UNIT)
    with time_machine.travel(datetime.datetime(2025, 4, 20, 12, tzinfo=datetime.UTC), tick=False):
        checks = _checks(world, 2025, 4)
        assert checks["trainer_unit"].status == cadence.AT_RISK
        meeting(world, unit, D(2025, 4, 18), attendees=("trainer", "supervisor"))
        assert _checks(world, 2025, 4)["trainer_unit"].status == cadence.MET
        # The treatment team check is separate and still at risk.
        assert _checks(world, 2025, 4)["trainer_team"].status == cadence.AT_RISK
    with time_machine.travel(datetime.datetime(2025, 5, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert _checks(world, 2025, 4)["trainer_team"].status == cadence.MISSED
        assert _checks(world, 2025, 5)["trainer_unit"].status == cadence.OPEN


@pytest.mark.django_db
def test_trainer_checks_stop_after_six_months(world) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 10))
    with time_machine.travel(datetime.datetime(2025, 9, 20, 12, tzinfo=datetime.UTC), tick=False):
        assert "trainer_unit" not in _checks(world, 2025, 9)
        assert _checks(world, 2025, 8)["trainer_unit"].periods[0].period.label == "Month 6: August 2025"


@pytest.mark.django_db
def test_specialist_at_the_unit_meeting_does_not_count_as_the_trainer(world) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 10))
    unit = series(world, MeetingKind.IPS_UNIT)
    with time_machine.travel(datetime.datetime(2025, 3, 28, 12, tzinfo=datetime.UTC), tick=False):
        meeting(world, unit, D(2025, 3, 20), attendees=("specialist", "supervisor"))
        assert _checks(world, 2025, 3)["trainer_unit"].status == cadence.AT_RISK


@pytest.mark.django_db
def test_employment_staff_weekly_at_treatment_team(world) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 3))  # a Monday
    team = series(world, MeetingKind.TREATMENT_TEAM)
    meeting(world, team, D(2025, 3, 4), attendees=("specialist", "case_manager"))
    meeting(world, team, D(2025, 3, 12), attendees=("case_manager",))  # no employment staff
    with time_machine.travel(datetime.datetime(2025, 3, 20, 18, tzinfo=datetime.UTC), tick=False):
        weeks = _checks(world, 2025, 3)["staff_team"].periods
        assert [w.status for w in weeks] == [
            cadence.MET,  # week of Mar 3
            cadence.MISSED,  # week of Mar 10: only the case manager came
            cadence.AT_RISK,  # week of Mar 17, Thursday
            cadence.UPCOMING,
            cadence.UPCOMING,  # week of Mar 31 reaches into April
        ]
        assert _checks(world, 2025, 3)["staff_team"].status == cadence.MISSED


@pytest.mark.django_db
def test_steering_committee_quarterly_with_the_trainer_invited(world) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 3))
    steering = series(world, MeetingKind.STEERING)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert _checks(world, 2025, 5)["steering"].status == cadence.AT_RISK  # Q2 more than half gone
        meeting(world, steering, D(2025, 5, 2), attendees=("director", "supervisor"))
        assert _checks(world, 2025, 5)["steering"].status == cadence.AT_RISK  # trainer not invited
        meeting(world, steering, D(2025, 5, 30), attendees=("director",), invited=("trainer",))
        assert _checks(world, 2025, 4)["steering"].status == cadence.MET
    with time_machine.travel(datetime.datetime(2025, 7, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert _checks(world, 2025, 7)["steering"].status == cadence.OPEN  # Q3 just began
        assert _checks(world, 2025, 6)["steering"].status == cadence.MET


@pytest.mark.django_db
def test_cadence_for_many_programs_takes_a_fixed_number_of_queries(world, django_assert_num_queries) -> None:
    start_implementation(world.programs["p1"], D(2025, 3, 3))
    unit = series(world, MeetingKind.IPS_UNIT)
    programs = list(world.programs.values())
    with django_assert_num_queries(1):
        selectors.cadence_for(programs, D(2025, 3, 20), 2025, 3)
    for day in range(3, 28, 2):
        meeting(world, unit, D(2025, 3, day), attendees=("trainer", "supervisor", "specialist"))
    with django_assert_num_queries(1):
        selectors.cadence_for(programs, D(2025, 3, 20), 2025, 3)
