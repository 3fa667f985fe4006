"""What implementation contributes to the other areas (see areakit/hooks.py)."""

from ipshub.areakit.hooks import Hooks
from ipshub.implementation import services
from ipshub.implementation.fulfilment import reconcile

HOOKS = Hooks(
    # A program leaves "prior" only once its partnership set-up is done or waived.
    phase_gates=(services.partnership_gate,),
    # Entering a phase assigns the phase's responsibilities.
    phase_entered=(services.on_program_phase_entered,),
    # Assignments follow the work the areas record (fulfilment.py).
    reconcile=reconcile,
)
