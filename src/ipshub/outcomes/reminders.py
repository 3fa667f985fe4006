import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from ipshub.lib.due import DueItem, url_for_each
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import REPORTED_STATUSES, QuarterlyReport
from ipshub.outcomes.selectors import due_on
from ipshub.tenancy.access import person_rows, programs_visible_to, seats
from ipshub.tenancy.models import Person, Phase, Program
from ipshub.tenancy.roles import Role

WRITER_ROLES = (Role.IPS_SUPERVISOR, Role.MH_DIRECTOR)


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """The last quarter's report, for each program the person submits for, until it is submitted."""
    if not any(s.role in WRITER_ROLES for s in seats(person)):
        return []
    orgs = {s.organization_id for s in seats(person) if s.role in WRITER_ROLES}
    last = Quarter.containing(today).previous()

    def unreported() -> QuerySet[Program, tuple[int, str]]:
        """One query: the programs the person submits for whose last quarter is not reported yet."""
        reported = QuarterlyReport.objects.filter(
            program=OuterRef("pk"),
            year=last.year,
            quarter=last.quarter,
            is_current=True,
            status__in=REPORTED_STATUSES,
        )
        return (
            programs_visible_to(person)
            .exclude(phase=Phase.PRIOR)
            .filter(Q(mh_agency_id__in=orgs) | Q(employment_provider_id__in=orgs))
            .exclude(Exists(reported))
            .order_by()
            .values_list("pk", "name")
        )

    programs = person_rows(person, "outcomes.due_items", today, unreported)
    url = url_for_each("outcomes:program")
    return [
        DueItem(
            kind="quarterly_report",
            key=f"quarterly_report:{pk}:{last.year}Q{last.quarter}",
            title=_("Submit the %(quarter)s outcome report") % {"quarter": last},
            due_on=due_on(last.year, last.quarter),
            url=url(pk),
            program_name=name,
        )
        for pk, name in sorted(programs, key=lambda row: row[1])
    ]
