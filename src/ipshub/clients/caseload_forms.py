"""Forms of the caseload's transfers: choose the specialist (each shown with their open caseload) and say why.
They only shape input: clients/transfers.py and services.enrollment_assign check and write."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ipshub.clients.caseload import SpecialistLoad
from ipshub.clients.models import Enrollment
from ipshub.clients.services import TRANSFER_REASON_MAX
from ipshub.lib.concurrency import VersionField
from ipshub.tenancy.models import Person

REASON_HINT = _(
    "Shown in each client's history and kept in the audit log, e.g. “Sam is on leave until March” or "
    "“closer to the client's neighborhood”."
)


class SpecialistChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A specialist, labelled with their open caseload ("Fran Lopez (12 open clients)")."""

    def __init__(self, loads: Sequence[SpecialistLoad], **kwargs: Any) -> None:
        self.labels = {load.person.pk: load.label for load in loads}
        super().__init__(
            queryset=Person.objects.filter(pk__in=list(self.labels)).order_by("last_name", "first_name"),
            error_messages={
                "required": _("Choose the specialist the clients move to."),
                "invalid_choice": _("Choose one of the specialists listed."),
            },
            **kwargs,
        )

    def label_from_instance(self, obj: Person) -> str:
        return self.labels.get(obj.pk, str(obj))


def _reason(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=TRANSFER_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HINT,
        error_messages={
            "required": _(
                "Say why the clients are moving to another specialist: the reason is shown in their history."
            ),
            "max_length": _("Keep the reason to %(most)s characters.") % {"most": TRANSFER_REASON_MAX},
        },
    )


class ClientChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Enrollment) -> str:
        now = _("now with %(person)s") % {"person": obj.specialist} if obj.specialist else _("not yet assigned")
        return f"{obj.client.last_name}, {obj.client.first_name} — {now} · {obj.program.name}"


class TransferForm(forms.Form):
    """Several clients to one specialist. `versions` carries each client's version as the page showed it
    ("12:3 15:1"), so a transfer crossing another supervisor's is refused rather than undoing it."""

    clients = ClientChoice(
        queryset=Enrollment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Clients to transfer"),
        error_messages={
            "required": _("Choose at least one client to transfer."),
            "invalid_choice": _("Client record %(value)s is not on a caseload you can transfer."),
            "invalid_pk_value": _("“%(pk)s” is not a client record number."),
        },
    )
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, enrollments: QuerySet[Enrollment], loads: Sequence[SpecialistLoad], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = enrollments  # type: ignore[attr-defined]
        self.fields["specialist"] = SpecialistChoice(loads, label=_("Transfer to"))
        self.fields["reason"] = _reason(required=True)

    def expected_versions(self) -> dict[int, int]:
        result = {}
        for pair in str(self.cleaned_data.get("versions") or "").split():
            pk, _, version = pair.partition(":")
            if pk.isdigit() and version.isdigit():
                result[int(pk)] = int(version)
        return result


def versions_of(enrollments: Sequence[Enrollment]) -> str:
    return " ".join(f"{e.pk}:{e.version}" for e in enrollments)


class AssignForm(forms.Form):
    """One client: the first assignment (no reason needed) or a transfer (a reason required)."""

    version = VersionField()

    def __init__(self, *args: Any, loads: Sequence[SpecialistLoad], transfer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"] = SpecialistChoice(
            loads, label=_("Transfer to") if transfer else _("Employment specialist")
        )
        if transfer:
            self.fields["reason"] = _reason(required=True)
        self.order_fields(["specialist", "reason", "version"])
