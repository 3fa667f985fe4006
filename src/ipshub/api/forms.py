from django import forms

from ipshub.lib.forms import DateInput


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. Nightly export from our EHR.")
    expires_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label="Expires on",
        help_text="Optional. The token stops working after this day.",
    )
