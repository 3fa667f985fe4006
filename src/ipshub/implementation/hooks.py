"""What implementation contributes to the other areas (see areakit/hooks.py)."""

from ipshub.areakit.hooks import Hooks
from ipshub.implementation import services, work
from ipshub.implementation.fulfilment import reconcile

HOOKS = Hooks(
    # A program leaves "prior" only once its partnership set-up is done or waived.
    phase_gates=(services.partnership_gate,),
    # Entering a phase assigns the phase's responsibilities.
    phase_entered=(services.on_program_phase_entered,),
    # Its own records (and the program's facts) that fulfil duties of the roles matrix (work.py).
    work_sources=work.SOURCES,
    # Assignments follow the work the areas record (fulfilment.py); tenancy asks it too when a program's
    # partners, trainer or IPS staff change (tenancy/phases.py `programs_changed`).
    reconcile=reconcile,
)
