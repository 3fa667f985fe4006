from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("Code"),
        help_text=_("The 6-digit code from your authenticator app, or one of your 8-digit backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        label=_("Enrolment code"),
        help_text=_("The 12-character code from your administrator or from our e-mail, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class LanguageForm(forms.Form):
    # Each language is named in itself (settings.LANGUAGES), so a person who can't read the current one finds theirs.
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Your browser's language")), *settings.LANGUAGES],
        help_text=_("The language of IPS Hub's pages, messages and dates for you. It applies from the next page."),
    )
