from django import forms

from ipshub.lib.forms import DateInput
from ipshub.tenancy.models import Program


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. Nightly export from our EHR.")
    expires_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label="Expires on",
        help_text="Optional. The token stops working after this day.",
    )


class ImportForm(forms.Form):
    """Upload a CSV/XLSX file of one program's records (the same files as the API's imports)."""

    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[("clients", "Clients (referrals)"), ("employer-contacts", "Employer contacts"), ("jobs", "Jobs")],
    )
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label="Program", empty_label=None)
    file = forms.FileField(
        label="File (.csv or .xlsx)", help_text="The first row names the columns; see the API guide."
    )
    mode = forms.ChoiceField(
        label="What to do",
        widget=forms.RadioSelect,
        initial="dry_run",
        choices=[
            ("dry_run", "Check the file only (dry run): nothing is saved"),
            ("good", "Import the good rows and list the bad ones"),
            ("all", "Import every row, or nothing if any row is bad"),
        ],
    )

    def __init__(self, *args: object, programs: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class ImportCommitForm(forms.Form):
    """Import the rows of a finished check without uploading the file again."""

    mode = forms.ChoiceField(
        label="Import",
        widget=forms.RadioSelect,
        initial="all",
        choices=[
            ("all", "Every row, or nothing if any row is bad"),
            ("good", "Only the good rows (the bad ones are listed again)"),
        ],
    )
