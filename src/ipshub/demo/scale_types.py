from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    states: int
    programs: int
    clients: int
    years: int
