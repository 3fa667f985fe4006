"""Every API error in one shape:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is present (possibly empty) on every error; it maps a field (dotted for nested ones) to its
messages. A 412 (a stale If-Match, api/versions.py) adds `current_version` and `etag`. Service functions'
`django.core.exceptions.ValidationError`s become 400s here, so the API shows exactly the messages the
web forms show.

DRF's exceptions are shaped here; anything that escapes DRF (a server error, a URL no pattern matches,
a body too large for Django to read) is shaped by api/middleware.py from the same STATUS_MESSAGES.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from ipshub.api.versions import PreconditionFailed

MESSAGES = {
    status.HTTP_401_UNAUTHORIZED: "Send a personal API token as 'Authorization: Token <key>'.",
    status.HTTP_404_NOT_FOUND: "Not found.",
}
# For errors answered outside DRF, where only the status is known: (code, message).
STATUS_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be read. Check the URL, the headers and the body."),
    403: ("permission_denied", "You do not have permission to do this."),
    404: ("not_found", MESSAGES[404]),
    405: ("method_not_allowed", "This endpoint does not take that method."),
    413: ("request_too_large", ""),  # see too_large_message()
    415: ("unsupported_media_type", "Send the body as application/json."),
    429: ("throttled", "Too many requests. Wait a moment, then try again."),
    500: (
        "server_error",
        "Something went wrong on the server and the request was not completed. Try again; if it keeps "
        "happening, tell your administrator the time of the request.",
    ),
    503: (
        "unavailable",
        "The database is busy or out of reach, so the request was not completed and nothing was saved. "
        "Try again in a minute.",
    ),
}


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return (
        f"The request body is larger than {limit // 1024:,} KB, the most the API reads. Send fewer records "
        "per request; to load many records, import a file at /api/v1/imports/."
    )


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def status_error_body(status_code: int) -> dict[str, Any]:
    """The error body for a status answered outside DRF (a server error, an unmatched URL...)."""
    code, message = STATUS_MESSAGES.get(status_code, ("error", ""))
    if status_code == 413:
        message = too_large_message()
    return error_body(status_code, code, message or f"The request failed (HTTP {status_code}).")


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field": [...], "items.0.name": [...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for k, v in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def field_messages(detail: Any) -> dict[str, list[str]]:
    """A serializer's errors as the error shape's `fields` (the offline sync's per-entry problems)."""
    return _flatten(detail)


def error_body(status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def _from_django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, RequestDataTooBig):  # Django refused to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestTooLarge(too_large_message())
    if not isinstance(exc, exceptions.APIException):
        return None  # a real server error: let Django log it and answer 500
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = str(auth_header)
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"  # type: ignore[attr-defined]
    code = str(getattr(exc, "default_code", "error"))
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = fields.pop("non_field_errors", [])
        message = " ".join(general) if general else "Some fields are not valid: " + ", ".join(sorted(fields)) + "."
        body = error_body(exc.status_code, code, message, fields)
    else:
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else ""
        if isinstance(exc, exceptions.NotFound):
            message = message if message.startswith("There is no page") else MESSAGES[404]
        if isinstance(exc, exceptions.NotAuthenticated):
            message = MESSAGES[401]
        body = error_body(exc.status_code, code, message or str(exc.default_detail))
    if isinstance(exc, PreconditionFailed):  # the version now, so the caller can read it again and redo its change
        body["error"].update(current_version=exc.current_version, etag=exc.etag)
        headers["ETag"] = exc.etag
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
