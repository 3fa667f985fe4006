import logging
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, models

from ipshub.audit.context import current_extra, current_origin, named
from ipshub.audit.models import AuditEvent

logger = logging.getLogger(__name__)


class AuditWriteFailed(Exception):
    """The audit event could not be written, so the read or write it records must not happen: the
    caller's transaction rolls back and RequestContextMiddleware answers 503 without the data."""

    def __init__(self, action: str) -> None:
        super().__init__(f"The audit event '{action}' could not be recorded.")
        self.action = action


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
    extra = current_extra.get()
    if extra:
        detail = {**extra, **(detail or {})}
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    try:
        event = _create(actor, authenticated, action, obj, summary, state_id, detail, origin)
    except (OperationalError, InterfaceError):
        raise  # the database is down: the 503 "can't reach its database" page
    except DatabaseError as exc:
        # A refused audit row (permissions, a trigger, a full disk...): no data without its record.
        # Logged by action only; the statement's parameters are not logged.
        logger.error("Audit write refused for action %s (%s); the response is withheld.", action, type(exc).__name__)
        raise AuditWriteFailed(action) from exc
    # The records this event names need no second, generic disclosure event (audit/disclosure.py).
    named(event.detail)
    return event


def _create(
    actor: Any,
    authenticated: bool,
    action: str,
    obj: models.Model | None,
    summary: str,
    state_id: int | None,
    detail: dict[str, Any] | None,
    origin: Any,
) -> AuditEvent:
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
