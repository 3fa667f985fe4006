"""Every form speaks the product's words: no field of any form keeps one of Django's default messages
("This field is required.", "Enter a valid date.", "Ensure this value is greater than or equal to 0.")."""

import importlib
import pkgutil

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

import ipshub
from ipshub.lib.forms import PLAIN_MESSAGES

# (code, message) of Django's own: "Enter a number." is the product's word for a missing number, but Django's
# for one that can't be read.
DJANGO_DEFAULTS = {
    ("required", "This field is required."),
    ("invalid", "Enter a valid date."),
    ("invalid", "Enter a valid date/time."),
    ("invalid", "Enter a valid time."),
    ("invalid", "Enter a whole number."),
    ("invalid", "Enter a number."),
    ("invalid", "Enter a valid email address."),
    ("invalid", "Enter a valid URL."),
    ("invalid_choice", "Select a valid choice. %(value)s is not one of the available choices."),
    ("invalid_choice", "Select a valid choice. That choice is not one of the available choices."),
    ("min_value", "Ensure this value is greater than or equal to %(limit_value)s."),
    ("max_value", "Ensure this value is less than or equal to %(limit_value)s."),
}


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(ipshub.__path__, "ipshub."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("ipshub."):
            found.append(cls)
    return found


def test_every_field_of_every_form_has_the_products_words() -> None:
    classes = _form_classes()
    assert len(classes) > 40
    problems = []
    for cls in classes:
        for name, field in cls.base_fields.items():
            for code, message in field.error_messages.items():
                if (code, str(message)) in DJANGO_DEFAULTS:
                    problems.append(f"{cls.__module__}.{cls.__name__}.{name}: {code} = {message!r}")
            bounds = [v for v in field.validators if isinstance(v, MinValueValidator | MaxValueValidator)]
            for validator in bounds:
                assert validator.code in field.error_messages, f"{cls.__name__}.{name}: {validator.code}"
    assert not problems, "\n".join(problems)


def test_the_messages_read_well_with_their_values() -> None:
    field = forms.DecimalField(min_value=0, max_digits=5, decimal_places=2)
    for value, expected in (
        ("-1", "Enter 0 or more."),
        ("abc", "Enter a number, e.g. 12.50."),
        ("1.234", "Use at most 2"),
    ):
        try:
            field.clean(value)
        except forms.ValidationError as exc:
            assert exc.messages[0].startswith(expected), exc.messages
        else:
            raise AssertionError(value)
    assert forms.DateField().error_messages["invalid"].startswith("Enter a real date")
    assert set(PLAIN_MESSAGES) >= {forms.DateField, forms.ChoiceField, forms.ModelChoiceField, forms.IntegerField}
