"""What the areas contribute when a program changes phase: gates before, and work on entering; and what
tenancy tells them when a program's partners, trainer or staff change.

- A gate `(program, to_phase) -> list[str]` returns the conditions still unmet, as sentences (empty when the
  program may move). Implementation contributes the partnership set-up gate.
- On entering `(*, program, phase, effective_on, actor) -> None` runs inside the transaction that puts the
  program into the phase (also when a program is opened, with phase "prior"). Implementation creates the
  phase's responsibilities; fidelity schedules the baseline review.

The two hook points are declared here, beside the phase itself, and an area contributes to them through its
`hooks.py` (`areakit.hooks.Hooks.phase_gates` and `.phase_entered`). Tenancy sits below the areas and areakit,
so it finds those contributions by name (`lib.contributions`), in the order of `settings.AREA_HOOKS`.

`programs_changed(program_ids)` is the third: a program's employment provider or trainer changed, or an agency
gained or lost IPS staff, which may fulfil (or undo) duties of the roles matrix. It runs each area's
`reconcile` contribution (`areakit.hooks.Hooks.reconcile`, implementation's) once the transaction commits,
as `areakit.hooks.work_changed` does for the areas, which tenancy cannot import.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, cast

from django.db import transaction

from ipshub.lib.contributions import contributions
from ipshub.tenancy.models import Person, Program

PhaseGate = Callable[[Program, str], list[str]]


class PhaseEntered(Protocol):
    def __call__(self, *, program: Program, phase: str, effective_on: datetime.date, actor: Person | None) -> None: ...


class PhaseHooks(Protocol):
    """The part of an area's contribution that tenancy reads (areakit.hooks.Hooks has these fields)."""

    @property
    def phase_gates(self) -> Sequence[PhaseGate]: ...

    @property
    def phase_entered(self) -> Sequence[PhaseEntered]: ...


def _phase_hooks() -> list[PhaseHooks]:
    return cast(list[PhaseHooks], contributions())


def unmet_conditions(program: Program, to_phase: str) -> list[str]:
    return [problem for hooks in _phase_hooks() for gate in hooks.phase_gates for problem in gate(program, to_phase)]


def entered(*, program: Program, phase: str, effective_on: datetime.date, actor: Person | None) -> None:
    for hooks in _phase_hooks():
        for on_entered in hooks.phase_entered:
            on_entered(program=program, phase=phase, effective_on=effective_on, actor=actor)


class ReconcileHooks(Protocol):
    """The part of an area's contribution `programs_changed` reads (areakit.hooks.Hooks has this field)."""

    @property
    def reconcile(self) -> Callable[[set[int]], None] | None: ...


def programs_changed(program_ids: Iterable[int]) -> None:
    """These programs' partners, trainer or staff changed: reconcile what they fulfil once the transaction
    commits (at once outside one)."""
    ids = set(program_ids)
    if not ids:
        return

    def reconcile() -> None:
        for hooks in cast(list[ReconcileHooks], contributions()):
            if hooks.reconcile is not None:
                hooks.reconcile(ids)

    transaction.on_commit(reconcile)
