"""Forms render in the U.S. Web Design System: labelled fields, hints, and errors tied to their inputs."""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_TEXT_WIDGETS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
)


def _uswds_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
        return ""  # the browser's own controls: USWDS's custom ones need markup Django doesn't render
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "usa-select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "usa-file-input"
    if isinstance(widget, _TEXT_WIDGETS):
        return "usa-input"
    return ""


class UswdsBoundField(BoundField):
    @property
    def template_name(self) -> str:
        # A single checkbox is the control and its label side by side, both one large target (a box of
        # 24 px at least, the label clickable): the default layout puts a bare, tiny box under its label.
        if not getattr(self.field, "template_name", None) and isinstance(self.field.widget, forms.CheckboxInput):
            return "forms/checkbox_field.html"
        return super().template_name

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        css = _uswds_class(widget or self.field.widget)
        if css:
            error_css = f" {css}--error" if self.errors and css != "usa-file-input" else ""
            attrs["class"] = f"{attrs.get('class', '')} {css}{error_css}".strip()
        if self.errors:
            described = str(attrs.get("aria-describedby", "")).split()
            error_id = f"{self.auto_id}_error"
            if error_id not in described:
                attrs["aria-describedby"] = " ".join([*described, error_id])
        return attrs


class UswdsFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = UswdsBoundField
