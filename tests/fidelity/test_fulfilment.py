"""Fidelity's records fulfil the roles matrix (fidelity/work.py): each review is a period of its own
(`review_periods`), each source closes its assignment with a link through the real services, undoing the
work reopens it with the reason, and a second review brings its own set of duties."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipshub.catalog.models import Responsibility
from ipshub.fidelity import services
from ipshub.fidelity.models import ActionItem, AgendaSlot, ReportDelivery, Review
from ipshub.fidelity.work import SOURCES, review_periods
from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import Assignment, ItemStatus, StatusSource
from ipshub.tenancy.models import Phase, Program
from ipshub.tenancy.services import program_note_event
from tests.fidelity.factories import days, delivered_review, entries, planned_review, review_in_consensus
from tests.implementation.helpers import complete_partnership
from tests.work_changed import committed
from tests.world import World

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read at each use, not once at import: a run that passes local midnight would compare two days."""
    return timezone.localdate()


MISSING = {source.key: source.missing for source in SOURCES}
WHO = "Client A, job seeker"
VISIT_DUTIES = ("R-FID-MH-01", "R-FID-MH-02", "R-FID-MH-03", "R-FID-MH-04", "R-FID-MH-06", "R-FID-DVR-01")


def assignment(program: Program, key: str, period_key: str = "") -> Assignment:
    return Assignment.objects.get(program=program, responsibility__key=key, period_key=period_key)


def period(review: Review) -> str:
    return f"review:{review.pk}"


def assert_done(program: Program, key: str, kind: str, pk: int, period_key: str = "") -> Assignment:
    found = assignment(program, key, period_key)
    assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK), (key, found.status_reason)
    assert {(link["kind"], link["id"]) for link in found.fulfilled_by} == {(kind, pk)}, key
    return found


def assert_open(program: Program, key: str, period_key: str = "") -> Assignment:
    found = assignment(program, key, period_key)
    assert found.status == ItemStatus.NOT_STARTED, (key, found.status, found.status_reason)
    assert found.fulfilled_by == []
    return found


def assert_reopened(program: Program, key: str, source: str, period_key: str = "") -> None:
    found = assert_open(program, key, period_key)
    assert found.status_reason.startswith("Reopened on"), found.status_reason
    assert MISSING[source] in found.status_reason


def ready_to_deliver(world: World) -> Review:
    """A review whose report is written; its visit was two days ago."""
    review = review_in_consensus(world)
    services.consensus_save(
        actor=world.reviewer, review=review, entries=entries(review, [4] * 25, recommendations="Do more.")
    )
    services.consensus_complete(actor=world.reviewer, review=review)
    services.report_save_overall(actor=world.reviewer, review=review, strengths="Strong.", recommendations="More.")
    # Scheduled a month ago (nothing has reconciled the program yet, so its duties start from here).
    Review.objects.filter(pk=review.pk).update(
        visit_day_1=days(-2), visit_day_2=days(-1), created_at=timezone.now() - datetime.timedelta(days=30)
    )
    review.refresh_from_db()
    return review


# --- The periods ---------------------------------------------------------------------------------------


def test_each_review_that_was_not_cancelled_is_a_period_until_the_next_is_scheduled(world: World) -> None:
    program = world.programs["p1"]
    first = delivered_review(world)  # delivering it scheduled the follow-up
    follow_up = Review.objects.get(program=program, kind=Review.Kind.FOLLOW_UP)
    # Noon, local time, 200 days ago: `now() - 200 days` crosses a daylight-saving change, and in the hour before
    # local midnight it fell on the next local day.
    created = datetime.datetime.combine(today() - datetime.timedelta(days=200), datetime.time(12))
    Review.objects.filter(pk=first.pk).update(created_at=timezone.make_aware(created))
    periods = review_periods([program.pk])[program.pk]
    assert [p.key for p in periods] == [period(first), period(follow_up)]
    assert periods[0].start == today() - datetime.timedelta(days=200)
    # The follow-up was scheduled by today's report: its period opens tomorrow, so today's report is the first's.
    assert (periods[0].end, periods[0].report_on, periods[0].visit_on) == (days(1), today(), days(-2))
    assert (periods[1].start, periods[1].end, periods[1].report_on) == (days(1), None, None)
    assert periods[1].visit_on == follow_up.due_on  # no visit planned yet
    services.review_cancel(actor=world.state_lead, review=follow_up, reason="Merged with the next one")
    assert [p.key for p in review_periods([program.pk])[program.pk]] == [period(first)]


