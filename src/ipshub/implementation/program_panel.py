"""The implementation panel of a program's hub (`/programs/<id>/`, web/program_hub.py): the roadmap stage the
program is at and its open responsibilities, in three queries whatever the program's size."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.panels import ProgramPanel
from ipshub.implementation import selectors
from ipshub.tenancy.models import Person, Program


def panels(person: Person, program: Program) -> list[ProgramPanel]:
    # The hub's caller read the program through tenancy's access layer: whoever sees it sees its roadmap.
    today = timezone.localdate()
    totals = selectors.stage_totals()
    closed = selectors.closed_by_stage([program.pk]).get(program.pk, {})
    stage_number, stage_name = selectors.current_stage(totals, closed) if totals else (0, "")
    counts = selectors.assignment_counts(program, today)
    return [
        ProgramPanel(
            key="implementation",
            title=_("Implementation"),
            url=reverse("implementation:program", args=[program.pk]),
            template="implementation/_program_panel.html",
            figures={
                "stage_number": stage_number or None,
                "stage_name": stage_name,
                "stages": len(totals),
                "open_responsibilities": counts["open"] or 0,
                "overdue_responsibilities": counts["overdue"] or 0,
                "done_responsibilities": counts["done"] or 0,
            },
            order=10,
        )
    ]
