"""Every API error in one shape:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is present (possibly empty) on every error; it maps a field (dotted for nested ones) to its
messages. Service functions' `django.core.exceptions.ValidationError`s become 400s here, so the API
shows exactly the messages the web forms show.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

MESSAGES = {
    status.HTTP_401_UNAUTHORIZED: "Send a personal API token as 'Authorization: Token <key>'.",
    status.HTTP_404_NOT_FOUND: "Not found.",
}


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


def error_body(status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
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
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
