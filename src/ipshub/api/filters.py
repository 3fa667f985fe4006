"""Filtering and ordering for list endpoints, declared on each view and documented in the schema.

    filter_params = (
        Choice("phase", Phase.choices, lambda qs, v: qs.filter(phase=v)),
        Integer("state", lambda qs, v: qs.filter(state_id=v)),
        Text("q", "Part of the name or region", lambda qs, v: qs.filter(name__icontains=v)),
    )
    ordering_fields = ("name", "phase_since")   # ?ordering=name or ?ordering=-phase_since

A bad value is a 400 naming the parameter, never an ignored filter.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

Apply = Callable[[QuerySet[Any], Any], QuerySet[Any]]
MAX_TEXT = 200
MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    apply: Apply

    def parse(self, raw: str) -> Any:
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": MAX_TEXT}

    def invalid(self, message: str) -> exceptions.ValidationError:
        return exceptions.ValidationError({self.name: [message]})


@dataclass(frozen=True)
class Text(Param):
    def parse(self, raw: str) -> str:
        value = raw.strip()
        if "\x00" in value or len(value) > MAX_TEXT:
            raise self.invalid(f"Use at most {MAX_TEXT} characters, without control characters.")
        return value


@dataclass(frozen=True)
class Integer(Param):
    def parse(self, raw: str) -> int:
        if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_INT:
            raise self.invalid(f"'{raw[:40]}' is not an id: use a whole number such as 12.")
        return int(raw)

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 0, "maximum": MAX_INT}


@dataclass(frozen=True)
class Choice(Param):
    choices: Sequence[tuple[str, Any]] = ()  # (value, label): only the values are read; a label may be lazy

    def parse(self, raw: str) -> str:
        values = [value for value, _ in self.choices]
        if raw not in values:
            raise self.invalid(f"'{raw[:40]}' is not one of: {', '.join(values)}.")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": [value for value, _ in self.choices]}


@dataclass(frozen=True)
class Boolean(Param):
    def parse(self, raw: str) -> bool:
        if raw not in ("true", "false"):
            raise self.invalid("Use true or false.")
        return raw == "true"

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class DeclaredFilters(BaseFilterBackend):
    """Applies the view's `filter_params`."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        for param in getattr(view, "filter_params", ()):
            raw = request.query_params.get(param.name)
            # An empty search text searches nothing; an empty id, choice, date or yes/no is a 400 like any
            # other bad value (left out, the list is not filtered by it).
            if raw is None or (raw == "" and isinstance(param, Text)):
                continue
            queryset = param.apply(queryset, param.parse(raw))
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": param.name,
                "in": "query",
                "required": False,
                "description": param.description,
                "schema": param.schema(),
            }
            for param in getattr(view, "filter_params", ())
        ]


class Ordering(BaseFilterBackend):
    """`?ordering=name` or `?ordering=-name`, one of the view's `ordering_fields`; ties break by id."""

    param = "ordering"

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        allowed = tuple(getattr(view, "ordering_fields", ()))
        raw = request.query_params.get(self.param)
        if raw is None:
            return queryset
        if raw.removeprefix("-") not in allowed:
            choices = ", ".join(allowed)
            raise exceptions.ValidationError(
                {self.param: [f"'{raw[:40]}' is not a sort order: use one of {choices}, with - to reverse."]}
            )
        return queryset.order_by(raw, "-pk" if raw.startswith("-") else "pk")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        allowed = tuple(getattr(view, "ordering_fields", ()))
        if not allowed:
            return []
        return [
            {
                "name": self.param,
                "in": "query",
                "required": False,
                "description": "Sort by this field; prefix it with - for descending order.",
                "schema": {"type": "string", "enum": [v for f in allowed for v in (f, f"-{f}")]},
            }
        ]


@dataclass(frozen=True)
class Date(Param):
    def parse(self, raw: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise self.invalid(f"'{raw[:40]}' is not a date: use YYYY-MM-DD, e.g. 2026-03-31.") from None

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}
