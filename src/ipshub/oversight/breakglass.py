"""Break-glass: emergency, time-boxed, read-only access to one client record, always audited.

- Who may ask: IPS supervisors and administrators, for records of a program in their own state.
- What it gives: READ on that one enrollment until it ends (default 60 minutes, at most 8 hours).
  Never a write capability: forms on the record still answer 403.
- Where it is checked: `ipshub.audit.grants.active_grant`, called from one marked place in
  `ipshub.clients.access.get_client_access` (the audit core, so the client area needs nothing from here).
- Every view under a grant is an audit event `breakglass.view` (object = the grant, written by
  `ipshub.audit.grants.record_view`); the grant itself is `breakglass.grant`. The state team sees every
  grant (oversight/views.py `breakglass_list`).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.audit.models import BreakGlassGrant
from ipshub.audit.services import audit_record
from ipshub.clients import access as clients_access
from ipshub.clients.models import Enrollment
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

DEFAULT_MINUTES = 60
MAX_MINUTES = 8 * 60


def requester_state_ids(person: Person) -> set[int]:
    """States where the person may break the glass: as an IPS supervisor or as an administrator."""
    return {s.state_id for s in tenancy.seats(person) if s.role == Role.IPS_SUPERVISOR} | (
        tenancy.administered_state_ids(person)
    )


def can_request(person: Person) -> bool:
    return bool(requester_state_ids(person))


def grants_of(person: Person) -> QuerySet[BreakGlassGrant]:
    return BreakGlassGrant.objects.filter(person_id=person.pk)


@transaction.atomic
def breakglass_request(
    *, actor: Person, enrollment_id: int | None, reason: str, minutes: int | None
) -> BreakGlassGrant:
    """Grant emergency read access at once; the grant ends by itself after `minutes`."""
    states = requester_state_ids(actor)
    if not states:
        raise PermissionDenied("Only IPS supervisors and administrators can request emergency access.")
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if len(reason) < 10:
        errors["reason"] = _("Say why you need this record now (at least 10 characters); the state team will read it.")
    minutes = DEFAULT_MINUTES if minutes is None else minutes
    if not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("Choose between 1 and %(MAX_MINUTES)s minutes (8 hours).") % {"MAX_MINUTES": MAX_MINUTES}
    enrollment = (
        Enrollment.objects.select_related("program", "client")
        .filter(pk=enrollment_id, program__state_id__in=states)
        .first()
        if enrollment_id
        else None
    )
    if enrollment is None:
        # The same message whether the record does not exist or is in another state.
        errors["enrollment_id"] = _("No client record with that number in your state: check the record number.")
    elif clients_access.client_access(actor, enrollment):
        errors["enrollment_id"] = _("You can already see this record: open it from your caseload.")
    if errors:
        raise ValidationError(errors)
    assert enrollment is not None
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        person=actor,
        enrollment=enrollment,
        state_id=enrollment.program.state_id,
        reason=reason,
        starts_at=now,
        ends_at=now + datetime.timedelta(minutes=minutes),
    )
    audit_record(
        actor=actor,
        action="breakglass.grant",
        obj=grant,
        state_id=grant.state_id,
        summary=f"Break-glass access to enrollment {enrollment.pk} for {minutes} minutes",
        detail={"enrollment": enrollment.pk, "grant": grant.pk, "minutes": minutes, "reason": reason},
    )
    return grant
