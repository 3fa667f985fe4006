"""Forms of the consent the client signs (clients/signing.py validates and writes)."""

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipshub.clients import signing
from ipshub.clients.models import Consent, Enrollment
from ipshub.lib.concurrency import VersionField
from ipshub.lib.forms import DateInput, add_problems, limit_choices, preselect_single_choice
from ipshub.tenancy.models import Organization


def _today() -> datetime.date:
    return timezone.localdate()


def _a_year_on() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


class ReleaseTermsForm(forms.Form):
    """What the staff person chooses before handing the device to the client."""

    language = forms.ChoiceField(
        choices=lambda: [(code, signing.language_name(code)) for code in signing.RELEASE_LANGUAGES],
        required=False,  # left out: the client's preferred language (as initially chosen)
        label=_("Language of the release"),
        help_text=_("The client reads and signs the release, and gets its copy, in this language."),
    )
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Share with"))
    scope = forms.ChoiceField(choices=Consent.Scope.choices, label=_("What may be shared"))
    # Left empty: the usual purpose, written in the release's language (a text typed here stays as typed).
    purpose = forms.CharField(
        max_length=300,
        required=False,
        label=_("Why it is shared"),
        help_text=_(
            "In words the client understands; the release reads 'Why it is shared: …'. Left empty, it gives the "
            "usual purpose, in the release's language: to plan and coordinate the client's employment services, "
            "including vocational rehabilitation."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starts_on = forms.DateField(widget=DateInput(), initial=_today, label=_("Starts on"))
    expires_on = forms.DateField(
        widget=DateInput(),
        required=False,
        initial=_a_year_on,
        label=_("Ends on"),
        help_text=_("A date, an event below, or both (whichever comes first)."),
    )
    expires_event = forms.CharField(
        max_length=200,
        required=False,
        label=_("Or ends when"),
        help_text=_("An event, e.g. 'when my DVR case is closed'."),
    )

    def __init__(self, *args: Any, enrollment: Enrollment, organizations: QuerySet[Organization], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        # The client's preferred language when there is a release in it; the staff person may choose another.
        language = self.client_language = signing.release_language_for(enrollment.client.preferred_language)
        self.fields["language"].initial = language
        limit_choices(self, "organization", organizations)
        preselect_single_choice(self, "organization")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_problems(
            self,
            signing.terms_problems(
                enrollment=self.enrollment,
                organization=data.get("organization"),
                scope=data.get("scope"),
                purpose=self._purpose(data),
                starts_on=data.get("starts_on"),
                expires_on=data.get("expires_on"),
                expires_event=data.get("expires_event", ""),
                language=data.get("language") or None,
            ),
        )
        return data

    def _purpose(self, data: dict[str, Any]) -> str:
        language = data.get("language") or self.client_language
        return (data.get("purpose") or "").strip() or signing.DEFAULT_PURPOSES[language]

    def terms(self) -> signing.ReleaseTerms:
        data = self.cleaned_data
        language = data.get("language") or self.client_language
        return signing.ReleaseTerms(
            organization=data["organization"],
            scope=data["scope"],
            purpose=self._purpose(data),
            starts_on=data["starts_on"],
            expires_on=data.get("expires_on"),
            expires_event=data.get("expires_event", ""),
            language=language,
        )


class SignForm(forms.Form):
    """The client's signature: drawn on the pad (its PNG in `signature`) or the typed name and a tick."""

    method = forms.ChoiceField(
        choices=[(Consent.SignedBy.DRAWN, _("Draw my signature")), (Consent.SignedBy.TYPED, _("Type my name"))],
        widget=forms.RadioSelect,
        initial=Consent.SignedBy.TYPED,
        label=_("How do you want to sign?"),
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput, max_length=signing.SIGNATURE_MAX_BYTES * 2)
    typed_name = forms.CharField(required=False, max_length=200, label=_("Type your full name"))
    confirmed = forms.BooleanField(required=False, label=_("I agree that typing my name is my signature."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "method" not in data:
            return data
        try:
            data["signed"] = signing.signature_from(
                method=data["method"],
                typed_name=data.get("typed_name", ""),
                confirmed=bool(data.get("confirmed")),
                drawing=data.get("signature", ""),
            )
        except ValidationError as exc:
            # The drawing travels in a hidden field: its problems show beside the choice of how to sign.
            problems: Mapping[str, list[str]] = {
                ("method" if name == "signature" else name): messages for name, messages in exc.message_dict.items()
            }
            add_problems(self, problems)
        return data


class ReleaseTemplateForm(forms.Form):
    body = forms.CharField(
        label=_("The release, in plain language"),
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=signing.TEMPLATE_MAX_CHARS,
    )
    change_note = forms.CharField(max_length=200, required=False, label=_("What changed (for the version history)"))
    # The version the edit started from (0: the built-in default): two leads editing at once don't overwrite
    # each other's new version unseen (lib/concurrency.py).
    version = VersionField(min_value=0)

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.language = language

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "body" in data:
            problems = signing.template_problems(data["body"], self.language)
            if problems:
                self.add_error("body", problems)
        return data


class RevokeForm(forms.Form):
    how = forms.ChoiceField(
        choices=Consent.RevokedHow.choices,
        widget=forms.RadioSelect,
        label=_("How did the client revoke it?"),
    )
