import datetime

from django.utils.translation import gettext as _

from ipshub.dvr import access, selectors
from ipshub.lib.due import DueItem, url_for_each
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

SEES_AUTHORIZATIONS = {Role.DVR_SUPERVISOR, Role.DVR_COUNSELOR, Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST}


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """Deliverable reports and plan reviews due (provider), reports waiting for review and
    authorizations ending (DVR office). Titles carry no client names (reminders go to e-mail digests, calendar
    feeds and home pages; the link opens the authorization), so no client record is read here."""
    if not tenancy.roles_of(person) & SEES_AUTHORIZATIONS:
        return []  # nobody else sees an authorization (access.authorizations_visible_to)
    is_dvr = bool(access.dvr_office_ids(person))
    found = tenancy.person_rows(
        person,
        "dvr.due_items",
        today,
        lambda: selectors.due_reminder_query(access.authorizations_visible_to(person, today)),
    )
    rows = selectors.due_reminders(found, for_dvr=is_dvr)
    url_of = url_for_each("dvr:authorization_detail")  # a provider has hundreds of authorizations
    return [
        DueItem(
            kind="dvr",
            key=f"dvr:{row.authorization_id}:{row.what}",
            title=_("%(what)s: %(service)s (client record %(record)s)")
            % {"what": row.what, "service": row.service_name, "record": row.enrollment_id},
            due_on=row.due_on,
            url=url_of(row.authorization_id),
            program_name=row.program_name,
        )
        for row in rows
    ]
