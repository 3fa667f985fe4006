from dataclasses import dataclass

from ipshub.tenancy.models import Organization, Person, Program, State


@dataclass
class DemoContext:
    """What the Westmark demo has built so far, by name, for the areas to add their records to."""

    state: State
    orgs: dict[str, Organization]  # by organization name
    people: dict[str, Person]  # by username
    programs: dict[str, Program]  # by program name
