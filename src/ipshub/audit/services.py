from typing import Any

from django.db import models

from ipshub.audit.context import current_origin
from ipshub.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    state_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Called by every service function that writes, inside its transaction,
    so the event and the change commit (or roll back) together."""
    origin = current_origin.get()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else str(actor or "anonymous"))[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        summary=(summary or (str(obj) if obj is not None else ""))[:300],
        state_id=state_id,
        ip=origin.ip if origin else None,
        user_agent=origin.user_agent if origin else "",
        path=origin.path if origin else "",
        detail=detail or {},
    )
