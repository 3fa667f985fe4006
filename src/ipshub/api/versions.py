"""Versions and safe updates: every single-object GET answers an `ETag`; every update (PATCH, PUT) must
send it back as `If-Match` (RFC 9110 §13.1.1), so that of two systems updating the same record the second
is told (412) instead of silently writing over the first.

- No If-Match (or `*`, which names no version): 428, before anything is read from the body.
- A record with a version number (lib.concurrency.VersionedModel, the release template) has the ETag
  `"<kind>-<id>-v<version>"`. The update hands the version to the service as `expected_version`, and the
  service's lock-and-compare (lib.concurrency.check_version) is the one check for the web forms (409)
  and the API: its EditConflict becomes a 412 here. The version counts changes of the record's own
  fields, which are what an update can overwrite; lists a GET shows with it (a client's jobs) have
  their own ETags.
- A record without one has an ETag hashed from the JSON its GET answers; the update compares it with
  the representation read under a row lock (`locked_current`), inside the update's transaction.

A 412 says the current version and ETag, so the caller can read the record again and redo its change.
"""

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from ipshub.lib.concurrency import EditConflict, VersionedModel

RecordT = TypeVar("RecordT", bound=Model)
# An If-Match that names no version of this record (another record's ETag, a hashed one, a weak one):
# never a record's version, so the service's check answers it as stale.
NOT_A_VERSION = -1
MISSING = (
    "Send the version you read: 'If-Match' with the ETag of this record's GET. An update without it could "
    "silently overwrite someone else's change."
)
STAR = "'If-Match: *' names no version: send the ETag of this record's GET."
STALE = "Someone changed this record since you read it. Read it again (GET), then redo your change."
_ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')
# If-Match as RFC 9110 writes it: one entity tag, or several separated by commas.
IF_MATCH_PATTERN = r'^(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*$'
MALFORMED = 'If-Match must be the ETag as the GET answered it, quotes included (e.g. "program-12-v3").'


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = MISSING


class PreconditionFailed(exceptions.APIException):
    """412: errors.exception_handler puts `etag` and `current_version` in the body and the ETag header."""

    status_code = 412
    default_code = "precondition_failed"
    default_detail = STALE

    def __init__(self, *, etag: str, current_version: int | None) -> None:
        super().__init__(STALE)
        self.etag = etag
        self.current_version = current_version


def version_etag(kind: str, pk: int, version: int) -> str:
    return f'"{kind}-{pk}-v{version}"'


def etag_of(record: Any) -> str:
    """The ETag of a record with a `version` (lib.concurrency.VersionedModel)."""
    return version_etag(record._meta.model_name, record.pk, record.version)


def content_etag(data: Any) -> str:
    """The ETag of a representation without a version number: a hash of its JSON."""
    text = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def with_etag(response: Response, etag: str) -> Response:
    response["ETag"] = etag
    return response


def _sent_tags(request: Request) -> list[str]:
    """The strong entity tags of If-Match (a weak one never matches: RFC 9110 §13.1.1); 428 without any."""
    sent = request.headers.get("If-Match", "").strip()
    if not sent:
        raise PreconditionRequired(MISSING)
    if sent == "*":
        raise PreconditionRequired(STAR)
    if not re.fullmatch(IF_MATCH_PATTERN, sent):
        raise exceptions.ValidationError({"If-Match": [MALFORMED]})
    return [value for weak, value in _ENTITY_TAG.findall(sent) if not weak]


def require_if_match(request: Request) -> None:
    """428 now for an update without If-Match, before its body is looked at."""
    _sent_tags(request)


def expected_version(request: Request, kind: str, pk: int) -> int:
    """The version of record `kind` `pk` that If-Match names, for the service's `expected_version`."""
    named = re.compile(rf"{re.escape(kind)}-{pk}-v(\d+)")
    for tag in _sent_tags(request):
        found = named.fullmatch(tag)
        if found:
            return int(found.group(1))
    return NOT_A_VERSION


def expected_version_of(request: Request, record: Any) -> int:
    return expected_version(request, record._meta.model_name, record.pk)


@contextmanager
def stale_as_412(kind: str, pk: int) -> Iterator[None]:
    """The service's EditConflict (someone saved a newer version) as a 412 naming the current one."""
    try:
        yield
    except EditConflict as conflict:
        current = conflict.current_version
        raise PreconditionFailed(etag=version_etag(kind, pk, current), current_version=current) from None


def stale_record_as_412(record: Any) -> Any:
    return stale_as_412(record._meta.model_name, record.pk)


def require_current(request: Request, current_etag: str) -> None:
    """For a record without a version number: 412 unless If-Match names the representation as it is now."""
    if current_etag.strip('"') not in _sent_tags(request):
        raise PreconditionFailed(etag=current_etag, current_version=None)


def locked_current(request: Request, rows: QuerySet[RecordT], represent: Callable[[RecordT], Any]) -> RecordT:
    """Inside the update's transaction: lock the one record of `rows`, and 412 unless If-Match names the
    representation (`represent(record)`, what its GET answers) as it is now, so that no one's save lands
    between the comparison and the update."""
    record = rows.select_for_update(of=("self",)).get()
    require_current(request, content_etag(represent(record)))
    return record


class OneObject:
    """A view whose GET answers one record: the response carries an ETag, and so does a successful update
    of it. A versioned record's is `etag_of(record)` (set here for DRF's generic views; an APIView sets it
    with `with_etag`); any other answer gets the hash of its JSON."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]
        response = Response(self.get_serializer(record).data)  # type: ignore[attr-defined]
        return with_etag(response, etag_of(record)) if isinstance(record, VersionedModel) else response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            request.method in ("GET", "HEAD", "PATCH", "PUT")
            and response.status_code in (200, 201)
            and isinstance(response, Response)
            and response.data is not None
            and not response.has_header("ETag")
        ):
            response["ETag"] = content_etag(response.data)
        return response
