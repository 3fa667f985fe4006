"""Small helpers shared by the product's forms, and the product's own words for the field errors Django
would otherwise word for it ("Enter a valid date.", "Ensure this value is greater than or equal to 0.").
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


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


def preselect_single_choice(form: forms.BaseForm, name: str) -> None:
    """A required choice with only one option is made already: select it, with no empty "---------" entry
    to pick by mistake. (One query, reading at most two rows.)"""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # form.fields holds plain Fields for the type checker
    if not field.required or field.queryset is None:
        return
    options = list(field.queryset[:2])
    if len(options) == 1:
        field.empty_label = None
        field.initial = options[0].pk


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


def add_problems(form: forms.BaseForm, problems: Mapping[str, str | list[str]]) -> None:
    """Show the rules' problems (a service's checks, run by the form's clean()) beside the fields' own errors,
    so one submit reports everything at once. A field that already has an error keeps only that one: its
    value could not be read, so the rule's word on it would be a guess."""
    for name, message in problems.items():
        if name in form.fields and form.has_error(name):
            continue
        form.add_error(name if name in form.fields else None, message)


# The product's words for Django's default field errors, per field type (a subclass's entry wins over its
# parent's, as Django merges them). Installed once at start-up (web.apps), so every form gets them.
PLAIN_MESSAGES: dict[type[forms.Field], dict[str, Any]] = {
    forms.Field: {"required": _("Fill in this field.")},
    forms.CharField: {
        "max_length": _("Keep it to %(limit_value)d characters or fewer (this has %(show_value)d)."),
        "min_length": _("Write at least %(limit_value)d characters (this has %(show_value)d)."),
    },
    forms.BooleanField: {"required": _("Tick this box to go on.")},
    forms.ChoiceField: {
        "required": _("Choose one of the options."),
        "invalid_choice": _("Choose one of the options in the list."),
    },
    forms.MultipleChoiceField: {
        "required": _("Choose at least one."),
        "invalid_choice": _("Choose from the options in the list."),
        "invalid_list": _("Choose from the options in the list."),
    },
    forms.ModelChoiceField: {
        "required": _("Choose one from the list."),
        "invalid_choice": _("Choose one from the list: the one sent is not among them."),
    },
    forms.ModelMultipleChoiceField: {
        "required": _("Choose at least one."),
        "invalid_choice": _("Choose from the list: one sent is not among them."),
        "invalid_pk_value": _("Choose from the list: one sent is not among them."),
    },
    forms.IntegerField: {
        "required": _("Enter a number."),
        "invalid": _("Enter a whole number, e.g. 12."),
        "min_value": _("Enter %(limit_value)s or more."),
        "max_value": _("Enter %(limit_value)s or less."),
        "step_size": _("Enter a multiple of %(limit_value)s."),
    },
    forms.DecimalField: {
        "invalid": _("Enter a number, e.g. 12.50."),
        "max_digits": _("That number is too long: use at most %(max)s digits."),
        "max_decimal_places": _("Use at most %(max)s digit(s) after the decimal point."),
        "max_whole_digits": _("That number is too large: use at most %(max)s digit(s) before the decimal point."),
    },
    forms.FloatField: {"invalid": _("Enter a number, e.g. 12.5.")},
    forms.DateField: {
        "required": _("Enter a date."),
        "invalid": _("Enter a real date, e.g. 2026-03-14 (year, month, day)."),
    },
    forms.DateTimeField: {
        "required": _("Enter a date and time."),
        "invalid": _("Enter a real date and time, e.g. 2026-03-14 09:30."),
    },
    forms.TimeField: {"required": _("Enter a time."), "invalid": _("Enter a time, e.g. 09:30.")},
    forms.EmailField: {"invalid": _("Enter an email address like name@example.org.")},
    forms.URLField: {"invalid": _("Enter a web address, e.g. https://example.org.")},
    forms.FileField: {
        "required": _("Choose a file."),
        "invalid": _("No file came with the form: choose the file again."),
        "missing": _("No file came with the form: choose the file again."),
        "empty": _("The file is empty: choose another."),
        "max_length": _("The file name is too long: keep it to %(max)d characters (this has %(length)d)."),
    },
}


def install_plain_messages() -> None:
    """Give every form field type the product's words (idempotent). Django builds a field's messages from
    its class's `default_error_messages` when the field is made, so this runs before any form is imported:
    at start-up, in the web shell's AppConfig.ready."""
    for field_class, messages in PLAIN_MESSAGES.items():
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}
