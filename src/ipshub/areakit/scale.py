import random
from dataclasses import dataclass

from ipshub.tenancy.models import Program


@dataclass(frozen=True)
class Scale:
    name: str
    states: int
    programs: int
    clients: int
    years: int


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
