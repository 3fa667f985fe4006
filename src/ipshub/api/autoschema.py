"""The API's drf-spectacular AutoSchema: the versions headers (api/versions.py) — If-Match required on
every update, ETag answered by single-object GETs and updates — and `additionalProperties: false` on
request bodies, which refuse unknown fields (api/inputs.py).

Apart from api/schema.py, which api/apps.py imports before the models are ready."""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.versions import OneObject

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
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
