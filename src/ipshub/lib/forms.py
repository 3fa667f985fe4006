"""Small helpers shared by the product's forms."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker, with ISO dates in and out."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service function's ValidationError on the form: on its field when the form has one,
    otherwise at the top, so no message is ever lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
