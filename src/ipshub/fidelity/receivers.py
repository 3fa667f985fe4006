"""Scheduling by rule: a program entering implementation gets its baseline review (see fidelity/hooks.py)."""

import datetime

from ipshub.fidelity.services import review_schedule_baseline
from ipshub.tenancy.models import Person, Phase, Program


def schedule_baseline_review(
    *, program: Program, phase: str, effective_on: datetime.date, actor: Person | None
) -> None:
    if phase != Phase.IMPLEMENTATION:
        return
    review_schedule_baseline(actor=actor, program=program, began_on=effective_on)
