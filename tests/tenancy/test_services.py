"""Writes to tenancy: validation with clear messages, audit events, phase rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipshub.areakit.hooks import Hooks
from ipshub.audit.models import AuditEvent
from ipshub.tenancy import services
from ipshub.tenancy.models import Phase, PhaseChange, Program
from ipshub.tenancy.roles import OrgKind, Role
from tests.area_hooks import with_hooks
from tests.implementation.helpers import complete_partnership
from tests.world import World

pytestmark = pytest.mark.django_db


def open_program(world: World, **overrides) -> Program:
    args = {
        "actor": world.people["state_lead"],
        "state": world.state_a,
        "name": "New Program",
        "mh_agency": world.orgs["mh2"],
        "dvr_offices": [world.orgs["dvr2"]],
        "opened_on": datetime.date(2026, 1, 5),
    }
    args.update(overrides)
    return services.program_create(**args)


def test_program_create_opens_prior_phase_with_history_and_audit(world: World) -> None:
    received = []

    def receiver(*, phase, **_):
        received.append(phase)

    with with_hooks(Hooks(phase_entered=(receiver,))):
        program = open_program(world)
    assert program.phase == Phase.PRIOR
    assert program.phase_changes.get().to_phase == Phase.PRIOR
    assert received == [Phase.PRIOR]
    event = AuditEvent.objects.get(action="program.create")
    assert event.actor == world.people["state_lead"] and event.object_id == str(program.pk)


def test_program_partners_must_fit(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        open_program(
            world,
            mh_agency=world.orgs["provider1"],
            employment_provider=world.orgs["provider_b"],
            dvr_offices=[world.orgs["mh1"]],
            trainer=world.people["director"],
        )
    assert set(exc.value.message_dict) == {"mh_agency", "employment_provider", "dvr_offices", "trainer"}
    assert "mental health agency in State A" in exc.value.message_dict["mh_agency"][0]
    assert not Program.objects.filter(name="New Program").exists()


def test_duplicate_program_name_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="already has a program named"):
        open_program(world, name="program p1")


def test_only_state_team_leads_open_programs(world: World) -> None:
    for persona in ("trainer", "director", "other_state_lead"):
        with pytest.raises(PermissionDenied):
            open_program(world, actor=world.people[persona])


def test_phase_override_needs_a_reason_and_a_sane_date(world: World) -> None:
    program = world.programs["p1"]
    lead = world.people["state_lead"]
    with pytest.raises(ValidationError, match="Say why"):
        services.program_change_phase(
            actor=lead,
            program=program,
            to_phase=Phase.IMPLEMENTATION,
            effective_on=program.phase_since,
            reason=" ",
            is_override=True,
        )
    with pytest.raises(ValidationError, match="before the current phase began"):
        services.program_change_phase(
            actor=lead,
            program=program,
            to_phase=Phase.IMPLEMENTATION,
            effective_on=program.phase_since - datetime.timedelta(days=1),
            reason="x",
            is_override=True,
        )
    change = services.program_change_phase(
        actor=lead,
        program=program,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=program.phase_since,
        reason="Kick-off held",
        is_override=True,
    )
    assert change.is_override and program.phase == Phase.IMPLEMENTATION
    assert AuditEvent.objects.filter(action="program.phase_change", object_id=str(program.pk)).count() == 1


def test_events_move_phases_in_order_and_respect_gates(world: World) -> None:
    program = world.programs["p1"]
    day = datetime.date(2026, 3, 1)
    # The first fidelity report can't skip implementation.
    assert services.program_note_event(actor=None, program=program, event="first_fidelity_report", on=day) is None

    def gate(p: Program, to_phase: str) -> list[str]:
        return ["The service agreement with DVR is not signed."] if to_phase == Phase.IMPLEMENTATION else []

    with with_hooks(Hooks(phase_gates=(gate,))):
        assert services.program_note_event(actor=None, program=program, event="first_referral", on=day) is None
        assert program.phase == Phase.PRIOR
        with pytest.raises(ValidationError, match="service agreement"):
            services.program_change_phase(
                actor=None, program=program, to_phase=Phase.IMPLEMENTATION, effective_on=day, reason="event"
            )
    # Implementation's own gate (the partnership set-up) must be met too.
    assert services.program_note_event(actor=None, program=program, event="first_referral", on=day) is None
    complete_partnership(program, world.people["state_lead"])  # the held-back referral now moves it
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION and program.phase_since == day
    assert services.program_note_event(actor=None, program=program, event="kickoff", on=day) is None
    services.program_note_event(actor=None, program=program, event="first_fidelity_report", on=day)
    assert program.phase == Phase.ONGOING
    assert list(PhaseChange.objects.filter(program=program).values_list("to_phase", flat=True)) == [
        "prior",
        "implementation",
        "ongoing",
    ]


def test_person_create_checks_role_fits_the_organization(world: World) -> None:
    admin = world.people["admin"]
    with pytest.raises(ValidationError, match="can't have the role 'DVR counselor'"):
        services.person_create(
            actor=admin,
            username="new",
            first_name="N",
            last_name="P",
            email="n@example.test",
            password=None,
            organization=world.orgs["provider1"],
            role=Role.DVR_COUNSELOR,
        )
    with pytest.raises(ValidationError, match="is taken"):
        services.person_create(
            actor=admin,
            username="DIRECTOR",
            first_name="N",
            last_name="P",
            email="n@example.test",
            password=None,
            organization=world.orgs["provider1"],
            role=Role.EMPLOYMENT_SPECIALIST,
        )
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.people["other_state_admin"],
            username="x1",
            first_name="N",
            last_name="P",
            email="n@example.test",
            password=None,
            organization=world.orgs["provider1"],
            role=Role.EMPLOYMENT_SPECIALIST,
        )
    person = services.person_create(
        actor=admin,
        username="new",
        first_name="N",
        last_name="P",
        email="n@example.test",
        password=None,
        organization=world.orgs["provider1"],
        role=Role.EMPLOYMENT_SPECIALIST,
    )
    assert not person.has_usable_password()
    assert AuditEvent.objects.filter(action__in=["person.create", "membership.add"]).count() == 2


def test_deactivation_ends_sessions(world: World, client_for) -> None:
    client = client_for(world.people["specialist"])
    assert client.get("/").status_code == 200
    services.person_update(actor=world.people["admin"], person=world.people["specialist"], is_active=False)
    assert client.get("/").status_code == 302


def test_membership_add_and_end(world: World) -> None:
    admin, specialist = world.people["admin"], world.people["specialist"]
    membership = services.membership_add(
        actor=admin, person=specialist, organization=world.orgs["mh1"], role=Role.CASE_MANAGER
    )
    with pytest.raises(ValidationError, match="already has this role"):
        services.membership_add(actor=admin, person=specialist, organization=world.orgs["mh1"], role=Role.CASE_MANAGER)
    services.membership_end(actor=admin, membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active and membership.ended_on is not None


def test_organization_tribal_constraint(world: World) -> None:
    with pytest.raises(ValidationError):
        services.organization_create(
            actor=world.people["admin"],
            state=world.state_a,
            kind=OrgKind.DVR_OFFICE,
            name="X",
            is_tribal=True,
        )
