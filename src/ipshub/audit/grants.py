"""The one question the client access layer asks about break-glass: "is there an active grant for this
person and this enrollment?", and the audit event of every view under it.

Kept in the audit core, below the areas, so `ipshub.clients.access` can ask it without knowing who may
request a grant (that workflow, which needs tenancy roles, is `ipshub.oversight.breakglass`).
"""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ipshub.audit.models import BreakGlassGrant
from ipshub.audit.services import audit_record


def active_grant(
    person: AbstractBaseUser | AnonymousUser, enrollment_id: int, now: datetime.datetime | None = None
) -> BreakGlassGrant | None:
    if not person.is_authenticated:
        return None
    now = now or timezone.now()
    return (
        BreakGlassGrant.objects.filter(
            person_id=person.pk, enrollment_id=enrollment_id, starts_at__lte=now, ends_at__gt=now
        )
        .order_by("-ends_at")
        .first()
    )


def record_view(*, actor: AbstractBaseUser, grant: BreakGlassGrant) -> None:
    """One audit event for every read of a client record under a break-glass grant."""
    audit_record(
        actor=actor,
        action="breakglass.view",
        obj=grant,
        state_id=grant.state_id,
        summary=f"Break-glass view of enrollment {grant.enrollment_id} (grant {grant.pk})",
        detail={"enrollment": grant.enrollment_id, "grant": grant.pk},
    )
