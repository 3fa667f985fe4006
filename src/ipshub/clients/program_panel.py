"""The caseload panel of a program's hub (`/programs/<id>/`, web/program_hub.py): counts only, never a name,
for those who see the program's supervisor dashboard (its IPS unit and agency, its trainer, the state team).
Three queries whatever the caseload."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.panels import ProgramPanel
from ipshub.clients import access
from ipshub.clients.models import Enrollment, Job, Status
from ipshub.tenancy.models import Person, Program


def panels(person: Person, program: Program) -> list[ProgramPanel]:
    if not access.dashboard_programs(person).filter(pk=program.pk).exists():
        return []
    today = timezone.localdate()
    is_open = ~Q(status=Status.CLOSED)
    counts = Enrollment.objects.filter(program=program).aggregate(
        open=Count("id", filter=is_open),
        waiting=Count("id", filter=Q(status=Status.RECEIVED)),
        unassigned=Count("id", filter=is_open & Q(specialist__isnull=True)),
        specialists=Count("specialist", filter=is_open, distinct=True),
    )
    working = (
        Job.objects.filter(enrollment__program=program, started_on__lte=today)
        .filter(~Q(enrollment__status=Status.CLOSED))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .aggregate(n=Count("enrollment", distinct=True))["n"]
    )
    open_cases, specialists = counts["open"] or 0, counts["specialists"] or 0
    return [
        ProgramPanel(
            key="caseload",
            title=_("Caseload"),
            url=reverse("clients:dashboard", args=[program.pk]),
            template="clients/_program_panel.html",
            figures={
                "open": open_cases,
                "referrals_waiting": counts["waiting"] or 0,
                "unassigned": counts["unassigned"] or 0,
                "working": working or 0,
                "specialists_with_caseload": specialists,
                "per_specialist": round(open_cases / specialists, 1) if specialists else None,
            },
            order=20,
        )
    ]
