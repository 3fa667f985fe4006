"""Signals other areas listen to, so tenancy does not import them."""

from django.dispatch import Signal

# Sent inside the transaction that puts a program into a phase (also when a program is opened, with
# phase "prior"). Keyword arguments: program, phase, effective_on, actor (a Person or None).
# Implementation creates the phase's assignments; fidelity schedules the baseline review.
program_phase_entered = Signal()
