import random
from dataclasses import dataclass

from ipshub.demo.scale_types import Scale
from ipshub.tenancy.models import Organization, Person, Program, State


@dataclass
class DemoContext:
    """What the Westmark demo has built so far, by name, for the areas to add their records to."""

    state: State
    orgs: dict[str, Organization]  # by organization name
    people: dict[str, Person]  # by username
    programs: dict[str, Program]  # by program name


@dataclass
class ScaleContext:
    """What `ipshub seed` has generated so far, for the areas to add their records to in batches."""

    scale: Scale
    rng: random.Random
    programs: list[Program]
    # Per program (same order as `programs`): the ids of its people by role.
    specialists: list[list[int]]
    supervisors: list[int]
    case_managers: list[list[int]]
    dvr_counselors: list[int]
    reviewers_by_state: dict[int, list[int]]
    trainers: list[int | None]
