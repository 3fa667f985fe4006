"""Generated data at the sizes of shared/design.md, for benchmarks and scale tests.

Rows are written in batches: bulk_create for the few thousand organizations, people and programs, and
the areas' COPY-based writer (ipshub.areakit.bulk) for the millions of client-history rows at the national
scale, generated one program at a time so memory stays flat. This is generated data, not a person's
action, so it does not go through the service functions or the audit trail.
"""

import datetime
import math
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ipshub.areakit.bulk import check_constraints_now
from ipshub.areakit.hooks import reconcile_programs
from ipshub.areakit.scale import Scale, ScaleContext
from ipshub.implementation.models import Assignment
from ipshub.lib.contributions import area_modules
from ipshub.tenancy.models import Membership, Organization, Person, Phase, PhaseChange, Program, State
from ipshub.tenancy.roles import OrgKind, Role

BATCH = 2000


SCALES = {
    "county": Scale("county", states=1, programs=1, clients=60, years=2),
    "state": Scale("state", states=1, programs=60, clients=9_000, years=5),
    "national": Scale("national", states=50, programs=500, clients=100_000, years=10),
}

REGIONS = ("North", "South", "East", "West", "Central")
FUNDING = ("Medicaid", "State grant", "County levy", "Tribal health grant", "Braided funding")


def _state_codes(scale: Scale) -> list[str]:
    prefix = {"county": "K", "state": "S", "national": "N"}[scale.name]
    if scale.states == 1:
        return [f"{prefix}1"]
    letters = "NOPQRSTUVX"
    return [f"{letters[i // 10]}{i % 10}" for i in range(scale.states)]


def scale_exists(scale: Scale) -> bool:
    return State.objects.filter(code=_state_codes(scale)[0]).exists()


