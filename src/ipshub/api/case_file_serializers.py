"""What the API shows of the client case file (progress notes, documents) and what it accepts for their
writes. Readers see what clients/notes.py and clients/documents.py let them see: DVR staff under an active
consent get only notes marked shareable (without their correction history) and only the DVR plan and the
signed release."""

from typing import Any

from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer, _choosable
from ipshub.clients import notes
from ipshub.clients.models import (
    ClientDocument,
    DocumentKind,
    EmployerContact,
    NoteAddendum,
    NoteKind,
    NoteRevision,
    ProgressNote,
    SupportContact,
)


class NoteAddendumSerializer(serializers.ModelSerializer[NoteAddendum]):
    author = PersonRefSerializer(read_only=True)

    class Meta:
        model = NoteAddendum
        fields = ["id", "author", "text", "written_at"]


class NoteRevisionSerializer(serializers.ModelSerializer[NoteRevision]):
    class Meta:
        model = NoteRevision
        fields = ["happened_on", "kind", "text", "shareable_with_dvr", "replaced_at"]


class ProgressNoteSerializer(serializers.ModelSerializer[ProgressNote]):
    author = PersonRefSerializer(read_only=True)
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)
    support_contact = serializers.IntegerField(source="support_contact_id", read_only=True, allow_null=True)
    employer_contact = serializers.IntegerField(source="employer_contact_id", read_only=True, allow_null=True)
    correctable_until = serializers.SerializerMethodField(
        help_text="Until when the author may correct the note (then: addenda)."
    )
    addenda = NoteAddendumSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressNote
        fields = [
            "id",
            "enrollment",
            "happened_on",
            "kind",
            "text",
            "author",
            "support_contact",
            "employer_contact",
            "shareable_with_dvr",
            "written_at",
            "corrected_at",
            "correctable_until",
            "addenda",
        ]

    def get_correctable_until(self, note: ProgressNote) -> str:
        return notes.correctable_until(note).isoformat()


class ProgressNoteDetailSerializer(ProgressNoteSerializer):
    revisions = serializers.SerializerMethodField(
        help_text="How the note read before each correction, oldest first (empty for DVR readers)."
    )

    class Meta(ProgressNoteSerializer.Meta):
        fields = [*ProgressNoteSerializer.Meta.fields, "revisions"]

    def get_revisions(self, note: ProgressNote) -> list[dict[str, Any]]:
        return NoteRevisionSerializer(self.context.get("revisions", []), many=True).data  # type: ignore[return-value]


class NoteWriteSerializer(KnownFieldsOnly):
    """Write (or, for its author within the window, correct) a progress note."""

    happened_on = serializers.DateField(help_text="The day it happened.")
    kind = serializers.ChoiceField(choices=NoteKind.choices)
    text = serializers.CharField(max_length=notes.MOST_CHARACTERS, trim_whitespace=False)
    support_contact = serializers.PrimaryKeyRelatedField(
        queryset=SupportContact.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of the client's support contact the note narrates.",
        error_messages=_choosable("Choose one of this client's support contacts"),
    )
    employer_contact = serializers.PrimaryKeyRelatedField(
        queryset=EmployerContact.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of the client's employer contact the note narrates.",
        error_messages=_choosable("Choose one of this client's employer contacts"),
    )
    shareable_with_dvr = serializers.BooleanField(
        required=False,
        default=False,
        help_text="DVR staff see the note only while the client's consent to share with their office is active.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enrollment = self.context.get("enrollment")
        if enrollment is not None:
            fields: Any = self.fields
            fields["support_contact"].queryset = notes.linkable_support_contacts(enrollment)
            fields["employer_contact"].queryset = notes.linkable_employer_contacts(enrollment)


class AddendumWriteSerializer(KnownFieldsOnly):
    text = serializers.CharField(max_length=notes.MOST_CHARACTERS, trim_whitespace=False)


class NoteSearchSerializer(KnownFieldsOnly):
    q = serializers.CharField(
        max_length=100,
        help_text="Words to find in the notes' text and addenda. Sent in the body, never in a URL: notes "
        "carry health information, and query strings end up in access logs, proxies and history.",
    )


class ClientDocumentSerializer(serializers.ModelSerializer[ClientDocument]):
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)
    uploaded_by = PersonRefSerializer(read_only=True)
    download = serializers.SerializerMethodField(help_text="Where to download the file (an attachment).")

    class Meta:
        model = ClientDocument
        fields = [
            "id",
            "enrollment",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]

    def get_download(self, document: ClientDocument) -> str:
        return f"/api/v1/clients/{document.enrollment_id}/documents/{document.pk}/download/"


class DocumentRemoveSerializer(KnownFieldsOnly):
    reason = serializers.CharField(max_length=2000, help_text="Why the document is removed (kept in the audit).")


DOCUMENT_UPLOAD_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "A PDF, PNG, JPEG or Word (.docx) file."},
            "kind": {"type": "string", "enum": list(DocumentKind.values)},
            "title": {"type": "string", "maxLength": 200},
        },
        "required": ["file", "kind"],
        "additionalProperties": False,
    }
}