# --- Scheduling, consensus, the report --------------------------------------------------------------------


def test_scheduling_the_baseline_closes_the_state_teams_duty_and_cancelling_reopens_it(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    complete_partnership(program, world.state_lead)
    with committed(django_capture_on_commit_callbacks):
        # The first referral starts implementation, which schedules the baseline review by rule.
        program_note_event(actor=world.state_lead, program=program, event="first_referral", on=days(-30))
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION
    baseline = Review.objects.get(program=program)
    done = assert_done(program, "R-IMP-ST-03", "fidelity_review", baseline.pk)
    assert done.fulfilled_by[0]["url"] == f"/fidelity/reviews/{baseline.pk}/"
    with committed(django_capture_on_commit_callbacks):
        services.review_cancel(actor=world.state_lead, review=baseline, reason="The program asked to wait")
    assert_reopened(program, "R-IMP-ST-03", "fidelity.scheduled")
    # The cancelled review's own duties no longer apply.
    interviews = assignment(program, "R-FID-MH-01", period(baseline))
    assert interviews.status == ItemStatus.SUPERSEDED
    assert "cancelled" in interviews.status_reason


def test_consensus_closes_the_reviewers_duty(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    review = review_in_consensus(world)
    services.consensus_save(actor=world.reviewer, review=review, entries=entries(review, [4] * 25))
    with committed(django_capture_on_commit_callbacks):
        services.consensus_complete(actor=world.reviewer, review=review)
    assert_done(program, "R-FID-ST-01", "fidelity_review", review.pk, period(review))
    with committed(django_capture_on_commit_callbacks):
        services.review_cancel(actor=world.state_lead, review=review, reason="Scores lost")
    cancelled = assignment(program, "R-FID-ST-01", period(review))
    assert cancelled.status == ItemStatus.SUPERSEDED and "cancelled" in cancelled.status_reason


def test_the_delivered_report_closes_its_own_review_not_the_one_it_schedules(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    review = ready_to_deliver(world)
    assignments_reconcile([program.pk])
    assert_open(program, "R-FID-ST-02", period(review))
    with committed(django_capture_on_commit_callbacks):
        services.report_deliver(actor=world.state_lead, review=review, delivered_on=today())
    done = assert_done(program, "R-FID-ST-02", "fidelity_report", review.pk, period(review))
    assert done.fulfilled_by[0]["url"] == f"/fidelity/reviews/{review.pk}/report/"
    assert done.completed_on == today()
    # Delivering scheduled the follow-up; its period opens tomorrow, and its own report is still to come.
    follow_up = Review.objects.get(program=program, kind=Review.Kind.FOLLOW_UP)
    assert not Assignment.objects.filter(program=program, period_key=period(follow_up)).exists()
    assignments_reconcile([program.pk], today=days(1))
    assert_open(program, "R-FID-ST-02", period(follow_up))
    assert_open(program, "R-FID-ST-01", period(follow_up))
    assert_done(program, "R-FID-ST-02", "fidelity_report", review.pk, period(review))


# --- The visit ---------------------------------------------------------------------------------------------


def test_the_visits_agenda_closes_the_programs_duties_once_the_visit_has_begun(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    review = planned_review(world, visit_in=5)
    key = period(review)
    with committed(django_capture_on_commit_callbacks):
        services.agenda_use_standard(actor=world.state_lead, review=review)
    for duty in VISIT_DUTIES:
        assert_open(program, duty, key)  # the visit is still to come
    with committed(django_capture_on_commit_callbacks):
        services.review_plan(actor=world.state_lead, review=review, visit_day_1=days(-2), visit_day_2=days(-1))
    for duty, activity in (
        ("R-FID-MH-01", "interview"),
        ("R-FID-MH-06", "interview"),
        ("R-FID-DVR-01", "interview"),
        ("R-FID-MH-02", "chart_review"),
        ("R-FID-MH-03", "observation"),
        ("R-FID-MH-04", "employer_contact"),
    ):
        first_slot = AgendaSlot.objects.filter(review=review, activity=activity).order_by("pk").first()
        assert first_slot is not None
        done = assert_done(program, duty, "agenda_slot", first_slot.pk, key)
        assert done.completed_on == days(-2)
    # The visit is moved to next week: the duties wait for it again, saying why.
    with committed(django_capture_on_commit_callbacks):
        services.review_plan(actor=world.state_lead, review=review, visit_day_1=days(7), visit_day_2=days(8))
    assert_reopened(program, "R-FID-MH-04", "fidelity.employer_visit", key)
    assert_reopened(program, "R-FID-MH-02", "fidelity.chart_review", key)


def test_job_development_needs_its_own_slot_on_the_agenda(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    review = planned_review(world, visit_in=5)
    services.review_plan(actor=world.state_lead, review=review, visit_day_1=days(-2), visit_day_2=days(-1))
    with committed(django_capture_on_commit_callbacks):
        slot = services.agenda_slot_add(
            actor=world.state_lead,
            review=review,
            day=1,
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(10, 0),
            activity=AgendaSlot.Activity.OBSERVATION,
            topic="IPS unit meeting",
        )
    assert_done(program, "R-FID-MH-03", "agenda_slot", slot.pk, period(review))
    assert_open(program, "R-FID-MH-04", period(review))
    with committed(django_capture_on_commit_callbacks):
        slot = services.agenda_slot_add(
            actor=world.state_lead,
            review=review,
            day=2,
            starts_at=datetime.time(13, 0),
            ends_at=datetime.time(15, 0),
            activity=AgendaSlot.Activity.EMPLOYER_CONTACT,
            topic="Jamie with two employers",
        )
    assert_done(program, "R-FID-MH-04", "agenda_slot", slot.pk, period(review))


def test_listing_the_people_invited_closes_the_agencys_duty(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    review = planned_review(world, visit_in=10)
    with committed(django_capture_on_commit_callbacks):
        invitee = services.invitee_add(
            actor=world.director,
            review=review,
            who="Client A, job seeker, two years in services",
            relation="client",
            invited_on=today(),
        )
    done = assert_done(program, "R-FID-MH-05", "review_invitee", invitee.pk, period(review))
    assert done.fulfilled_by[0]["url"] == f"/fidelity/reviews/{review.pk}/#invitees"
    with committed(django_capture_on_commit_callbacks):
        services.invitee_delete(actor=world.supervisor, invitee=invitee)
    assert_reopened(program, "R-FID-MH-05", "fidelity.invitees", period(review))


# --- After the report -------------------------------------------------------------------------------------


def test_the_action_plan_closes_the_written_plan_duty(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    review = delivered_review(world)
    with committed(django_capture_on_commit_callbacks):
        action = services.action_create(
            actor=world.director, review=review, title="Plan employer contacts", items=[], owner=None, due_on=days(60)
        )
    done = assert_done(program, "R-FID-MH-08", "action_plan", action.pk, period(review))
    assert done.fulfilled_by[0]["url"] == f"/fidelity/reviews/{review.pk}/actions/"
    with committed(django_capture_on_commit_callbacks):
        services.action_delete(actor=world.director, action=action)
    assert_reopened(program, "R-FID-MH-08", "fidelity.action_plan", period(review))


def test_the_steering_committees_review_of_the_plan_closes_the_report_review_duty(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    review = delivered_review(world)
    action = services.action_create(
        actor=world.director, review=review, title="Plan employer contacts", items=[], owner=None, due_on=days(60)
    )

    def steering_reviewed(on: datetime.date | None) -> None:
        services.action_update(
            actor=world.director,
            action=action,
            status=ActionItem.Status.IN_PROGRESS,
            due_on=days(60),
            owner=None,
            steering_reviewed_on=on,
        )

    with committed(django_capture_on_commit_callbacks):
        steering_reviewed(today())
    for duty in ("R-FID-MH-07", "R-FID-EP-05"):
        done = assert_done(program, duty, "action_item", action.pk, period(review))
        assert done.fulfilled_by[0]["url"] == f"/fidelity/actions/{action.pk}/"
    with committed(django_capture_on_commit_callbacks):
        steering_reviewed(None)
    assert_reopened(program, "R-FID-MH-07", "fidelity.steering_review", period(review))


# --- A second review ---------------------------------------------------------------------------------------


def test_a_second_delivered_fidelity_review_creates_a_second_set_of_fidelity_phase_assignments(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    first = delivered_review(world)
    # As if the first review had been held last year: scheduled 400 days ago, reported 360 days ago, which
    # scheduled the follow-up that day. Then the program's duties are reconciled (the daily run).
    now = timezone.now()
    Review.objects.filter(pk=first.pk).update(
        created_at=now - datetime.timedelta(days=400),
        visit_day_1=days(-380),
        visit_day_2=days(-379),
        window_opens=days(-394),
        window_closes=days(-365),
        consensus_completed_at=now - datetime.timedelta(days=370),
        report_date=days(-360),
    )
    ReportDelivery.objects.filter(review=first).update(delivered_on=days(-360))
    second = Review.objects.get(program=program, kind=Review.Kind.FOLLOW_UP)
    Review.objects.filter(pk=second.pk).update(created_at=now - datetime.timedelta(days=360))
    assignments_reconcile([program.pk])
    fidelity_duties = Responsibility.objects.filter(version__is_current=True, phase__key="fidelity").count()
    first_set = Assignment.objects.filter(program=program, phase_key="fidelity", period_key=period(first))
    assert first_set.count() == fidelity_duties
    assert_done(program, "R-FID-ST-02", "fidelity_report", first.pk, period(first))
    assert_open(program, "R-FID-MH-01", period(first))  # its visit had no agenda

    with committed(django_capture_on_commit_callbacks):
        delivered = delivered_review(world)  # the follow-up: planned, scored, reported and delivered today
    assert delivered.pk == second.pk

    second_set = Assignment.objects.filter(program=program, phase_key="fidelity", period_key=period(second))
    assert second_set.count() == fidelity_duties
    # Each report closes its own review's duty.
    assert_done(program, "R-FID-ST-02", "fidelity_report", first.pk, period(first))
    assert_done(program, "R-FID-ST-02", "fidelity_report", second.pk, period(second))
    assert assignment(program, "R-FID-ST-02", period(second)).completed_on == today()
    # What the first review left undone is superseded by the second review's report, saying so.
    left = assignment(program, "R-FID-MH-01", period(first))
    assert left.status == ItemStatus.SUPERSEDED and left.status_source == StatusSource.PRODUCT
    assert left.status_reason.startswith("Superseded: a later review")
    assert not first_set.filter(status__in=(ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)).exists()
    # The second review's own open duties stay open.
    assert_open(program, "R-FID-MH-01", period(second))


def test_each_source_reads_a_fixed_number_of_queries(world: World) -> None:
    delivered_review(world)
    review = planned_review(world, program_key="p2")
    services.agenda_use_standard(actor=world.state_lead, review=review)
    services.invitee_add(actor=world.state_lead, review=review, who=WHO, relation="client", invited_on=today())
    one = [world.programs["p1"].pk]
    every = [p.pk for p in world.programs.values()]
    for find in [s.find for s in SOURCES] + [lambda ids, _since: review_periods(ids)]:
        counts = []
        for ids in (one, every):
            with CaptureQueriesContext(connection) as queries:
                find(ids, datetime.date(2000, 1, 1))
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 2, counts
