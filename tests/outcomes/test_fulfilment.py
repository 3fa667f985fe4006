"""Goals and quarterly reports close the duties they fulfil (outcomes/work.py), through the service functions;
a goal removed or a report returned reopens its duty with the reason."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import ItemStatus, StatusSource
from ipshub.outcomes import services, work
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.models import Goal, GoalMetric
from tests.fulfilment_checks import (
    assignment,
    committed,
    links,
    previous_quarter,
    quarter_key,
    quarter_start,
    to_implementation,
    today,
)
from tests.implementation.helpers import to_ongoing

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(2000, 1, 1)
FIGURES = {"served": 40, "worked": 16}


@pytest.fixture
def ongoing(world):
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    assignments_reconcile([program.pk])
    return program


def _goal(world, program, *, metric=GoalMetric.EMPLOYMENT_RATE, year=None, target=41, actor=None) -> Goal:
    return services.goal_set(
        actor=actor or world.supervisor,
        program=program,
        year=year or today().year,
        quarter=0,
        metric=metric,
        target=Decimal(target),
    )


def test_the_first_goal_closes_the_implementation_duty_and_removing_the_goals_reopens_it(
    world, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    to_implementation(program, world.state_lead)
    assignments_reconcile([program.pk])
    assert assignment(program, "R-IMP-MH-05").is_open
    with committed(django_capture_on_commit_callbacks):
        goal = _goal(world, program)
    found = assignment(program, "R-IMP-MH-05")
    assert (found.status, found.status_source, found.completed_on) == (ItemStatus.DONE, StatusSource.WORK, today())
    url = reverse("outcomes:goals", kwargs={"program_id": program.pk})
    assert links(found) == [{"kind": "outcome_goal", "id": goal.pk, "url": url, "on": today().isoformat()}]
    with committed(django_capture_on_commit_callbacks):
        services.goal_delete(actor=world.supervisor, goal=goal)
    found = assignment(program, "R-IMP-MH-05")
    assert found.is_open and found.fulfilled_by == []
    assert "The program's outcome goals were removed." in found.status_reason
    p2, pb = world.programs["p2"].pk, world.programs["pb"].pk
    other = _goal(world, world.programs["p2"], actor=world.other_agency_director)
    assert [w.id for w in work.goals([program.pk, pb], LONG_AGO)] == []
    assert [w.id for w in work.goals([p2], LONG_AGO)] == [other.pk]


def test_goals_set_or_updated_this_year_close_the_yearly_duties(
    world, ongoing, django_capture_on_commit_callbacks
) -> None:
    year = str(today().year)
    assert assignment(ongoing, "R-ONG-MH-03", year).is_open
    # A goal set long ago and not touched since does not fulfil this year's duty.
    old = _goal(world, ongoing, metric=GoalMetric.JOB_STARTS, year=today().year - 2, target=18)
    long_ago = timezone.now() - datetime.timedelta(days=800)
    Goal.objects.filter(pk=old.pk).update(created_at=long_ago, updated_at=long_ago)
    assignments_reconcile([ongoing.pk])
    assert assignment(ongoing, "R-ONG-MH-03", year).is_open
    # Updating it this year does.
    with committed(django_capture_on_commit_callbacks):
        _goal(world, ongoing, metric=GoalMetric.JOB_STARTS, year=today().year - 2, target=20)
    for key in ("R-ONG-MH-03", "R-ONG-EP-06"):
        found = assignment(ongoing, key, year)
        assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK), key
        assert links(found)[0]["id"] == old.pk and links(found)[0]["on"] == today().isoformat()
        assert found.fulfilled_by[0]["label"].startswith("Outcome goal updated: Job starts")
    with committed(django_capture_on_commit_callbacks):
        services.goal_delete(actor=world.supervisor, goal=old)
    found = assignment(ongoing, "R-ONG-MH-03", year)
    assert found.is_open
    assert "The goals set or updated in this period were removed." in found.status_reason
    assert list(work.goals_updated([world.programs["p2"].pk, world.programs["pb"].pk], LONG_AGO)) == []


def test_a_submitted_report_closes_the_quarter_and_a_return_reopens_it_until_resubmitted(
    world, ongoing, django_capture_on_commit_callbacks
) -> None:
    last = previous_quarter(today())
    key = quarter_key(last)
    year, quarter = last.year, (last.month - 1) // 3 + 1
    report = services.report_save(
        actor=world.supervisor,
        program=ongoing,
        year=year,
        quarter=quarter,
        definition_code=DEFAULT_CODE,
        figures=FIGURES,
    )
    assignments_reconcile([ongoing.pk])
    assert assignment(ongoing, "R-ONG-EP-03", key).is_open  # a draft is not a submission
    with committed(django_capture_on_commit_callbacks):
        services.report_submit(actor=world.supervisor, report=report)
    url = reverse("outcomes:report_detail", kwargs={"report_id": report.pk})
    for duty in ("R-ONG-EP-03", "R-ONG-EP-07"):
        found = assignment(ongoing, duty, key)
        assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK), duty
        assert links(found) == [{"kind": "outcome_report", "id": report.pk, "url": url, "on": today().isoformat()}]
    assert assignment(ongoing, "R-ONG-ST-02", quarter_key(today())).is_open  # the state team has not decided yet

    with committed(django_capture_on_commit_callbacks):
        services.report_return(actor=world.state_lead, report=report, comment="Worked looks high.")
    found = assignment(ongoing, "R-ONG-EP-03", key)
    assert found.is_open and found.fulfilled_by == []
    assert "The quarter's report was returned for changes and has not been resubmitted." in found.status_reason
    reviewed = assignment(ongoing, "R-ONG-ST-02", quarter_key(today()))
    assert reviewed.status == ItemStatus.DONE
    assert reviewed.fulfilled_by[0]["label"] == (
        f"{year} Q{quarter} outcome report, returned for changes {today():%b} {today().day}, {today().year}"
    )

    report = services.report_update(actor=world.supervisor, report=report, figures={"served": 40, "worked": 14})
    with committed(django_capture_on_commit_callbacks):
        services.report_submit(actor=world.supervisor, report=report)
    assert assignment(ongoing, "R-ONG-EP-03", key).status == ItemStatus.DONE
    reviewed = assignment(ongoing, "R-ONG-ST-02", quarter_key(today()))
    assert reviewed.is_open
    assert "something new was asked" in reviewed.status_reason  # the resubmission waits for a decision

    with committed(django_capture_on_commit_callbacks):
        services.report_accept(actor=world.state_lead, report=report)
    reviewed = assignment(ongoing, "R-ONG-ST-02", quarter_key(today()))
    assert reviewed.status == ItemStatus.DONE
    assert links(reviewed) == [{"kind": "outcome_report", "id": report.pk, "url": url, "on": today().isoformat()}]

    # A correction of the accepted report is a new draft: the quarter was still submitted and reviewed.
    with committed(django_capture_on_commit_callbacks):
        services.report_correct(actor=world.supervisor, report=report, reason="Late hire", figures=FIGURES)
    assert assignment(ongoing, "R-ONG-EP-03", key).status == ItemStatus.DONE
    assert assignment(ongoing, "R-ONG-ST-02", quarter_key(today())).status == ItemStatus.DONE

    works = list(work.reports_submitted([ongoing.pk, world.programs["p2"].pk], LONG_AGO))
    assert [(w.id, w.covers) for w in works] == [(report.pk, quarter_start(last))]
    other = [world.programs["p2"].pk, world.programs["pb"].pk]
    assert list(work.reports_submitted(other, LONG_AGO)) == []
    assert list(work.reports_reviewed(other, LONG_AGO)) == []
