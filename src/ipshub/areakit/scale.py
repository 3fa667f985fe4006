import datetime
import math
import random
from dataclasses import dataclass, field

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
    # How well each program runs IPS (0 poorly, 1 well), so that the areas' generated records relate as real
    # ones do: a stronger program makes more employer contacts, sooner (clients), and its employment rate
    # follows (outcomes, a quarter later). It gives the early warning's backtest something real to find.
    strengths: list[float] = field(default_factory=list)

    def strength(self, program: int, day: datetime.date) -> float:
        """The program's (by index in `programs`) strength on `day`: its own level, drifting by up to 0.2 over
        about three years, each program out of step with the others."""
        if program >= len(self.strengths):
            return 0.5
        months = day.year * 12 + day.month
        return min(1.0, max(0.0, self.strengths[program] + 0.2 * math.sin(months / 6 + 2.4 * program)))
