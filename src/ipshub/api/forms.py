from django import forms
from django.utils.translation import gettext_lazy as _

from ipshub.lib.forms import DateInput
from ipshub.tenancy.models import Program


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text=_("What the token is for, e.g. Nightly export from our EHR."), label=_("Name")
    )
    expires_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label=_("Expires on"),
        help_text=_("Optional. The token stops working after this day."),
    )


class ImportForm(forms.Form):
    """Upload a CSV/XLSX file of one program's records (the same files as the API's imports)."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            ("clients", _("Clients (referrals)")),
            ("employer-contacts", _("Employer contacts")),
            ("jobs", _("Jobs")),
        ],
    )
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label=_("Program"), empty_label=None)
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"), help_text=_("The first row names the columns; see the API guide.")
    )
    mode = forms.ChoiceField(
        label=_("What to do"),
        widget=forms.RadioSelect,
        initial="dry_run",
        choices=[
            ("dry_run", _("Check the file only (dry run): nothing is saved")),
            ("good", _("Import the good rows and list the bad ones")),
            ("all", _("Import every row, or nothing if any row is bad")),
        ],
    )

    def __init__(self, *args: object, programs: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class ImportCommitForm(forms.Form):
    """Import the rows of a finished check without uploading the file again."""

    mode = forms.ChoiceField(
        label=_("Import"),
        widget=forms.RadioSelect,
        initial="all",
        choices=[
            ("all", _("Every row, or nothing if any row is bad")),
            ("good", _("Only the good rows (the bad ones are listed again)")),
        ],
    )