@transaction.atomic
def generate(scale: Scale, *, seed: int = 2026, progress: Callable[[str], None] = print) -> dict[str, int]:
    check_constraints_now()
    rng = random.Random(seed)
    today = timezone.localdate()
    unusable = make_password(None)
    codes = _state_codes(scale)
    states = State.objects.bulk_create(State(code=code, name=f"Generated {scale.name} state {code}") for code in codes)
    programs_per_state = [
        scale.programs // scale.states + (1 if i < scale.programs % scale.states else 0) for i in range(scale.states)
    ]
    clients_per_program = max(1, scale.clients // scale.programs)
    specialists_per_program = max(1, math.ceil(clients_per_program / 18))

    orgs: list[Organization] = []
    plan: list[tuple[State, int, list[int]]] = []  # state, program count, org indexes
    for state, n_programs in zip(states, programs_per_state, strict=True):
        first = len(orgs)
        orgs.append(Organization(state=state, kind=OrgKind.STATE_TEAM, name=f"{state.code} State IPS Team"))
        n_dvr = max(1, math.ceil(n_programs / 3))
        for d in range(n_dvr):
            orgs.append(
                Organization(
                    state=state,
                    kind=OrgKind.DVR_OFFICE,
                    name=f"{state.code} DVR Office {d + 1}",
                    region=REGIONS[d % len(REGIONS)],
                )
            )
        for p in range(n_programs):
            region = REGIONS[p % len(REGIONS)]
            orgs.append(
                Organization(
                    state=state,
                    kind=OrgKind.MH_AGENCY,
                    name=f"{state.code} Agency {p + 1}",
                    region=region,
                    county=f"County {p + 1}",
                    is_tribal=p % 12 == 11,
                )
            )
            orgs.append(
                Organization(
                    state=state,
                    kind=OrgKind.EMPLOYMENT_PROVIDER,
                    name=f"{state.code} Employment Partners {p + 1}",
                    region=region,
                )
            )
        plan.append((state, n_programs, [first, n_dvr]))
    orgs = Organization.objects.bulk_create(orgs, batch_size=BATCH)
    progress(f"  {len(orgs)} organizations")

    people: list[Person] = []
    seats: list[tuple[int, int, str]] = []  # person index, org index, role

    def add_person(org_index: int, role: str) -> int:
        n = len(people)
        people.append(
            Person(
                username=f"{scale.name}-{n:06d}",
                first_name=f"Person{n}",
                last_name=role.title(),
                password=unusable,
                email=f"p{n}@{scale.name}.example",
            )
        )
        seats.append((n, org_index, role))
        return n

    programs: list[Program] = []
    trainers_by_program: list[int] = []
    dvr_by_program: list[int] = []
    # Person indexes per program, handed to the areas as ids once the people are written.
    specialists: list[list[int]] = []
    supervisors: list[int] = []
    case_managers: list[list[int]] = []
    counselor_of_dvr: dict[int, int] = {}
    reviewers_of_state: dict[int, list[int]] = {}
    cursor = 0
    for state, n_programs, (first, n_dvr) in plan:
        team = first
        add_person(team, Role.STATE_LEAD)
        add_person(team, Role.ADMINISTRATOR)
        reviewers_of_state[state.pk] = [add_person(team, Role.FIDELITY_REVIEWER) for _ in range(2)]
        trainers = [add_person(team, Role.STATE_TRAINER) for _ in range(max(1, math.ceil(n_programs / 8)))]
        dvr_indexes = list(range(first + 1, first + 1 + n_dvr))
        for d in dvr_indexes:
            add_person(d, Role.DVR_SUPERVISOR)
            counselor_of_dvr[d] = add_person(d, Role.DVR_COUNSELOR)
        cursor = first + 1 + n_dvr
        for p in range(n_programs):
            mh, provider = cursor + 2 * p, cursor + 2 * p + 1
            add_person(mh, Role.MH_DIRECTOR)
            case_managers.append([add_person(mh, Role.CASE_MANAGER) for _ in range(2)])
            supervisors.append(add_person(provider, Role.IPS_SUPERVISOR))
            specialists.append(
                [add_person(provider, Role.EMPLOYMENT_SPECIALIST) for _ in range(specialists_per_program)]
            )
            started = today - datetime.timedelta(days=rng.randint(30, scale.years * 365))
            age = (today - started).days
            phase = Phase.PRIOR if age < 90 else Phase.IMPLEMENTATION if age < 420 else Phase.ONGOING
            programs.append(
                Program(
                    state=state,
                    name=f"{orgs[mh].name} IPS",
                    mh_agency=orgs[mh],
                    employment_provider=orgs[provider],
                    region=orgs[mh].region,
                    funding_source=rng.choice(FUNDING),
                    phase=phase,
                    phase_since=started
                    + datetime.timedelta(days={"prior": 0, "implementation": 60, "ongoing": 400}[phase]),
                    kickoff_date=None if phase == Phase.PRIOR else started + datetime.timedelta(days=60),
                )
            )
            trainers_by_program.append(trainers[p % len(trainers)])
            dvr_by_program.append(dvr_indexes[p % len(dvr_indexes)])

    people = Person.objects.bulk_create(people, batch_size=BATCH)
    Membership.objects.bulk_create(
        (Membership(person=people[i], organization=orgs[o], role=r, started_on=today) for i, o, r in seats),
        batch_size=BATCH,
    )
    progress(f"  {len(people)} people")
    for program, trainer in zip(programs, trainers_by_program, strict=True):
        program.trainer = people[trainer]
    programs = Program.objects.bulk_create(programs, batch_size=BATCH)
    Program.dvr_offices.through.objects.bulk_create(
        (
            Program.dvr_offices.through(program_id=p.pk, organization_id=orgs[d].pk)
            for p, d in zip(programs, dvr_by_program, strict=True)
        ),
        batch_size=BATCH,
    )
    PhaseChange.objects.bulk_create(
        (PhaseChange(program=p, to_phase=p.phase, effective_on=p.phase_since, reason="Generated") for p in programs),
        batch_size=BATCH,
    )
    progress(f"  {len(programs)} programs")
    counts = {
        "states": len(states),
        "organizations": len(orgs),
        "people": len(people),
        "programs": len(programs),
    }

    def ids(indexes: list[int]) -> list[int]:
        return [people[i].pk for i in indexes]

    context = ScaleContext(
        scale=scale,
        rng=rng,
        programs=programs,
        specialists=[ids(group) for group in specialists],
        supervisors=ids(supervisors),
        case_managers=[ids(group) for group in case_managers],
        dvr_counselors=[people[counselor_of_dvr[d]].pk for d in dvr_by_program],
        reviewers_by_state={state_id: ids(group) for state_id, group in reviewers_of_state.items()},
        trainers=[people[t].pk for t in trainers_by_program],
        # Drawn from their own generator so every other generated record stays as it was (issue #23).
        strengths=[random.Random(seed + index).uniform(0.15, 0.85) for index in range(len(programs))],
    )
    for area in area_modules("scale"):
        for name, value in area.generate(context).items():
            counts[name] = counts.get(name, 0) + value
            progress(f"  {value} {name}")
    # The roles matrix follows the records every area generated.
    reconcile_programs(p.pk for p in programs)
    counts["responsibility assignments"] = Assignment.objects.filter(program__in=programs).count()
    progress(f"  {counts['responsibility assignments']} responsibility assignments")
    return counts
