from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation bar, contributed by the shell or by an area."""

    label: str
    url: str
    section: str  # the first path segment that marks this item as current
