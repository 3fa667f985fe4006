"""The API's drf-spectacular AutoSchema: the versions headers (api/versions.py) — If-Match required on
every update, ETag answered by single-object GETs and updates — and `additionalProperties: false` on
request bodies, which refuse unknown fields (api/inputs.py).

Apart from api/schema.py, which api/apps.py imports before the models are ready."""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.versions import IF_MATCH_PATTERN, OneObject


def decimal_pattern(field: serializers.DecimalField) -> str:
    """A number as the field reads it: at least one digit, its digits before and after the point within the
    field's, and no minus sign when it takes no negative value (drf-spectacular's own pattern also allows "",
    "-" and ".", which the field refuses)."""
    places = field.decimal_places or 0
    whole = (field.max_digits - places) if field.max_digits is not None else None
    digits = rf"\d{{1,{whole}}}" if whole else r"\d+"
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    fraction = rf"(\.\d{{1,{places}}})?" if places else ""
    return rf"^{sign}{digits}{fraction}$"


IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": IF_MATCH_PATTERN},
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you read it (its GET's `ETag` header). Without it: 428; "
    'if the record changed since: 412. See docs/api.md, "Versions and safe updates".',
)


def etag_header(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(statuses),
        description="The version of the record as answered: send it back as If-Match to update it.",
    )


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        found = list(super().get_override_parameters())
        if self.method in ("PUT", "PATCH"):
            found += [IF_MATCH, etag_header(200, 201)]
        elif self.method == "GET" and isinstance(self.view, OneObject):
            found.append(etag_header(200))
        return found

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        mapped: dict[str, Any] = super()._map_basic_serializer(serializer, direction)  # type: ignore[no-untyped-call]
        kind = serializer if isinstance(serializer, type) else type(serializer)
        if direction == "request" and issubclass(kind, KnownFieldsOnly):
            mapped["additionalProperties"] = False
        return mapped

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> dict[str, Any]:
        """Say in the schema what the fields refuse: a malformed number, an empty list where one is needed."""
        mapped: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]
        if direction != "request":
            return mapped
        if isinstance(field, serializers.DecimalField) and mapped.get("type") == "string":
            mapped["pattern"] = decimal_pattern(field)
        if isinstance(field, serializers.ListField | serializers.ManyRelatedField) and not field.allow_empty:
            mapped["minItems"] = max(int(mapped.get("minItems", 0)), 1)
        return mapped
