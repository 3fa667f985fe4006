"""OpenAPI schema additions: the token scheme, the one error shape on every operation, and the 412 and
428 of every update (api/versions.py; its headers: api/autoschema.py)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
ERRORS = {
    "400": "The request is not valid: see `error.fields` for each field's message.",
    "401": "No token, or a token that is mistyped, revoked, expired or of a deactivated person.",
    "403": "You may read this but not change it.",
    "404": "Not found, or not yours: the two look the same.",
    "405": "This endpoint does not take that method.",
    "406": "Ask for application/json.",
    "413": "The body is larger than the API reads; send fewer records, or import a file.",
    "415": "Send the body as application/json.",
    "500": "Something failed on the server; the request was not completed.",
    "503": "The database is busy or out of reach, or the access could not be audited; nothing was saved.",
}
WRITE_ONLY = {"413", "415"}
PRECONDITION_ERRORS = {
    "412": "Stale: the record changed since you read it (your If-Match is not its ETag now). "
    "`error.current_version` and `error.etag` say what it is now: read it again, then redo your change.",
    "428": "No If-Match: send the ETag of the record's GET, so that your update cannot silently overwrite "
    "someone else's.",
}
PRECONDITION_ERROR_SCHEMA = {
    "allOf": [
        {"$ref": "#/components/schemas/Error"},
        {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["current_version", "etag"],
                    "properties": {
                        "current_version": {
                            "type": "integer",
                            "nullable": True,
                            "description": "The record's version number now (null for a record without one).",
                        },
                        "etag": {"type": "string", "description": "The record's ETag now."},
                    },
                }
            },
        },
    ]
}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "ipshub.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token, sent as `Authorization: Token <key>`. "
            "Make one at /account/tokens/ or with `ipshub token create USERNAME`.",
        }


class SignedInSessionScheme(OpenApiAuthenticationExtension):
    target_class = "ipshub.api.authentication.SignedInSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The browser's signed-in session (past the second factor), for the offline field page; "
            "writes also send the CSRF token as `X-CSRFToken`.",
        }


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: document the error shape for every 4xx an operation can give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["PreconditionFailedError"] = PRECONDITION_ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    precondition_ref = {"$ref": "#/components/schemas/PreconditionFailedError"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in WRITE_ONLY and "requestBody" not in operation:
                    continue
                if code in responses and "content" not in responses[code]:
                    # The operation says what this error means for it (`OpenApiResponse(description=...)`);
                    # its body is the one error shape.
                    responses[code]["content"] = {"application/json": {"schema": ref}}
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
            if method in ("put", "patch"):
                for code, description in PRECONDITION_ERRORS.items():
                    schema = precondition_ref if code == "412" else ref
                    responses[code] = {"description": description, "content": {"application/json": {"schema": schema}}}
    return result


def require_bodies_with_required_fields(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: a request body with a required field is itself required (without
    the body, the operation answers 400 naming the fields); drf-spectacular marks it so only for some bodies."""
    schemas = result.get("components", {}).get("schemas", {})
    for item in result.get("paths", {}).values():
        for operation in item.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body or body.get("required"):
                continue
            for content in body.get("content", {}).values():
                schema = content.get("schema", {})
                ref = schema.get("$ref", "")
                found = schemas.get(ref.rsplit("/", 1)[1], {}) if ref else schema
                if found.get("required"):
                    body["required"] = True
    return result
