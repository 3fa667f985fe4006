from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ipshub.audit.context import RequestOrigin, current_origin


class RequestContextMiddleware:
    """Remember the client address and agent of the current request for audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Behind a load balancer the operator sets IPSHUB_TRUSTED_PROXY so REMOTE_ADDR is the
        # balancer; X-Forwarded-For is not trusted by default because a client can forge it.
        origin = RequestOrigin(
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.path[:300],
        )
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
