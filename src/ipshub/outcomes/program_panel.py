"""The outcomes panel of a program's hub (`/programs/<id>/`, web/program_hub.py): the employment rate of the
program's last quarterly reports (the default definition), under the small-count rule of the program's own
outcomes page: exact figures for those who may write or review them, "<11" and withheld rates for the rest.
One query whatever the history."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.panels import ProgramPanel
from ipshub.outcomes import access
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import rate, shown, visible_rate
from ipshub.tenancy.models import Person, Program

QUARTERS_ON_HUB = 4


def panels(person: Person, program: Program) -> list[ProgramPanel]:
    exact = access.can_write_for(person, program)  # from the seats already loaded: no query
    reports = list(
        access.reports_visible_to(person)
        .filter(program=program, definition_code=DEFAULT_CODE, is_current=True)
        .order_by("-year", "-quarter")[:QUARTERS_ON_HUB]
    )
    quarters = []
    for report in reports:
        value = visible_rate(report.worked, report.served, rate(report.worked, report.served), exact)
        quarters.append(
            {
                "year": report.year,
                "quarter": report.quarter,
                "status": report.status,
                "status_label": report.get_status_display(),
                "served": str(report.served) if exact else shown(report.served),
                "worked": str(report.worked) if exact else shown(report.worked),
                "employment_rate": None if value is None else float(value),
            }
        )
    return [
        ProgramPanel(
            key="outcomes",
            title=_("Outcomes"),
            url=reverse("outcomes:program", args=[program.pk]),
            template="outcomes/_program_panel.html",
            figures={"definition": DEFAULT_CODE, "exact": exact, "quarters": quarters},
            order=40,
        )
    ]
