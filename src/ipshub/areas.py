"""The product's areas beyond the foundation, each a Django app that plugs into the shared shell.

Each area app provides these modules (empty ones are fine):
- `urls.py`        its pages, included at the site root
- `navigation.py`  `items(person) -> list[NavItem]` for the primary navigation
- `home.py`        `panels(person) -> list[Panel]` for the person's home page
- `demo.py`        `build(ctx: DemoContext) -> None` adds the area's demo records to Westmark
- `scale.py`       `generate(ctx: ScaleContext) -> dict[str, int]` adds generated records at a scale
- `bench.py`       (optional) `pages(ctx: BenchContext) -> list[BenchPage]` its key pages for `ipshub bench`
- `search.py`      (optional) `results(person, query, limit) -> list[SearchResult]` within what the person may see
- `reminders.py`   `due_items(person, today) -> list[DueItem]` what comes due for the person (lib/due.py)
- `hooks.py`       `HOOKS = Hooks(...)` what it contributes to the other areas (areakit/hooks.py); the areas
                   are listed for it in settings.AREA_HOOKS
"""

import importlib
from collections.abc import Iterator
from types import ModuleType

AREAS = ("implementation", "clients", "fidelity", "outcomes", "collaboration", "dvr")


def area_modules(module: str, *, optional: bool = False) -> Iterator[ModuleType]:
    """Each area's `module`; with optional=True, areas without that module are skipped."""
    for area in AREAS:
        name = f"ipshub.{area}.{module}"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not (optional and exc.name == name):
                raise
