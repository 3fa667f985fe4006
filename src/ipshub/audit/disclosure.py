"""The one place that decides a client's data was disclosed, and records it.

A client's identifying data (name, birth date, phone, e-mail, record number) lives on one model,
`clients.Client`. Every Client and Enrollment row that the database hands to the code while a request is
served is noted (their `from_db` calls `audit.context.client_loaded()`), whichever query, selector, serializer or export
asked for it. When the response is ready, `DisclosureMiddleware` writes one audit event naming the clients
whose data went out in it (who, which clients, when, from where, how: view, list, export or download),
unless an audit event of the same request already named them (the views' own `client.view` /
`client.list…` events, break-glass views). If that event cannot be written, the response is replaced by
the 503 "could not record this access" page: no client data leaves without its record.

Why at the row loader and not in each view: a view, a template or a serializer added later cannot forget
it. Queries that bypass model instances (`values()`, `values_list()`, raw SQL) over client fields must call
`client_loaded()` themselves; `tests/audit/test_disclosure_walk.py` walks every URL and export as every role and
fails when a response shows a client's name with no matching event.

Only responses that carry a body to the person count (2xx); a 404, a 403 or a redirect disclosed nothing,
even if the access layer loaded the row to decide so. Outside a request (management commands, e-mail
digests, which carry no client data) nothing is collected.
"""

from collections.abc import Callable

from django.apps import apps
from django.http import HttpRequest, HttpResponse

from ipshub.audit.context import Ledger, current_ledger
from ipshub.audit.middleware import unrecorded_response
from ipshub.audit.services import AuditWriteFailed, audit_record


def how_disclosed(response: HttpResponse, clients: int) -> str:
    """view, list, export (a table file) or download (any other file)."""
    disposition = response.get("Content-Disposition", "")
    if disposition.startswith("attachment"):
        content_type = response.get("Content-Type", "")
        tables = ("text/csv", "spreadsheetml", "ms-excel")
        return "export" if any(t in content_type for t in tables) else "download"
    return "view" if clients == 1 else "list"


class DisclosureMiddleware:
    """Collect what each request loaded of client records; record what its response disclosed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ledger = Ledger()
        token = current_ledger.set(ledger)
        try:
            response = self.get_response(request)
        finally:
            current_ledger.reset(token)
        if not 200 <= response.status_code < 300:
            return response
        clients, enrollments = ledger.unrecorded()
        if not clients:
            return response
        how = how_disclosed(response, len(clients))
        try:
            audit_record(
                actor=getattr(request, "user", None),
                action="client.disclose",
                summary=f"{len(clients)} client record(s) disclosed ({how})",
                state_id=_state_of({ledger.clients[c] for c in clients}),
                detail=_detail(clients, enrollments, how, response.status_code),
            )
        except AuditWriteFailed:
            return unrecorded_response(request)
        return response


def _detail(clients: list[int], enrollments: list[int], how: str, status: int) -> dict[str, object]:
    detail: dict[str, object] = {"clients": clients, "enrollments": enrollments, "how": how, "status": status}
    if len(enrollments) == 1:
        # One record: keyed like client.view, so "who saw this client" finds it.
        detail["enrollment"] = enrollments[0]
    return detail


def _state_of(agency_ids: set[int]) -> int | None:
    """The state of the clients' agencies, so state-scoped audit reports find the event (None if several).
    The organization model is looked up by name: the audit core sits below the apps whose rows it records."""
    organization = apps.get_model("tenancy", "Organization")
    states = set(organization.objects.filter(pk__in=agency_ids).values_list("state_id", flat=True))
    return states.pop() if len(states) == 1 else None
