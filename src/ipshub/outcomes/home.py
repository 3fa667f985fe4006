from django.utils.translation import gettext as _

from ipshub.areakit.panels import Panel
from ipshub.outcomes import access
from ipshub.outcomes.models import EDITABLE, QuarterlyReport, Status
from ipshub.tenancy.access import seats, visible_program_ids
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

SHOWN = 5


def panels(person: Person) -> list[Panel]:
    """State reviewers see reports waiting for review; program writers see drafts and returned reports."""
    reviewer_states = {s.state_id for s in seats(person) if s.role in access.STATE_REVIEWER_ROLES}
    if reviewer_states:
        reports = QuarterlyReport.objects.filter(
            program__state_id__in=reviewer_states, status=Status.SUBMITTED, is_current=True
        )
        link = _("The state outcomes dashboard")
    elif any(s.role in (Role.IPS_SUPERVISOR, Role.MH_DIRECTOR) for s in seats(person)):
        reports = QuarterlyReport.objects.filter(
            program_id__in=visible_program_ids(person), status__in=EDITABLE, is_current=True
        )
        link = _("All your programs' outcomes")
    else:
        return []
    shown = list(reports.select_related("program").order_by("due_on", "program__name")[:SHOWN])
    return [Panel("outcomes/panel.html", {"reports": shown, "link_text": link}, order=40)]
