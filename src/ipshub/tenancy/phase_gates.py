"""Conditions a program must meet before it may enter a phase, contributed by the areas.

A gate is a callable `(program, to_phase) -> list[str]` returning the unmet conditions as sentences
(empty when the program may move). Implementation registers the partnership set-up gate.
"""

from collections.abc import Callable

from ipshub.tenancy.models import Program

Gate = Callable[[Program, str], list[str]]
_gates: list[Gate] = []


def register(gate: Gate) -> Gate:
    if gate not in _gates:
        _gates.append(gate)
    return gate


def unmet_conditions(program: Program, to_phase: str) -> list[str]:
    return [problem for gate in _gates for problem in gate(program, to_phase)]
