"""The schema (/api/v1/schema/, OpenAPI 3, token required) and the docs page (/api/v1/docs/), a
server-rendered list of every endpoint made from the same schema: no assets from elsewhere.

The docs page speaks the reader's language: its texts (summaries, descriptions, parameters' and fields'
descriptions) are written once in English in the code — docstrings, extend_schema, help_text, which gettext
can't mark — and translated when the page is made, from the .po like any other string: `docs_messages()` gives
them to `ipshub extract-messages` (registered in api/apps.py). Identifiers (paths, methods, field names, types,
enum values, status codes) are shown in <code>, never translated. The schema itself stays English."""

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
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


def _code(value: Any) -> SafeString:
    return format_html("<code>{}</code>", value)


def _schema_type(schema: dict[str, Any], components: dict[str, Any]) -> SafeString:
    """A field's type in words of the active language around identifiers in <code>."""
    if "$ref" in schema:
        ref: str = schema["$ref"]
        return _code(ref.rsplit("/", 1)[-1])
    if "enum" in schema:
        values = format_html_join(", ", "<code>{}</code>", ((v,) for v in schema["enum"] if v not in ("", None)))
        return format_html(gettext("one of {values}"), values=values)
    if "allOf" in schema:
        return format_html_join(" ", "{}", ((_schema_type(s, components),) for s in schema["allOf"]))
    if "oneOf" in schema:
        kinds = [_schema_type(s, components) for s in schema["oneOf"]]
        either = kinds[0] if kinds else _code("")
        for other in kinds[1:]:
            either = format_html(gettext("{first} or {second}"), first=either, second=other)
        return either
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return format_html(gettext("list of {type}"), type=_schema_type(schema.get("items", {}), components))
    return format_html("{} ({})", _code(kind), _code(schema["format"])) if "format" in schema else _code(kind)


def _methods(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, op


def _body_schema(op: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    found: dict[str, Any] = components.get(body.get("$ref", "").rsplit("/", 1)[-1], {})
    return found


def docs_messages() -> Iterator[tuple[str, str]]:
    """The English texts the docs page shows, each with where it is (for the .po's translators)."""
    schema = api_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = [(schema.get("info", {}).get("title", ""), "openapi:info")]
    for path, method, op in _methods(schema):
        where = f"openapi:{method.upper()}:{path}"
        found += [(op.get("summary", ""), where), (op.get("description", ""), where)]
        found += [(parameter.get("description", ""), where) for parameter in op.get("parameters", [])]
        found += [
            (prop.get("description", ""), where)
            for prop in _body_schema(op, components).get("properties", {}).values()
            if not prop.get("readOnly")
        ]
    return ((text, where) for text, where in found if text)


def _local(text: str) -> str:
    return gettext(text) if text else ""


@functools.cache
def _operations(language: str | None) -> list[Operation]:
    del language  # the cache's key: the texts below are translated into the active language
    return operations()


def operations() -> list[Operation]:
    schema = api_schema()
    components = schema.get("components", {}).get("schemas", {})
    result = []
    for path, method, op in _methods(schema):
        body_schema = _body_schema(op, components)
        required = set(body_schema.get("required", []))
        success = next((code for code in op.get("responses", {}) if code.startswith("2")), "")
        result.append(
            Operation(
                method=method.upper(),
                path=path,
                summary=_local(op.get("summary", "")),
                description=_local(op.get("description", "")),
                parameters=[
                    {
                        **p,
                        "type": _schema_type(p.get("schema", {}), components),
                        "description": _local(p.get("description", "")),
                    }
                    for p in op.get("parameters", [])
                ],
                body_fields=[
                    (name, _schema_type(prop, components), name in required, _local(prop.get("description", "")))
                    for name, prop in body_schema.get("properties", {}).items()
                    if not prop.get("readOnly")
                ],
                success=success,
            )
        )
    return result


@non_tenant_view
def docs_page(request: HttpRequest) -> HttpResponse:
    info = api_schema().get("info", {})
    context = {"operations": _operations(get_language()), "title": _local(info.get("title", "")), "info": info}
    return render(request, "api/docs.html", context)
