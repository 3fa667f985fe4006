"""Finding what the areas contribute, for code below them that must not import them (tenancy, areakit).

`settings.AREA_HOOKS` lists, in order, each area's hooks module (`ipshub.<area>.hooks`); its `HOOKS` is what the
area contributes (an `areakit.hooks.Hooks`). The settings sit at the top and may name every area; the code that
asks is imported by name, at call time, once the apps are loaded. Nothing is registered at start-up and nothing
is kept here: a test adds or replaces a contribution with `override_settings(AREA_HOOKS=[...])`, where an entry
that is not a module name is taken as the contribution itself.
"""

from importlib import import_module

from django.conf import settings


def contributions() -> list[object]:
    """Each area's contribution, in the order of `settings.AREA_HOOKS`."""
    return [import_module(entry).HOOKS if isinstance(entry, str) else entry for entry in settings.AREA_HOOKS]
