"""Sign-in throttling, read from the audit trail, narrow enough that nobody can lock out someone else.

Every failed sign-in is already an audit event with the username tried and the client address (the real
client's, behind a trusted proxy: lib/client_address.py), so the throttle needs no table or cache of its
own, and works the same across many app servers.

Why these three rules, and not "N failures per username locks the username": a lock on a username alone
lets anyone who knows a colleague's username lock them out from anywhere, and a lock on an address alone
lets one address behind a shared proxy lock out everyone. So every rule includes the address asking:

1. an address with IPSHUB_LOGIN_MAX_PER_ADDRESS failures (any usernames) is refused: password spraying;
2. a username with IPSHUB_LOGIN_MAX_PER_USERNAME failures *from this address* is refused from this address:
   guessing one person's password;
3. a username with IPSHUB_LOGIN_MAX_PER_USERNAME_TOTAL failures from all addresses together is refused from
   every address that has already failed for it: guessing spread over many addresses. An address with no
   failure for that username still gets through, so the real person with the right password (and second
   factor) signs in from their own computer while an attack runs; each attacking address is left with
   one guess per window, which slows guessing down to the number of addresses the attacker holds.

Blocked attempts are recorded as `login.blocked`, not as failures, so a block ends one window after the
failures that caused it, however long an attacker keeps trying.
"""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from ipshub.audit.models import AuditEvent


@dataclass(frozen=True)
class Block:
    """Why a sign-in is refused, and for how many more minutes."""

    rule: str  # "address", "username_here" or "username"
    minutes: int

    @property
    def message(self) -> str:
        values = {"minutes": self.minutes}
        if self.rule == "address":
            return (
                ngettext(
                    "Too many failed sign-ins from this address; try again in %(minutes)d minute, "
                    "or ask your administrator to help.",
                    "Too many failed sign-ins from this address; try again in %(minutes)d minutes, "
                    "or ask your administrator to help.",
                    self.minutes,
                )
                % values
            )
        if self.rule == "username_here":
            return (
                ngettext(
                    "Too many failed sign-ins for this username from this address; try again in %(minutes)d minute, "
                    "or ask your administrator to help.",
                    "Too many failed sign-ins for this username from this address; try again in %(minutes)d minutes, "
                    "or ask your administrator to help.",
                    self.minutes,
                )
                % values
            )
        return (
            ngettext(
                "Too many failed sign-ins for this username; try again in %(minutes)d minute, "
                "or ask your administrator to help.",
                "Too many failed sign-ins for this username; try again in %(minutes)d minutes, "
                "or ask your administrator to help.",
                self.minutes,
            )
            % values
        )


def _failures(since: datetime.datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action="login.failed", at__gte=since)


def _block_if_over(rule: str, failures: QuerySet[AuditEvent], limit: int, window: datetime.timedelta) -> Block | None:
    count = failures.count()
    if count < limit:
        return None
    # The block lifts when the count falls below the limit: when the (count - limit + 1)-th oldest failure
    # leaves the window.
    lifting = failures.order_by("at").values_list("at", flat=True)[count - limit] + window
    return Block(rule=rule, minutes=max(1, math.ceil((lifting - timezone.now()).total_seconds() / 60)))


def sign_in_block(username: str, ip: str | None) -> Block | None:
    """The rule that refuses this username from this address now, if any (see the module's comment)."""
    window = datetime.timedelta(seconds=settings.IPSHUB_LOGIN_WINDOW_SECONDS)
    recent = _failures(timezone.now() - window)
    from_here = recent.filter(ip=ip)
    block = _block_if_over("address", from_here, settings.IPSHUB_LOGIN_MAX_PER_ADDRESS, window)
    if block is not None or not username:
        return block
    here = from_here.filter(detail__username=username)
    block = _block_if_over("username_here", here, settings.IPSHUB_LOGIN_MAX_PER_USERNAME, window)
    if block is not None or not here.exists():
        return block
    everywhere = recent.filter(detail__username=username)
    return _block_if_over("username", everywhere, settings.IPSHUB_LOGIN_MAX_PER_USERNAME_TOTAL, window)
