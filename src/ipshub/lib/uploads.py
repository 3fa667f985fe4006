"""Uploaded files: an allow-list of types, checked by extension AND by content (every area's uploads).

A file whose name says .pdf but whose bytes are not a PDF is refused, so a renamed executable or HTML
page never lands in storage. Files are stored under MEDIA_ROOT with a random name and are served only
through views that check access (never from a public media URL).
"""

import uuid
import zipfile
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, gettext_lazy

# extension → (content type, description for messages)
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
}
OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# Translated when shown (a default argument below is made at import).
ALLOWED_TEXT = cast(
    str, gettext_lazy("PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG, plain text or CSV")
)


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    original_name: str
    stored_name: str
    size: int


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _content_matches(ext: str, upload: "UploadedFile[bytes]") -> bool:
    upload.seek(0)
    head: bytes = upload.read(8192)  # the stubs' file proxy reads Any
    upload.seek(0)
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext in OFFICE_PARTS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(OFFICE_PARTS[ext]) for n in names)
    if ext in ("txt", "csv"):
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the 8 KB boundary is still text.
            return exc.start >= len(head) - 3
        return True
    return False


def check_upload(
    upload: "UploadedFile[bytes]",
    *,
    field: str = "file",
    allowed: tuple[str, ...] = tuple(ALLOWED),
    allowed_text: str = ALLOWED_TEXT,
) -> CheckedUpload:
    """Validate an uploaded file; raise ValidationError keyed by `field` saying what is wrong and how
    to fix it. `allowed` narrows the extensions (each must be a key of ALLOWED); `allowed_text` names them
    for the person."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError({field: gettext("'%(name)s' is empty. Choose the file again.") % {"name": name}})
    if upload.size > limit:
        raise ValidationError(
            {
                field: gettext(
                    "'%(name)s' is %(size)s; files can be at most %(limit)s. "
                    "Upload a smaller file, or add a link to where it is kept."
                )
                % {"name": name, "size": _megabytes(upload.size), "limit": _megabytes(limit)}
            }
        )
    if ext not in allowed:
        raise ValidationError(
            {
                field: gettext("'%(name)s' is not a type IPS Hub accepts here. Upload a %(allowed)s file.")
                % {"name": name, "allowed": allowed_text}
            }
        )
    if not _content_matches(ext, upload):
        raise ValidationError(
            {
                field: gettext(
                    "'%(name)s' does not contain what a .%(ext)s file should. "
                    "Upload a real %(allowed)s file (renaming a file does not change its type)."
                )
                % {"name": name, "ext": ext, "allowed": allowed_text}
            }
        )
    return CheckedUpload(
        content_type=ALLOWED[ext],
        original_name=name[:255],
        stored_name=f"{uuid.uuid4().hex}.{ext}",
        size=upload.size,
    )
