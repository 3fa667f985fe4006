"""Every error under /api/ in the API's one JSON shape (api/errors.py), not only those DRF raises.

DRF shapes the errors of its own views. Some answers never pass through it: a server error (Django's
handler500: an HTML 500, or an HTML 503 when the database is locked or down), a path no URL pattern
matches (one holding a newline, which the catch-all's `.*` does not), a body Django refuses to read
outside a DRF view. This middleware replaces any such non-JSON error response under /api/ with the JSON
shape for its status. Django has already logged the error (and the test client re-raised it) by then:
nothing about how failures are reported changes, only the body the API client reads."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from ipshub.api.errors import status_error_body

API_PREFIX = "/api/"
# The body's own headers; every other header (Retry-After, Allow, the security headers) is kept.
BODY_HEADERS = {"content-type", "content-length", "content-encoding", "content-disposition"}


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _body_over_limit(request: HttpRequest) -> bool:
    """Whether Django refused the body as too big: raised in a view (noted by process_exception) or in a
    middleware before it (the CSRF check reads a form body), where only the declared length tells."""
    if isinstance(getattr(request, "_ipshub_api_exception", None), RequestDataTooBig):
        return True
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    content_type = request.META.get("CONTENT_TYPE", "")
    return limit is not None and length > limit and not content_type.startswith("multipart/")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        status = response.status_code
        if status == 400 and _body_over_limit(request):
            status = 413  # Django answers RequestDataTooBig 400; the API says what is wrong
        shaped = JsonResponse(status_error_body(status), status=status)
        for header, value in response.items():
            if header.lower() not in BODY_HEADERS:
                shaped[header] = value
        shaped.cookies = response.cookies
        return shaped

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Note what the view raised, for __call__; returning None leaves logging to Django."""
        if request.path.startswith(API_PREFIX):
            request._ipshub_api_exception = exception  # type: ignore[attr-defined]
