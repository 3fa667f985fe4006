"""Concurrent edits: when two people save the same record, the second gets a clear conflict message with
both versions, and nothing is silently overwritten.

A model that opts in has a `version` integer. Its edit form carries the version it was loaded at; the
service locks the row, compares, and raises EditConflict when someone saved in between. The view
re-renders the form with what the person typed, the saved values beside it, and the new version, so a
second save is a deliberate choice to overwrite.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class FieldDifference:
    label: str
    saved: str
    yours: str


class EditConflict(Exception):
    def __init__(self, *, current_version: int, saved: dict[str, Any]) -> None:
        super().__init__("Someone else saved this record while you were editing it.")
        self.current_version = current_version
        self.saved = saved


def lock_and_check(model: type[models.Model], pk: int, expected_version: int | None, fields: list[str]) -> Any:
    """Inside the service's transaction: lock the row; raise EditConflict if it moved past expected_version."""
    row = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and row.version != expected_version:  # type: ignore[attr-defined]
        raise EditConflict(current_version=row.version, saved={f: getattr(row, f) for f in fields})  # type: ignore[attr-defined]
    return row


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=1, **kwargs)


def differences(form: forms.BaseForm, conflict: EditConflict) -> list[FieldDifference]:
    """The fields where the saved record and what the person typed differ, for the conflict message."""
    result = []
    for name, saved in conflict.saved.items():
        if name not in form.fields or name not in form.cleaned_data:
            continue
        yours = form.cleaned_data[name]
        if _display(saved) != _display(yours):
            result.append(FieldDifference(str(form.fields[name].label or name), _display(saved), _display(yours)))
    return result


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def show_conflict(form: forms.BaseForm, conflict: EditConflict) -> list[FieldDifference]:
    """Move the form onto the saved version (so saving again overwrites on purpose) and explain."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(conflict.current_version)
    form.data = data
    form.add_error(
        None,
        "Someone else saved this record while you were editing it. Their saved values and yours are shown "
        "below. Nothing was saved: to keep your values, save again; to keep theirs, cancel.",
    )
    return differences(form, conflict)
