"""Finding the areas and what they contribute, for the code that must not import them by name: the shell
(web, demo), and code below the areas (tenancy, areakit, lib).

The areas are the Django apps listed in `settings.AREA_APPS` (the one list; INSTALLED_APPS includes it).
The product's areas beyond the foundation, each a Django app that plugs into the shared shell.

Each area app provides these modules (empty ones are fine):
- `urls.py`        its pages, included at the site root
- `navigation.py`  `items(person) -> list[NavItem]` for the primary navigation
- `home.py`        `panels(person) -> list[Panel]` for the person's home page (under what needs them now and
                   their caseload or programs, loaded once the page is shown); optional
                   `first_panels(person) -> list[Panel]`: the person's caseload or programs, right after what
                   needs them now
- `program_panel.py` (optional) `panels(person, program) -> list[ProgramPanel]` the area's panels of a program's
                   hub (web/program_hub.py), read through the area's access layer
- `demo.py`        `build(ctx: DemoContext) -> None` adds the area's demo records to Westmark
- `scale.py`       `generate(ctx: ScaleContext) -> dict[str, int]` adds generated records at a scale
- `bench.py`       (optional) `pages(ctx: BenchContext) -> list[BenchPage]` its key pages for `ipshub bench`
- `search.py`      (optional) `results(person, query, limit) -> list[SearchResult]` within what the person may see,
                   ranked with `lib.searches.name_match`; a result that shows a client name is audited
- `reminders.py`   `due_items(person, today) -> list[DueItem]` what comes due for the person (lib/due.py)
- `hooks.py`       `HOOKS = Hooks(...)` what it contributes to the other areas (areakit/hooks.py); the areas
                   are listed for it in settings.AREA_HOOKS


`settings.AREA_HOOKS` lists, in order, each area's hooks module (`ipshub.<area>.hooks`); its `HOOKS` is what the
area contributes (an `areakit.hooks.Hooks`). The settings sit at the top and may name every area; the code that
asks is imported by name, at call time, once the apps are loaded. Nothing is registered at start-up and nothing
is kept here: a test adds or replaces a contribution with `override_settings(AREA_HOOKS=[...])`, where an entry
that is not a module name is taken as the contribution itself.
"""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.conf import settings


def area_names() -> list[str]:
    """The areas' short names ("clients", ...), in the order of `settings.AREA_APPS`."""
    return [app.rsplit(".", 1)[-1] for app in settings.AREA_APPS]


def area_modules(module: str, *, optional: bool = False) -> Iterator[ModuleType]:
    """Each area's `module`; with optional=True, areas without that module are skipped."""
    for app in settings.AREA_APPS:
        name = f"{app}.{module}"
        try:
            yield import_module(name)
        except ModuleNotFoundError as exc:
            if not (optional and exc.name == name):
                raise


def contributions() -> list[object]:
    """Each area's contribution, in the order of `settings.AREA_HOOKS`."""
    return [import_module(entry).HOOKS if isinstance(entry, str) else entry for entry in settings.AREA_HOOKS]
