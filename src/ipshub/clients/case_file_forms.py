"""Forms of the case file (progress notes and documents). They shape input; notes.py and documents.py
validate and write. Each clean() runs the service's checks too, so one submit shows every problem at once."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ipshub.clients import documents, notes
from ipshub.clients.forms import CheckedForm
from ipshub.clients.models import DocumentKind, EmployerContact, Enrollment, NoteKind, SupportContact
from ipshub.lib.forms import DateInput, limit_choices

_TEXT = forms.Textarea(attrs={"rows": 6})


class SupportContactChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, SupportContact)
        return f"{obj.contacted_on:%b %-d, %Y} · {obj.get_kind_display()} · {obj.get_setting_display()}"


class EmployerContactChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, EmployerContact)
        return f"{obj.contacted_on:%b %-d, %Y} · {obj.employer.name} · {obj.get_purpose_display()}"


class NoteForm(CheckedForm):
    happened_on = forms.DateField(
        widget=DateInput(),
        label=_("Date"),
        help_text=_("The day it happened (the note is dated by when it is written too)."),
    )
    kind = forms.ChoiceField(choices=NoteKind.choices, widget=forms.RadioSelect, label=_("Contact with"))
    text = forms.CharField(
        widget=_TEXT,
        label=_("Note"),
        help_text=_("What happened, and what comes next."),
        error_messages={"required": _("Write the note: what happened, and what comes next.")},
    )
    support_contact = SupportContactChoice(
        queryset=SupportContact.objects.none(),
        required=False,
        label=_("Support contact it narrates (optional)"),
    )
    employer_contact = EmployerContactChoice(
        queryset=EmployerContact.objects.none(),
        required=False,
        label=_("Employer contact it narrates (optional)"),
    )
    shareable_with_dvr = forms.BooleanField(
        required=False,
        label=_("Shareable with DVR under consent"),
        help_text=_("DVR staff see this note only while the client's consent to share with their office is active."),
    )

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("happened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        limit_choices(self, "support_contact", notes.linkable_support_contacts(enrollment))
        limit_choices(self, "employer_contact", notes.linkable_employer_contacts(enrollment))

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return notes.note_problems(
            enrollment=self.enrollment,
            happened_on=data.get("happened_on"),
            kind=data.get("kind"),
            text=data.get("text"),
            support_contact=data.get("support_contact"),
            employer_contact=data.get("employer_contact"),
        )


class AddendumForm(forms.Form):
    text = forms.CharField(
        widget=_TEXT,
        label=_("Addendum"),
        help_text=_("What the note should also say, dated today."),
        error_messages={"required": _("Write the addendum: what the note should also say.")},
    )


class DocumentForm(CheckedForm):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("Kind of document"))
    title = forms.CharField(
        max_length=200,
        required=False,
        label=_("Title (optional)"),
        help_text=_("For example: 'Résumé, November 2026'."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=format_lazy(
            _("{kinds}; the file's content is checked, not only its name."), kinds=_("PDF, PNG, JPEG or Word (.docx)")
        ),  # documents.ALLOWED_TEXT, translated
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )

    def problems(self, data: dict[str, Any]) -> Mapping[str, str]:
        return {
            **documents.document_problems(kind=data.get("kind"), title=data.get("title")),
            **documents.file_problems(data.get("file")),
        }


class RemoveDocumentForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Why remove it"),
        error_messages={"required": _("Say why the document is removed, e.g. 'uploaded to the wrong client'.")},
        help_text=_("For example: 'uploaded to the wrong client' or 'replaced by the signed copy'."),
    )
