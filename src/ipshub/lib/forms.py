"""Small helpers shared by the product's forms."""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet


class DateInput(forms.DateInput):
    """The browser's date picker, with ISO dates in and out."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Limit a model choice field to what the acting person may pick."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # form.fields holds plain Fields for the type checker
    field.queryset = queryset


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Give a choice field the choices known only when the form is made."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # form.fields holds plain Fields for the type checker
    field.choices = choices


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service function's ValidationError on the form: on its field when the form has one,
    otherwise at the top, so no message is ever lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def saved(form: forms.BaseForm, save: Callable[[], object]) -> bool:
    """Run a service function for a valid form. True when it saved; False when it refused, with its
    ValidationError shown on the form (so the view re-renders what was typed with the reason)."""
    try:
        save()
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return True
