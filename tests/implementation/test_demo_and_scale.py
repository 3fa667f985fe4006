import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ipshub.catalog.services import catalog_load
from ipshub.demo.scale import SCALES, generate
from ipshub.implementation.models import Assignment, PartnershipItem, Resource
from ipshub.implementation.selectors import unmet_partnership_items
from ipshub.tenancy.models import Phase, Program
from tests.implementation.helpers import complete_partnership

pytestmark = pytest.mark.django_db


def test_the_demo_has_implementation_records(demo: None) -> None:
    pine = Program.objects.get(name="Pine County IPS")
    assert pine.phase == Phase.ONGOING
    # Every duty once, and the recurring ones once per period of the last year.
    assert Assignment.objects.filter(program=pine).values("responsibility").distinct().count() >= 60
    harbor = Program.objects.get(name="Harbor City IPS")
    assert Assignment.objects.filter(program=harbor).count() == 17  # prior: one-time duties only
    assert unmet_partnership_items(harbor)  # the newest program is still setting up
    assert not unmet_partnership_items(pine)
    assert Resource.objects.count() >= 5


def test_the_generated_scale_has_assignments_for_each_program() -> None:
    catalog_load()
    counts = generate(SCALES["county"], progress=lambda _: None)
    program = Program.objects.get()
    made = Assignment.objects.filter(program=program).count()
    assert counts["responsibility assignments"] == made
    assert made >= 17  # at least the prior phase's one-time duties; more per phase and period
    assert PartnershipItem.objects.filter(program=program).count() == 5


def test_the_daily_command_starts_programs_whose_kickoff_has_come(world) -> None:
    program = world.programs["p1"]
    for item in PartnershipItem.objects.filter(program=program):
        item.delete()
    program.kickoff_date = datetime.date(2025, 2, 1)
    program.save()
    call_command("implementation_daily", "--today", "2025-02-02")
    program.refresh_from_db()
    assert program.phase == Phase.PRIOR  # the set-up is not done
    complete_partnership(program, world.state_lead)
    call_command("implementation_daily", "--today", "2025-02-02")
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION


def test_the_demo_roles_matrix_is_coherent(demo: None) -> None:
    """Pine County's open duties are genuinely missing and recent; nothing anywhere is overdue by over a year."""
    today = timezone.localdate()
    pine = Program.objects.get(name="Pine County IPS")
    mine = Assignment.objects.filter(program=pine)
    assert not [a for a in mine if a.is_overdue(today)]
    for item in mine.filter(status="done", status_source="work"):
        assert item.fulfilled_by and item.completed_on, item.responsibility.key
    for item in mine.filter(status__in=["not_started", "in_progress"]):
        assert item.due_on <= today + datetime.timedelta(days=183), item.responsibility.key
    # One-time duties of the earlier phases are all done (their work is in the demo), none superseded.
    assert not mine.filter(period_key="", status__in=["not_started", "in_progress", "superseded"]).exists()
    year_ago = today - datetime.timedelta(days=365)
    assert not Assignment.objects.filter(status__in=["not_started", "in_progress"], due_on__lt=year_ago).exists()
