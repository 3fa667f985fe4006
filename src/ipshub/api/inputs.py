"""Request bodies take only the fields an operation documents: a field it does not take is refused with a
400 naming it, and nothing is written. Silently ignoring one would let a misspelt field (`"regoin"`) look
saved, or a field the API does not change (a record's state) look changed.

Every input serializer of the API derives from `KnownFieldsOnly` (its schema then says
`additionalProperties: false`, see api/schema.py); a multipart upload checks its form fields with
`refuse_unknown`.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import serializers

NOT_TAKEN = "This operation does not take this field."


def unknown_fields(data: Any, allowed: Iterable[str]) -> dict[str, list[str]]:
    if not isinstance(data, Mapping):
        return {}
    known = set(allowed)
    return {str(name): [NOT_TAKEN] for name in data if name not in known}


def refuse_unknown(data: Any, allowed: Iterable[str]) -> None:
    """400 naming each field of `data` that is not in `allowed`."""
    unknown = unknown_fields(data, allowed)
    if unknown:
        raise serializers.ValidationError(unknown)


class KnownFieldsOnly(serializers.Serializer[Any]):
    """A serializer of a request body: a field it does not declare (or declares read-only) is an error,
    reported with the body's other errors (nested serializers deriving from this report theirs as
    `items.0.name`)."""

    def to_internal_value(self, data: Any) -> Any:
        writable = [name for name, field in self.fields.items() if not field.read_only]
        unknown = unknown_fields(data, writable)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def validated(form_class: type[serializers.Serializer[Any]], request: Any, *, partial: bool = False) -> dict[str, Any]:
    """The request body checked by `form_class`: its clean values, or a 400 naming every field that is wrong.
    The serializer gets the request in its context (to offer only the ids the person may choose); `partial`
    for a PATCH (the fields left out keep their values)."""
    form = form_class(data=request.data, partial=partial, context={"request": request})
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)
