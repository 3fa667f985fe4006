"""Implementation's own work sources (implementation/work.py): each closes its duties through the real
services, with a link to the record, and where the work can be undone, reopens them with the reason.

The writes run inside `committed()` (`committed()`): the services only
call `work_changed`, whose reconcile runs once the transaction commits, so these tests prove they call it."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipshub.implementation import services, work
from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import (
    Assignment,
    ItemStatus,
    PartnershipItem,
    PartnershipStatus,
    Resource,
    StatusSource,
    SteeringMember,
)
from ipshub.tenancy import services as tenancy_services
from ipshub.tenancy.models import Membership, Phase, Program
from ipshub.tenancy.roles import Role
from ipshub.tenancy.services import program_note_event
from tests.implementation.helpers import complete_partnership, to_ongoing
from tests.world import World

pytestmark = pytest.mark.django_db

OPENED = datetime.date(2025, 1, 6)  # tests/world.py
CSV = b"specialist,caseload\nA,18\nB,20\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[None]]:
    """Run what the block leaves for the commit, as the commit would.

    The connection's list of callbacks is emptied before the block: the test's own transaction never commits,
    so callbacks left by earlier writes (and those Django's capture ran) stay on it, and
    `areakit.hooks.work_changed` (which registers its flush only while none is waiting on the connection)
    would take a stale one for a waiting one and never flush this block's writes. A real commit empties the
    list, so this is a test-only difference."""

    @contextmanager
    def block() -> Iterator[None]:
        connection.run_on_commit = []
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def assignment(program: Program, key: str, period_key: str = "") -> Assignment:
    return Assignment.objects.get(program=program, responsibility__key=key, period_key=period_key)


def assert_done_by(found: Assignment, kind: str, record_id: int, on: datetime.date) -> None:
    assert found.status == ItemStatus.DONE, (found.status, found.status_reason)
    assert found.status_source == StatusSource.WORK
    assert found.completed_on == on
    link = found.fulfilled_by[0]
    assert (link["kind"], link["id"], link["on"]) == (kind, record_id, on.isoformat())
    assert link["url"].startswith("/")


def assert_reopened(found: Assignment, reason: str) -> None:
    assert found.status == ItemStatus.NOT_STARTED
    assert found.fulfilled_by == []
    assert found.status_reason.startswith("Reopened on") and reason in found.status_reason, found.status_reason


def in_implementation(world: World) -> Program:
    program = world.programs["p1"]
    complete_partnership(program, world.state_lead)
    assert program_note_event(
        actor=world.state_lead, program=program, event="first_referral", on=OPENED + datetime.timedelta(days=30)
    )
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION
    return program


def in_ongoing(world: World) -> Program:
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    program.refresh_from_db()
    assert program.phase == Phase.ONGOING
    return program


# --- Program facts ---------------------------------------------------------------------------------


def test_opening_a_program_fulfils_expressing_interest(world: World, committed) -> None:
    with committed():
        program = tenancy_services.program_create(
            actor=world.state_lead,
            state=world.state_a,
            name="New IPS",
            mh_agency=world.orgs["mh1"],
            dvr_offices=[world.orgs["dvr1"]],
            opened_on=datetime.date(2025, 3, 1),
        )
    assert_done_by(assignment(program, "R-PRI-MH-01"), "program", program.pk, datetime.date(2025, 3, 1))


def test_a_provider_or_the_agencys_own_ips_staff_fulfil_selecting_a_provider(world: World, committed) -> None:
    p1, p2 = world.programs["p1"], world.programs["p2"]
    services.program_setup_sync(p1)
    assert_done_by(assignment(p1, "R-PRI-MH-04"), "employment_provider", world.orgs["provider1"].pk, OPENED)
    # P2 has no provider, but its agency employs an IPS specialist of its own.
    services.program_setup_sync(p2)
    seat = Membership.objects.get(person=world.other_agency_specialist)
    assert_done_by(assignment(p2, "R-PRI-MH-04"), "ips_staff", seat.pk, OPENED)
    with committed():
        tenancy_services.membership_end(actor=world.admin, membership=seat)
    assert_reopened(assignment(p2, "R-PRI-MH-04"), "no longer names an employment service provider")
    # Naming a provider on the program (tenancy's program update) closes it again.
    provider = tenancy_services.organization_create(
        actor=world.admin, state=world.state_a, kind="employment_provider", name="Harbor Works"
    )
    with committed():
        tenancy_services.program_update(
            actor=world.state_lead,
            program=p2,
            name=p2.name,
            mh_agency=p2.mh_agency,
            employment_provider=provider,
            dvr_offices=list(p2.dvr_offices.all()),
            trainer=None,
        )
    assert_done_by(assignment(p2, "R-PRI-MH-04"), "employment_provider", provider.pk, OPENED)


def test_an_assigned_trainer_fulfils_identifying_the_trainer(world: World, committed) -> None:
    program = in_ongoing(world)
    assert_done_by(assignment(program, "R-ONG-ST-03"), "trainer", world.trainer.pk, OPENED)

    def update(trainer: object) -> None:
        with committed():
            tenancy_services.program_update(
                actor=world.state_lead,
                program=program,
                name=program.name,
                mh_agency=program.mh_agency,
                employment_provider=program.employment_provider,
                dvr_offices=list(program.dvr_offices.all()),
                trainer=trainer,  # type: ignore[arg-type]
            )

    update(None)
    assert_reopened(assignment(program, "R-ONG-ST-03"), "no longer has an assigned state trainer")
    update(world.trainer)
    # Dated by the change that assigned the trainer (the audit trail), not by the opening.
    assert_done_by(assignment(program, "R-ONG-ST-03"), "trainer", world.trainer.pk, timezone.localdate())


# --- Partnership set-up, readiness, steering committee ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("service_agreement", "R-PRI-MH-05"),
        ("service_agreement", "R-PRI-EP-02"),
        ("referral_procedure", "R-PRI-DVR-03"),
    ],
)
def test_a_partnership_item_done_or_waived_fulfils_its_duties(world: World, committed, kind: str, key: str) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    item = PartnershipItem.objects.get(program=program, kind=kind)
    agreed = datetime.date(2025, 2, 10)
    with committed():
        services.partnership_item_update(
            actor=world.director, item=item, status=PartnershipStatus.DONE, agreed_on=agreed
        )
    found = assignment(program, key)
    assert_done_by(found, "partnership_item", item.pk, agreed)
    assert found.fulfilled_by[0]["url"] == f"/implementation/programs/{program.pk}/partnership/{item.pk}/"
    with committed():
        services.partnership_item_update(actor=world.director, item=item, status=PartnershipStatus.NOT_STARTED)
    assert_reopened(assignment(program, key), "is no longer done or waived")
    with committed():
        services.partnership_item_update(
            actor=world.director,
            item=item,
            status=PartnershipStatus.WAIVED,
            waiver_reason="DVR's statewide agreement covers it",
        )
    found = assignment(program, key)
    assert found.status == ItemStatus.DONE
    assert "waived: DVR's statewide agreement covers it" in found.fulfilled_by[0]["label"]


def test_confidentiality_agreements_fulfil_the_state_teams_duty(world: World, committed) -> None:
    program = in_implementation(world)
    item = PartnershipItem.objects.get(program=program, kind="confidentiality")
    assert_done_by(assignment(program, "R-IMP-ST-01"), "partnership_item", item.pk, OPENED)
    with committed():
        services.partnership_item_update(actor=world.state_lead, item=item, status=PartnershipStatus.NOT_STARTED)
    assert_reopened(assignment(program, "R-IMP-ST-01"), "'Confidentiality agreements' is no longer done")


def test_a_readiness_assessment_fulfils_its_duties(world: World, committed) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    held = datetime.date(2025, 1, 20)
    with committed():
        assessment = services.readiness_record(
            actor=world.trainer,
            program=program,
            held_on=held,
            answers={},
            mh_leaders="Director",
            dvr_leaders="DVR supervisor",
        )
    for key in ("R-PRI-MH-02", "R-PRI-MH-06", "R-PRI-DVR-02"):
        assert_done_by(assignment(program, key), "readiness_assessment", assessment.pk, held)


def _members(world: World, program: Program, roles: list[str], start: datetime.date) -> list[SteeringMember]:
    return [
        services.steering_member_add(
            actor=world.director,
            program=program,
            name=f"Member {n}",
            role=role,
            joined_on=start + datetime.timedelta(days=7 * n),
        )
        for n, role in enumerate(roles)
    ]


def test_five_members_fulfil_the_steering_committee(world: World, committed) -> None:
    program = in_implementation(world)
    start = datetime.date(2025, 3, 3)
    with committed():
        members = _members(world, program, ["employer"] * 4, start)
    assert assignment(program, "R-IMP-MH-04").is_open
    with committed():
        members += _members(world, program, ["dvr", "education"], start + datetime.timedelta(days=60))
    # Dated the day the fifth member joined.
    fifth = start + datetime.timedelta(days=60)
    assert_done_by(assignment(program, "R-IMP-MH-04"), "steering_committee", program.pk, fifth)
    for member in members[:2]:
        with committed():
            services.steering_member_remove(actor=world.director, member=member)
    assert_reopened(assignment(program, "R-IMP-MH-04"), "fewer than 5 members")


def test_a_diverse_committee_fulfils_the_ongoing_duty(world: World, committed) -> None:
    program = in_ongoing(world)
    start = datetime.date(2025, 8, 4)
    with committed():
        _members(world, program, ["employer", "employer", "dvr", "education", "mh_agency"], start)
    # Five members of four walks of life, but neither a client nor a family member.
    assert assignment(program, "R-ONG-MH-01").is_open
    with committed():
        (family,) = _members(world, program, ["family"], start + datetime.timedelta(days=70))
    assert_done_by(assignment(program, "R-ONG-MH-01"), "steering_committee", program.pk, family.joined_on)
    with committed():
        services.steering_member_remove(actor=world.director, member=family)
    assert_reopened(assignment(program, "R-ONG-MH-01"), "including a client or a family member")


# --- Outreach, materials, resources sent --------------------------------------------------------------


def test_outreach_fulfils_sharing_successes_for_its_year(world: World, committed) -> None:
    program = in_ongoing(world)
    today = timezone.localdate()
    with committed():
        activity = services.outreach_record(
            actor=world.director, program=program, held_on=today, kind="success_story", forum="Pine Valley Gazette"
        )
    assert_done_by(assignment(program, "R-ONG-MH-04", str(today.year)), "outreach", activity.pk, today)
    with committed():
        services.outreach_delete(actor=world.director, activity=activity)
    assert_reopened(assignment(program, "R-ONG-MH-04", str(today.year)), "The logged outreach was removed.")


@pytest.mark.parametrize(
    ("material", "keys"),
    [("practical_guide", ("R-ONG-MH-09", "R-ONG-EP-12")), ("handouts", ("R-ONG-MH-10", "R-ONG-EP-13"))],
)
def test_materials_handed_out_fulfil_their_duties(
    world: World, committed, material: str, keys: tuple[str, ...]
) -> None:
    program = in_ongoing(world)
    day = datetime.date(2025, 9, 1)
    with committed():
        entry = services.material_distribution_record(
            actor=world.supervisor, program=program, material=material, distributed_on=day, recipients="IPS unit"
        )
    for key in keys:
        assert_done_by(assignment(program, key), "material_distribution", entry.pk, day)
    other = {"practical_guide": "R-ONG-MH-10", "handouts": "R-ONG-MH-09"}[material]
    assert assignment(program, other).is_open
    with committed():
        services.material_distribution_delete(actor=world.supervisor, distribution=entry)
    for key in keys:
        assert_reopened(assignment(program, key), "was removed")


def test_a_revenue_resource_sent_fulfils_informing_about_revenue(world: World, committed) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    team = world.orgs["team_a"]
    general = services.resource_create(
        actor=world.state_lead,
        organization=team,
        title="What is IPS?",
        kind="link",
        stage_key="ST02",
        link="https://ipsworks.org/",
    )
    revenue = services.resource_create(
        actor=world.state_lead,
        organization=team,
        title="Paying for IPS in State A",
        kind="link",
        stage_key="ST02",
        link="https://example.org/revenue",
        topic="revenue",
    )
    day = datetime.date(2025, 1, 15)
    with committed():
        services.resource_send(actor=world.state_lead, resource=general, program=program, sent_on=day)
    assert assignment(program, "R-PRI-ST-01").is_open  # not about revenue
    with committed():
        share = services.resource_send(actor=world.trainer, resource=revenue, program=program, sent_on=day)
    assert_done_by(assignment(program, "R-PRI-ST-01"), "resource_sent", share.pk, day)
    with committed():
        services.resource_delete(actor=world.state_lead, resource=Resource.objects.get(pk=revenue.pk))
    assert_reopened(assignment(program, "R-PRI-ST-01"), "taken back")


# --- Data requests -------------------------------------------------------------------------------------


def test_a_data_request_is_due_until_answered(world: World, committed) -> None:
    program = in_ongoing(world)
    today = timezone.localdate()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert assignment(program, "R-ONG-EP-15", quarter).status == ItemStatus.NOT_APPLICABLE  # nothing asked
    due = today + datetime.timedelta(days=14)
    with committed():
        request = services.data_request_create(
            actor=world.state_lead, program=program, asked_on=today, due_on=due, what="Caseloads", accepts="spreadsheet"
        )
    found = assignment(program, "R-ONG-EP-15", quarter)
    assert found.is_open and found.due_on == due
    # A file of the wrong kind: refused, nothing saved, the duty still open.
    with pytest.raises(ValidationError) as refused:
        services.data_request_answer(
            actor=world.supervisor, request=request, file=SimpleUploadedFile("caseloads.pdf", PDF)
        )
    assert "a spreadsheet (CSV or Excel .xlsx)" in str(refused.value)
    assert not request.answers.exists()
    assert assignment(program, "R-ONG-EP-15", quarter).is_open
    with committed():
        answer = services.data_request_answer(
            actor=world.supervisor, request=request, file=SimpleUploadedFile("caseloads.csv", CSV)
        )
    assert_done_by(assignment(program, "R-ONG-EP-15", quarter), "data_request_answer", answer.pk, today)
    with committed():
        services.data_request_answer_delete(actor=world.supervisor, answer=answer)
    found = assignment(program, "R-ONG-EP-15", quarter)
    assert found.is_open and found.fulfilled_by == [] and found.due_on == due


# --- Every source reads any number of programs in a fixed number of queries -----------------------------


def _records(world: World, key: str) -> None:
    program = world.programs[key]
    services.partnership_items_ensure(program)
    PartnershipItem.objects.filter(program=program).update(status=PartnershipStatus.DONE, agreed_on=OPENED)
    for n, role in enumerate(["client", "family", "employer", "dvr", "education", "mh_agency"]):
        SteeringMember.objects.create(program=program, name=f"M{n}", role=role, joined_on=OPENED)
    program.readiness_assessments.create(held_on=OPENED, mh_leaders="A", dvr_leaders="B")
    program.outreach_activities.create(held_on=OPENED, kind="presentation", forum="Board")
    program.material_distributions.create(material="handouts", distributed_on=OPENED, recipients="Lobby")
    program.material_distributions.create(material="practical_guide", distributed_on=OPENED, recipients="Staff")
    request = program.data_requests.create(asked_on=OPENED, due_on=OPENED, what="Data", accepts="any")
    request.answers.create(original_name="a.csv", content_type="text/csv", answered_on=OPENED, file="x.csv")
    Membership.objects.create(person=world.case_manager, organization=program.mh_agency, role=Role.IPS_SUPERVISOR)
    Program.objects.filter(pk=program.pk).update(trainer=world.trainer)
    team = world.orgs["team_a" if program.state_id == world.state_a.pk else "team_b"]
    resource = Resource.objects.create(
        organization=team, title="Revenue", kind="link", stage_key="ST02", link="https://example.org/", topic="revenue"
    )
    resource.shares.create(program=program, sent_on=OPENED)


def test_each_source_runs_a_fixed_number_of_queries(world: World) -> None:
    ids = [world.programs[k].pk for k in ("p2", "p1", "pb")]
    _records(world, "p2")  # no provider: the agency's own IPS staff are read too
    counts: dict[str, int] = {}
    for source in work.SOURCES:
        with CaptureQueriesContext(connection) as one:
            found = list(source.find(ids[:1], datetime.date(2000, 1, 1)))
            if source.asks is not None:
                list(source.asks(ids[:1], datetime.date(2000, 1, 1)))
        assert found, source.key
        counts[source.key] = len(one.captured_queries)
    _records(world, "p1")
    _records(world, "pb")
    for source in work.SOURCES:
        with CaptureQueriesContext(connection) as many:
            found = list(source.find(ids, datetime.date(2000, 1, 1)))
            if source.asks is not None:
                list(source.asks(ids, datetime.date(2000, 1, 1)))
        assert {w.program_id for w in found} == set(ids), source.key
        assert len(many.captured_queries) <= counts[source.key], source.key


def test_every_catalog_key_of_this_area_has_a_source() -> None:
    keys = {s.key for s in work.SOURCES}
    assert keys == {
        "program.opened",
        "program.provider",
        "program.trainer",
        "partnership.service_agreement",
        "partnership.referral_procedure",
        "partnership.confidentiality",
        "readiness.assessment",
        "steering.committee",
        "steering.diverse",
        "outreach.public",
        "materials.guide",
        "materials.handouts",
        "resource.revenue",
        "data_request",
    }


def test_reconcile_is_idempotent_with_the_sources(world: World) -> None:
    program = in_ongoing(world)
    _records(world, "p1")
    assignments_reconcile([program.pk])
    assert assignments_reconcile([program.pk]).total() == 0


def test_the_demos_pine_county_holds_the_work_of_these_duties(demo: None) -> None:
    """Every Pine County duty these sources fulfil is done, with its link; what stays open is a data request
    asked days ago and not yet due."""
    today = timezone.localdate()
    keys = {s.key for s in work.SOURCES}
    pine = Assignment.objects.filter(program__name="Pine County IPS").select_related("responsibility")
    mine = [a for a in pine if set(a.responsibility.fulfilment.get("by", [])) & keys]
    assert len(mine) >= 20
    for found in mine:
        if found.responsibility.fulfilment.get("when_asked"):
            assert found.status in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE) or not found.is_overdue(today), found
            continue
        assert found.status == ItemStatus.DONE, (found.responsibility.key, found.period_key, found.status_reason)
        assert found.fulfilled_by, found.responsibility.key
    answered = [a for a in mine if a.responsibility.key == "R-ONG-EP-15" and a.status == ItemStatus.DONE]
    assert len(answered) >= 2
    assert any(a.is_open for a in mine)  # the recent request, not yet due
