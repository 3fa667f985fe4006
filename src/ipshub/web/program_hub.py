"""A program's hub (`/programs/<id>/`): what the program is (tenancy: phase, partners, phase history) and, in
one panel each, what every area knows of it, each linking to the area's own page. The areas contribute their
panels through the optional `program_panel.py` module of the area protocol (`panels(person, program)`,
areakit.panels.ProgramPanel); the shell never names an area. The API's `programs/{id}/hub/` answers the same
panels' figures. A fixed number of queries whatever the program's size (tests/web/test_program_hub.py)."""

from dataclasses import dataclass, field

from ipshub.areakit.panels import ProgramPanel
from ipshub.lib.contributions import area_modules
from ipshub.lib.kept import one_page
from ipshub.tenancy import access
from ipshub.tenancy.models import Organization, Person, PhaseChange, Program


@dataclass
class ProgramHub:
    program: Program
    can_manage: bool
    dvr_offices: list[Organization] = field(default_factory=list)
    history: list[PhaseChange] = field(default_factory=list)
    panels: list[ProgramPanel] = field(default_factory=list)


def panels_for(person: Person, program: Program) -> list[ProgramPanel]:
    """Every area's panels for the program, in their order. The program was read through tenancy's access
    layer by the caller; each area reads its own records through its own."""
    found = [panel for area in area_modules("program_panel", optional=True) for panel in area.panels(person, program)]
    return sorted(found, key=lambda p: p.order)


def hub_for(person: Person, program: Program) -> ProgramHub:
    with one_page():  # the areas' panels share what they read about the person (seats, visible programs)
        return ProgramHub(
            program=program,
            can_manage=access.can_manage_programs(person, program.state_id),
            dvr_offices=list(program.dvr_offices.all()),
            history=list(program.phase_changes.select_related("changed_by")),
            panels=panels_for(person, program),
        )
