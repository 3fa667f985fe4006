"""Where a request came from, and which client records it loaded, kept for the audit trail without passing
the request everywhere (see audit/disclosure.py for how the loaded records become an audit event)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None
    user_agent: str
    path: str


current_origin: ContextVar[RequestOrigin | None] = ContextVar("ipshub_request_origin", default=None)

# Detail that every audit event recorded within `added_detail(...)` carries besides its own (audit_record).
current_extra: ContextVar[dict[str, Any] | None] = ContextVar("ipshub_audit_extra_detail", default=None)


@contextmanager
def added_detail(**detail: Any) -> Iterator[None]:
    """The audit events recorded within this block carry `detail` too (their own keys win), so a caller can say
    how a write came about (an entry logged offline: `logged_at`, `offline_entry`) through the same service
    function, without a second write path or a parameter on every service."""
    token = current_extra.set({**(current_extra.get() or {}), **detail})
    try:
        yield
    finally:
        current_extra.reset(token)


@dataclass
class Ledger:
    """What one request loaded of client records, and what its own audit events already named."""

    clients: dict[int, int] = field(default_factory=dict)  # client id -> its agency (organization) id
    enrollments: dict[int, int] = field(default_factory=dict)  # enrollment id -> client id
    named_enrollments: set[int] = field(default_factory=set)
    named_clients: set[int] = field(default_factory=set)

    def unrecorded(self) -> tuple[list[int], list[int]]:
        """(client ids, enrollment ids) disclosed by the response but named by no audit event yet."""
        named = self.named_clients | {self.enrollments[e] for e in self.named_enrollments if e in self.enrollments}
        clients = sorted(set(self.clients) - named)
        enrollments = sorted(e for e, c in self.enrollments.items() if c in clients)
        return clients, enrollments


current_ledger: ContextVar[Ledger | None] = ContextVar("ipshub_disclosure_ledger", default=None)


def client_loaded(client_id: int, agency_id: int) -> None:
    """A client row, with the data that identifies the person, was handed to the code."""
    ledger = current_ledger.get()
    if ledger is not None:
        ledger.clients[client_id] = agency_id


def enrollment_loaded(enrollment_id: int, client_id: int) -> None:
    """An enrollment row was handed to the code. It identifies nobody by itself (pages without the client
    row show "client record N"), but it ties the client to the enrollment ids the audit events name."""
    ledger = current_ledger.get()
    if ledger is not None:
        ledger.enrollments[enrollment_id] = client_id


def named(detail: dict[str, Any]) -> None:
    """An audit event of this request names these records (called by audit_record)."""
    ledger = current_ledger.get()
    if ledger is None:
        return
    ledger.named_enrollments.update(_ints(detail.get("enrollment")) | _ints(detail.get("enrollments")))
    ledger.named_clients.update(_ints(detail.get("client")) | _ints(detail.get("clients")))


def _ints(value: Any) -> set[int]:
    if isinstance(value, int):
        return {value}
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | dict):
        return {v for v in value if isinstance(v, int)}
    return set()
