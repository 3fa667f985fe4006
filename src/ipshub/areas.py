"""The product's areas beyond the foundation, each a Django app that plugs into the shared shell.

Each area app provides these modules (empty ones are fine):
- `urls.py`        its pages, included at the site root
- `navigation.py`  `items(person) -> list[NavItem]` for the primary navigation
- `home.py`        `panels(person) -> list[Panel]` for the person's home page
- `demo.py`        `build(ctx: DemoContext) -> None` adds the area's demo records to Westmark
- `scale.py`       `generate(ctx: ScaleContext) -> dict[str, int]` adds generated records at a scale
- `reminders.py`   `due_items(person, today) -> list[DueItem]` what comes due for the person (lib/due.py)
"""

import importlib
from collections.abc import Iterator
from types import ModuleType

AREAS = ("implementation", "clients", "fidelity", "collaboration")


def area_modules(module: str) -> Iterator[ModuleType]:
    for area in AREAS:
        yield importlib.import_module(f"ipshub.{area}.{module}")
