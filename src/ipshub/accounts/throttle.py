"""Sign-in throttling per username and per address, read from the audit trail.

Every failed sign-in is already an audit event with the username tried and the client address, so
the throttle needs no table or cache of its own, and works the same across many app servers.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from ipshub.audit.models import AuditEvent


def failures_since(*, username: str = "", ip: str | None = None, since: datetime.datetime) -> int:
    events = AuditEvent.objects.filter(action="login.failed", at__gte=since)
    if username:
        return events.filter(detail__username=username).count()
    return events.filter(ip=ip).count() if ip else 0


def sign_in_blocked(username: str, ip: str | None) -> bool:
    """True while the username or the address has too many recent failures."""
    since = timezone.now() - datetime.timedelta(seconds=settings.IPSHUB_LOGIN_WINDOW_SECONDS)
    return (
        bool(username) and failures_since(username=username, since=since) >= settings.IPSHUB_LOGIN_MAX_PER_USERNAME
    ) or failures_since(ip=ip, since=since) >= settings.IPSHUB_LOGIN_MAX_PER_ADDRESS
