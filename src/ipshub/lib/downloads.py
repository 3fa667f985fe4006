"""A stored file sent as a download: the one way every area answers with an uploaded or generated file."""

from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404


def attachment(
    file: Any, *, filename: str, content_type: str, record: Callable[[], object] | None = None
) -> FileResponse:
    """`file` (a FieldFile) as an attachment, never shown inline and never kept by a cache on the way.

    `record` runs once the file is found open and before anything is sent: an area records the download there
    (its audit event), so a file missing from storage (404) is not recorded as disclosed."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    if record is not None:
        record()
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"  # the declared type, never one a browser guesses
    response["Cache-Control"] = "private, no-store"
    return response
