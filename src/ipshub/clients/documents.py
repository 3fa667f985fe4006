"""Documents kept with the client: the signed release, a résumé, a benefits analysis, the DVR plan...

- Uploads go through lib/uploads.check_upload (extension AND content, size limit, a random stored name) and
  are stored under MEDIA_ROOT (outside the web root); the name the person gave is kept only for display and
  for the download's (sanitized) file name.
- The case team (the IPS unit and the mental health team) uploads; whoever reads the whole record reads every
  document; DVR staff, under a consent to their office active today, see only the signed release and the DVR
  plan (models.DVR_DOCUMENT_KINDS) — what a DVR counselor needs for the case, nothing clinical.
- A download is served only through the access-checked view, as an attachment, and is an audit event
  (`client.document_download`).
- Removing: the uploader or the program's IPS supervisor, with a reason. The row and the file are KEPT (the
  document disappears from lists and downloads, the removal is audited), so "what did this record hold on
  that day" can still be answered; a mistaken upload of the wrong client's file is removed the same way and
  the operator can purge it from storage.
"""

import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ipshub.clients import access
from ipshub.clients.access import ClientAccess
from ipshub.clients.checks import Problems
from ipshub.clients.models import DVR_DOCUMENT_KINDS, ClientDocument, DocumentKind
from ipshub.clients.notes import case_file_audit
from ipshub.lib.uploads import check_upload
from ipshub.tenancy.models import Person

ALLOWED = ("pdf", "png", "jpg", "jpeg", "docx")
ALLOWED_TEXT = "PDF, PNG, JPEG or Word (.docx)"
UPLOAD_REFUSED = (
    "Only the client's employment specialist, the IPS supervisor or the mental health team can add documents."
)


def can_upload(found: ClientAccess) -> bool:
    return found.can(access.SERVICES) or found.can(access.CONSENT)


def can_remove(found: ClientAccess, person: Person, document: ClientDocument) -> bool:
    return can_upload(found) and (document.uploaded_by_id == person.pk or found.can(access.ASSIGN))


def can_read_documents(found: ClientAccess) -> bool:
    return found.full or found.can(access.DVR_VIEW)


def documents_visible(found: ClientAccess) -> QuerySet[ClientDocument]:
    if not can_read_documents(found):
        raise PermissionDenied("This record's documents are not shared with you.")
    documents = ClientDocument.objects.filter(enrollment_id=found.enrollment.pk, removed_at__isnull=True)
    if not found.full:
        documents = documents.filter(kind__in=DVR_DOCUMENT_KINDS)
    return documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def get_document_in(found: ClientAccess, document_id: int) -> ClientDocument:
    """One document the person may read; 404 for anything else (removed, or not shared with DVR)."""
    if not can_read_documents(found):
        raise Http404("No such document.")
    try:
        return documents_visible(found).get(pk=document_id)
    except ClientDocument.DoesNotExist:
        raise Http404("No such document.") from None


def download_name(document: ClientDocument) -> str:
    """The original name made safe for a Content-Disposition header and any file system: letters, digits,
    dash and underscore only (any other run of characters becomes one underscore); never empty, never
    hidden, with the stored extension (the checked type), not the one the name claimed."""
    ascii_name = unicodedata.normalize("NFKD", document.original_name).encode("ascii", "ignore").decode()
    stem, _, _ = ascii_name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem or ascii_name).strip("_-")[:100]
    ext = (document.file.name or "").rsplit(".", 1)[-1].lower()
    return f"{stem or 'document'}.{ext}"


def document_problems(*, kind: str | None, title: str | None) -> Problems:
    problems = Problems()
    if kind is not None and kind not in DocumentKind.values:
        problems.add(
            "kind", "Choose the kind of document: signed release, résumé, benefits analysis, DVR plan or other."
        )
    if title is not None and len(title) > 200:
        problems.add("title", "The title can be at most 200 characters.")
    return problems


def file_problems(file: "UploadedFile[bytes] | None") -> Problems:
    """The upload check's word on the file (type by name AND content, size), as one of a form's problems."""
    problems = Problems()
    if file is not None:
        try:
            check_upload(file, field="file", allowed=ALLOWED, allowed_text=ALLOWED_TEXT)
        except ValidationError as exc:
            for message in exc.message_dict.get("file", []):
                problems.add("file", message)
    return problems


@transaction.atomic
def document_upload(
    *,
    actor: Person,
    found: ClientAccess,
    kind: str,
    file: "UploadedFile[bytes]",
    title: str = "",
) -> ClientDocument:
    if not can_upload(found):
        raise PermissionDenied(UPLOAD_REFUSED)
    problems = document_problems(kind=kind, title=title)
    try:
        checked = check_upload(file, field="file", allowed=ALLOWED, allowed_text=ALLOWED_TEXT)
    except ValidationError as exc:
        for message in exc.message_dict.get("file", []):
            problems.add("file", message)
        checked = None
    problems.raise_if_any()
    assert checked is not None
    document = ClientDocument(
        enrollment=found.enrollment,
        kind=kind,
        title=title.strip(),
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    # The file is written before the row; if the row fails, the transaction rolls back and the orphan file
    # is harmless (a random name nothing points to).
    document.file.save(checked.stored_name, file, save=False)
    document.save()
    case_file_audit(actor, "client.document_upload", found.enrollment, document, kind=kind, size=checked.size)
    return document


@transaction.atomic
def document_remove(*, actor: Person, found: ClientAccess, document: ClientDocument, reason: str) -> ClientDocument:
    if not can_remove(found, actor, document):
        raise PermissionDenied("Only the person who added the document or the IPS supervisor can remove it.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the document is removed, e.g. 'uploaded to the wrong client'."})
    document = ClientDocument.objects.select_for_update().get(pk=document.pk, enrollment_id=found.enrollment.pk)
    if document.removed_at is not None:
        raise Http404("No such document.")
    document.removed_at, document.removed_by, document.removal_reason = timezone.now(), actor, reason.strip()[:2000]
    document.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    case_file_audit(actor, "client.document_remove", found.enrollment, document, reason=document.removal_reason)
    return document


def document_downloaded(*, actor: Person, found: ClientAccess, document: ClientDocument) -> None:
    """Every download is an audit event (who, which document of which record, how they saw the record)."""
    case_file_audit(
        actor,
        "client.document_download",
        found.enrollment,
        document,
        kind=document.kind,
        view="full" if found.full else "dvr",
    )
