"""What dvr contributes to the other areas (see areakit/hooks.py): nothing yet."""

from ipshub.areakit.hooks import Hooks

HOOKS = Hooks()
