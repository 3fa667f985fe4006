from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from ipshub.audit.context import RequestOrigin, current_origin
from ipshub.audit.services import AuditWriteFailed
from ipshub.lib.client_address import client_address

UNRECORDED_MESSAGE = (
    "IPS Hub could not record this access in the audit trail, so it did not show or change the record. "
    "Nothing was saved. Please try again in a minute; if it keeps happening, tell your administrator."
)


def unrecorded_response(request: HttpRequest) -> HttpResponse:
    """503 without the data: a JSON error for the API, a page needing no database for people."""
    if request.path.startswith("/api/"):
        body = {"error": {"status": 503, "code": "audit_unavailable", "message": UNRECORDED_MESSAGE, "fields": {}}}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = HttpResponse(render_to_string("audit/unrecorded.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class RequestContextMiddleware:
    """Remember the client address and agent of the current request for audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Behind a load balancer the operator lists it in IPSHUB_TRUSTED_PROXIES; only then is
        # X-Forwarded-For read (a client can forge it), in the one place that decides the address.
        origin = RequestOrigin(
            ip=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.path[:300],
        )
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """If the audit write failed, the data is not shown: the view's response is never built (the
        audit call comes before rendering) and its transaction rolled back; answer 503 instead."""
        if isinstance(exception, AuditWriteFailed):
            return unrecorded_response(request)
        return None
