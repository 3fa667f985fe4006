"""The schema (/api/v1/schema/, OpenAPI 3, token required) and the docs page (/api/v1/docs/), a
server-rendered list of every endpoint made from the same schema: no assets from elsewhere."""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from ipshub.tenancy.access import non_tenant_view


class SchemaView(SpectacularAPIView):
    """OpenAPI 3 schema: JSON (application/json) by default, YAML with `?format=yaml`."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view: Any = super().as_view(**initkwargs)
        view.ipshub_access = "non_tenant"  # the API's shape, no tenant data
        view.ipshub_api = True
        return view


@functools.cache
def api_schema() -> dict[str, Any]:
    """The schema as a dict, made once per process (it changes only with the code)."""
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body_fields: list[tuple[str, str, bool, str]] = field(default_factory=list)
    success: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".lower().replace("/", "-").replace("{", "").replace("}", "").strip("-")


def _schema_type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if "$ref" in schema:
        ref: str = schema["$ref"]
        return ref.rsplit("/", 1)[-1]
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
    if "allOf" in schema:
        return " ".join(_schema_type(s, components) for s in schema["allOf"])
    if "oneOf" in schema:
        return " or ".join(_schema_type(s, components) for s in schema["oneOf"])
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return "list of " + _schema_type(schema.get("items", {}), components)
    return kind + (f" ({schema['format']})" if "format" in schema else "")


def operations() -> list[Operation]:
    schema = api_schema()
    components = schema.get("components", {}).get("schemas", {})
    result = []
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            body_schema = components.get(body.get("$ref", "").rsplit("/", 1)[-1], {})
            required = set(body_schema.get("required", []))
            success = next((code for code in op.get("responses", {}) if code.startswith("2")), "")
            result.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    parameters=[
                        {**p, "type": _schema_type(p.get("schema", {}), components)} for p in op.get("parameters", [])
                    ],
                    body_fields=[
                        (name, _schema_type(prop, components), name in required, prop.get("description", ""))
                        for name, prop in body_schema.get("properties", {}).items()
                        if not prop.get("readOnly")
                    ],
                    success=success,
                )
            )
    return result


@non_tenant_view
def docs_page(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {"operations": operations(), "info": api_schema().get("info", {})})
