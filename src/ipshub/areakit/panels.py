from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    """One section of a home page, contributed by an area: a template and what it shows."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50
