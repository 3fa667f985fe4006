"""The address of the person making a request, also behind reverse proxies (IPSHUB_TRUSTED_PROXIES).

The one place that decides it: the audit trail (audit/middleware.py) and the sign-in throttle
(accounts/throttle.py) both ask here, so what the throttle counts is what the audit trail shows.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> Address | None:
    """An address from one X-Forwarded-For hop; tolerates "[::1]" and "1.2.3.4:5678" (some proxies add ports)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    return any(address in network for network in settings.IPSHUB_TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless it is a trusted proxy: then the right-most X-Forwarded-For hop that is not one.

    Each proxy appends the address it received the request from, so reading from the right, every hop up to
    the first untrusted one was written by a proxy we trust; anything further left was written by the
    client and may be forged. A request from an untrusted address has its header ignored entirely: anyone
    can send X-Forwarded-For. A hop that is not an address stops the walk at the last trusted address
    (a trusted proxy wrote nonsense; the nearest address we can vouch for is that proxy's)."""
    remote = request.META.get("REMOTE_ADDR") or None
    remote_address = _parse(remote) if remote else None
    if remote_address is None or not _trusted(remote_address):
        return remote
    nearest = remote_address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break
        nearest = address
        if not _trusted(address):
            break
    return str(nearest)
