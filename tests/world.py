"""The persona world: two states and several agencies, so every test can check the outsider.

State A (Westmark-like) has two programs: P1 (mh1 + provider1 + dvr1, trainer) and P2 (mh2 + dvr2,
no provider). State B has one program (PB). Each persona is one person with one role.
"""

import datetime
from dataclasses import dataclass, field

from ipshub.catalog.services import catalog_load
from ipshub.tenancy.models import Membership, Organization, Person, Phase, PhaseChange, Program, State
from ipshub.tenancy.roles import OrgKind, Role

PASSWORD = "test-password-123"


@dataclass
class World:
    state_a: State
    state_b: State
    orgs: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Person:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None


# persona name → (organization key, role)
PERSONAS = {
    "admin": ("team_a", Role.ADMINISTRATOR),
    "state_lead": ("team_a", Role.STATE_LEAD),
    "trainer": ("team_a", Role.STATE_TRAINER),
    "reviewer": ("team_a", Role.FIDELITY_REVIEWER),
    "director": ("mh1", Role.MH_DIRECTOR),
    "case_manager": ("mh1", Role.CASE_MANAGER),
    "supervisor": ("provider1", Role.IPS_SUPERVISOR),
    "specialist": ("provider1", Role.EMPLOYMENT_SPECIALIST),
    "dvr_supervisor": ("dvr1", Role.DVR_SUPERVISOR),
    "counselor": ("dvr1", Role.DVR_COUNSELOR),
    # Outsiders: another agency in the same state, and people of another state.
    "other_agency_director": ("mh2", Role.MH_DIRECTOR),
    "other_agency_specialist": ("mh2", Role.EMPLOYMENT_SPECIALIST),
    "other_state_admin": ("team_b", Role.ADMINISTRATOR),
    "other_state_lead": ("team_b", Role.STATE_LEAD),
    "other_state_director": ("mh_b", Role.MH_DIRECTOR),
}

ORGS = {
    "team_a": ("A", OrgKind.STATE_TEAM, "A State IPS Team"),
    "mh1": ("A", OrgKind.MH_AGENCY, "A Pine County Human Services"),
    "mh2": ("A", OrgKind.MH_AGENCY, "A Harbor Behavioral Health"),
    "provider1": ("A", OrgKind.EMPLOYMENT_PROVIDER, "A Summit Employment"),
    "dvr1": ("A", OrgKind.DVR_OFFICE, "A DVR Pine Office"),
    "dvr2": ("A", OrgKind.DVR_OFFICE, "A DVR Harbor Office"),
    "team_b": ("B", OrgKind.STATE_TEAM, "B State IPS Team"),
    "mh_b": ("B", OrgKind.MH_AGENCY, "B Valley Mental Health"),
    "provider_b": ("B", OrgKind.EMPLOYMENT_PROVIDER, "B Works"),
    "dvr_b": ("B", OrgKind.DVR_OFFICE, "B DVR Office"),
}


def build_world(*, with_catalog: bool = True) -> World:
    if with_catalog:
        catalog_load()
    world = World(
        state_a=State.objects.create(code="AA", name="State A"),
        state_b=State.objects.create(code="BB", name="State B"),
    )
    states = {"A": world.state_a, "B": world.state_b}
    for key, (state, kind, name) in ORGS.items():
        world.orgs[key] = Organization.objects.create(state=states[state], kind=kind, name=name, region="North")
    for name, (org, role) in PERSONAS.items():
        person = Person(
            username=name,
            first_name=name.replace("_", " ").title(),
            last_name="Tester",
            email=f"{name}@example.test",
        )
        person.set_password(PASSWORD)
        person.save()
        Membership.objects.create(person=person, organization=world.orgs[org], role=role)
        world.people[name] = person
    opened = datetime.date(2025, 1, 6)
    for key, state, mh, provider, dvr in (
        ("p1", world.state_a, "mh1", "provider1", "dvr1"),
        ("p2", world.state_a, "mh2", None, "dvr2"),
        ("pb", world.state_b, "mh_b", "provider_b", "dvr_b"),
    ):
        program = Program.objects.create(
            state=state,
            name=f"Program {key.upper()}",
            mh_agency=world.orgs[mh],
            employment_provider=world.orgs[provider] if provider else None,
            trainer=world.people["trainer"] if key == "p1" else None,
            phase=Phase.PRIOR,
            phase_since=opened,
        )
        program.dvr_offices.set([world.orgs[dvr]])
        PhaseChange.objects.create(program=program, to_phase=Phase.PRIOR, effective_on=opened)
        world.programs[key] = program
    return world
