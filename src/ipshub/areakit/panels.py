from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    """One section of a home page, contributed by an area: a template and what it shows."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass
class ProgramPanel:
    """One panel of a program's hub (`/programs/<id>/`), contributed by an area's optional `program_panel.py`:
    `panels(person, program) -> list[ProgramPanel]`, read through the area's own access layer (an empty
    list when the person may not see what the area knows of the program).

    `figures` are what the API's hub answer carries for the panel (JSON values only: str, int, float, bool,
    None, lists and dicts of them); `template` shows them (as `figures`, with `context` as `extra`: what only
    the page needs); `url` is the area's own page for the program, which the panel links to. Each area reads
    its panel in a fixed number of queries whatever the program's size (the hub's query-count test holds them)."""

    key: str  # a stable name for the API ("fidelity", "outcomes", ...)
    title: str
    url: str
    template: str
    figures: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50
