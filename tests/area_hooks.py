"""Changing what the areas contribute to each other (areakit/hooks.py) for the length of a `with` block.

The contributions are found through `settings.AREA_HOOKS`, so a test adds its own `Hooks` or leaves an area's out
with Django's `override_settings`: nothing to register, nothing to undo by hand.
"""

from django.conf import settings
from django.test import override_settings

from ipshub.areakit.hooks import Hooks

CLIENTS = "ipshub.clients.hooks"


def with_hooks(*added: Hooks, without: tuple[str, ...] = ()) -> override_settings:
    """The areas' contributions, less the hooks modules in `without`, plus `added` (after the areas')."""
    kept = [entry for entry in settings.AREA_HOOKS if entry not in without]
    return override_settings(AREA_HOOKS=[*kept, *added])
