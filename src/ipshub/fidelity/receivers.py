"""Scheduling by rule: a program entering implementation gets its baseline review."""

import datetime
from typing import Any

from ipshub.tenancy.models import Phase, Program


def schedule_baseline_review(
    sender: object, *, program: Program, phase: str, effective_on: datetime.date, actor: Any = None, **_: Any
) -> None:
    if phase != Phase.IMPLEMENTATION:
        return
    from ipshub.fidelity.services import review_schedule_baseline

    review_schedule_baseline(actor=actor, program=program, began_on=effective_on)
