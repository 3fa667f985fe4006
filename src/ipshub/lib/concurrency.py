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
from django.utils.translation import gettext


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
    check_version(row, expected_version, fields)
    return row


def check_version(row: Any, expected_version: int | None, fields: list[str] | tuple[str, ...]) -> None:
    """Raise EditConflict when the (locked) row is not at the version the form was loaded at.

    A row that does not exist yet counts as version 0, so a form loaded before a one-of-a-kind record
    (a plan, a case) was first written carries 0, and someone else's first save is not overwritten
    either. expected_version None (a caller that loaded nothing, such as a script) skips the check."""
    if expected_version is None:
        return
    current = 0 if row is None else row.version
    if current != expected_version:
        saved = {f: (getattr(row, f) if row is not None else None) for f in fields}
        raise EditConflict(current_version=current, saved=saved)


def lock_into(instance: Any, expected_version: int | None, fields: list[str] | tuple[str, ...] = ()) -> Any:
    """Lock the instance's row, check the version, and bring the instance up to the saved values (so the
    service validates and writes on what is really saved, not on what the view loaded earlier)."""
    row = lock_and_check(type(instance), instance.pk, expected_version, list(fields))
    for field in type(instance)._meta.concrete_fields:
        setattr(instance, field.attname, getattr(row, field.attname))
    return instance


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, *, min_value: int = 1, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=min_value, **kwargs)


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
        gettext(
            "Someone else saved this record while you were editing it. Their saved values and yours are shown "
            "below. Nothing was saved: to keep your values, save again; to keep theirs, cancel."
        ),
    )
    return differences(form, conflict)
