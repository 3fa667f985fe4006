"""Who may read the audit trail: administrators, for their own state's events."""

from django.db.models import Q, QuerySet

from ipshub.audit.models import AuditEvent
from ipshub.tenancy import access
from ipshub.tenancy.models import Person


def events_visible_to(person: Person) -> QuerySet[AuditEvent]:
    if access.is_platform_admin(person):
        return AuditEvent.objects.all()
    states = access.administered_state_ids(person)
    if not states:
        return AuditEvent.objects.none()
    # Events without a state (sign-ins) are shown for people who belong to the administered states.
    members = Person.objects.filter(memberships__organization__state_id__in=states).values("pk")
    return AuditEvent.objects.filter(Q(state_id__in=states) | Q(state__isnull=True, actor_id__in=members))
