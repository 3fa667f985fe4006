"""What the API shows of consents and the release template, and what it accepts to sign, revoke and edit
(the clients area's `signing.py` and `services.py` validate and write, with the web pages' messages)."""

from django.urls import reverse
from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import _choosable
from ipshub.clients import signing
from ipshub.clients.models import Consent, ReleaseTemplate
from ipshub.tenancy.models import Organization
from ipshub.tenancy.roles import OrgKind


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    template_version = serializers.SerializerMethodField(
        help_text="The release template version the client signed; null for a consent signed on paper."
    )
    signature_method = serializers.CharField(
        source="signed_by", read_only=True, help_text="paper, drawn or typed (in IPS Hub)."
    )
    document_url = serializers.SerializerMethodField(
        help_text="Download the signed release's PDF (or a paper consent's scan); null when there is none."
    )
    language = serializers.CharField(
        read_only=True, help_text="The language the release was read and signed in (en or es; en for paper)."
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "organization",
            "organization_name",
            "scope",
            "purpose",
            "starts_on",
            "expires_on",
            "expires_event",
            "template_version",
            "signature_method",
            "signed_name",
            "signed_at",
            "release_text",
            "language",
            "document_url",
            "revoked_on",
            "revoked_how",
            "created_at",
        ]
        read_only_fields = fields

    def get_template_version(self, consent: Consent) -> int | None:
        return consent.template.version if consent.template is not None else None

    def get_document_url(self, consent: Consent) -> str | None:
        if not consent.document:
            return None
        enrollment_id = self.context["enrollment_id"]
        return reverse(
            "api:enrollment-consent-document", kwargs={"enrollment_id": enrollment_id, "consent_id": consent.pk}
        )


class PaperConsentSerializer(KnownFieldsOnly):
    """A consent the client signed on paper (multipart, as the web's form): who it shares with, what, from
    when, and optionally until when and the scan of the paper form."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind__in=(OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER)),
        help_text="Id of the DVR office or employment service provider the client agreed to share with.",
        error_messages=_choosable("Choose a DVR office or employment service provider"),
    )
    scope = serializers.ChoiceField(choices=Consent.Scope.choices, help_text="What may be shared.")
    starts_on = serializers.DateField(help_text="The day the client signed.")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    scan = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="Optional: a PDF, PNG or JPEG of the signed form."
    )


class ConsentSignSerializer(KnownFieldsOnly):
    """The terms the staff person chose and the client's signature: typed (typed_name and confirmed) or
    drawn (signature: a PNG data URL, `data:image/png;base64,...`)."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind__in=(OrgKind.DVR_OFFICE, OrgKind.EMPLOYMENT_PROVIDER)),
        help_text="Id of the DVR office or employment service provider the client agrees to share with.",
        error_messages=_choosable("Choose a DVR office or employment service provider"),
    )
    scope = serializers.ChoiceField(choices=Consent.Scope.choices)
    language = serializers.ChoiceField(
        choices=signing.RELEASE_LANGUAGES,
        required=False,
        allow_null=True,
        default=None,
        help_text="The release's language (en or es); by default the client's preferred language when there is a "
        "release in it, else en. The client reads and signs it, and gets its PDF, in this language.",
    )
    purpose = serializers.CharField(
        max_length=300,
        default=signing.DEFAULT_PURPOSE,
        help_text="Why it is shared, in the client's words; the default purpose is written in the release's language.",
    )
    starts_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_event = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    signature_method = serializers.ChoiceField(
        choices=[(Consent.SignedBy.DRAWN, "drawn"), (Consent.SignedBy.TYPED, "typed")]
    )
    typed_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    confirmed = serializers.BooleanField(
        required=False, default=False, help_text="The client confirmed that typing their name is their signature."
    )
    signature = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=signing.SIGNATURE_MAX_BYTES * 2,
        help_text="The drawn signature as a PNG data URL.",
    )


class ConsentRevokeSerializer(KnownFieldsOnly):
    how = serializers.ChoiceField(
        choices=Consent.RevokedHow.choices, help_text="How the client revoked: writing, verbal or electronic."
    )


class ReleaseTemplateSerializer(serializers.ModelSerializer[ReleaseTemplate]):
    state = serializers.IntegerField(source="state_id", read_only=True)
    is_default = serializers.SerializerMethodField(
        help_text="True while the state uses IPS Hub's default (stored as version 1 when first signed)."
    )
    placeholders = serializers.SerializerMethodField()

    class Meta:
        model = ReleaseTemplate
        fields = ["state", "language", "version", "body", "change_note", "created_at", "is_default", "placeholders"]
        read_only_fields = fields

    def get_is_default(self, template: ReleaseTemplate) -> bool:
        return template.pk is None

    def get_placeholders(self, template: ReleaseTemplate) -> dict[str, str]:
        return {p.name: str(p.element) for p in signing.PLACEHOLDERS}


class ReleaseTemplateSaveSerializer(KnownFieldsOnly):
    body = serializers.CharField(max_length=signing.TEMPLATE_MAX_CHARS, trim_whitespace=False)
    change_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
