"""Progress notes and documents for tests, made through the services (their rules and audit events apply)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.clients import access, documents, notes
from ipshub.clients.models import ClientDocument, Enrollment, ProgressNote
from ipshub.tenancy.models import Person
from tests.clients.factories import days_ago

# The smallest PDF readers open: enough for the content check (it starts with %PDF-).
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def tiny_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def pdf_upload(name: str = "release.pdf", content: bytes = TINY_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def write_note(
    actor: Person,
    enrollment: Enrollment,
    text: str = "Met at the library to update the résumé.",
    *,
    shareable: bool = False,
    kind: str = "client",
    days: int = 2,
) -> ProgressNote:
    found = access.ClientAccess(enrollment, access.client_access(actor, enrollment))
    return notes.note_write(
        actor=actor, found=found, happened_on=days_ago(days), kind=kind, text=text, shareable_with_dvr=shareable
    )


def add_document(
    actor: Person, enrollment: Enrollment, kind: str = "dvr_plan", name: str = "plan.pdf", title: str = ""
) -> ClientDocument:
    found = access.ClientAccess(enrollment, access.client_access(actor, enrollment))
    return documents.document_upload(actor=actor, found=found, kind=kind, file=pdf_upload(name), title=title)
