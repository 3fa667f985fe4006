"""Offline field work (issue #25): the pack a specialist's or supervisor's device keeps, and the sync that turns
the entries logged without a connection into records.

The pack is read through the clients and collaboration access layers and recorded as a disclosure of the
client records it names. Each synced entry goes through the same service function as the web form (no second
write path) inside `audit.context.added_detail`, so the record's audit event carries `logged_at` (the device's
time) and `offline_entry` (its uuid) besides its own `at`. An entry is settled once (OfflineEntry: saved or
discarded); sending it again answers `already_saved` and writes nothing.

Before writing, an entry about a client record is checked against what happened to the record since it was
logged: closed, moved to another specialist, closed and re-opened (record_changed), or no longer the person's to
record for. Each answers a conflict and nothing is written, until the person re-sends the entry with
`record_anyway` (the service then decides, with the access layer, whether the person may still record it) or
`discard`."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.request import Request

from ipshub.accounts.middleware import SIGNED_IN_AT
from ipshub.api import area_serializers, case_file_serializers, collaboration_serializers, record_serializers
from ipshub.api.errors import field_messages
from ipshub.api.models import OfflineEntry
from ipshub.audit.context import added_detail
from ipshub.audit.services import audit_record
from ipshub.clients import access as client_access
from ipshub.clients import notes
from ipshub.clients import selectors as client_selectors
from ipshub.clients import services as client_services
from ipshub.clients.models import EnrollmentEvent, Status
from ipshub.collaboration import access as collab_access
from ipshub.collaboration import services as collab_services
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person
from ipshub.tenancy.wages import long_date
from ipshub.web.field_pack import offline_pack

RECORD_ANYWAY, DISCARD = "record_anyway", "discard"
CHOICES = [RECORD_ANYWAY, DISCARD]
NOT_YOURS = gettext_lazy("There is no client record with this id on a caseload you can record for.")


# --- The pack -------------------------------------------------------------------------------------------------


def _version_number(token: str | None, enrollment_id: int) -> int | None:
    prefix = f"enrollment-{enrollment_id}-v"
    token = (token or "").strip().strip('"')
    return int(token[len(prefix) :]) if token.startswith(prefix) and token[len(prefix) :].isdigit() else None


def pack(request: Request) -> dict[str, Any]:
    """The pack (web/field_pack.py, which the /field/ page inlines too), until the session's absolute limit."""
    session = getattr(request._request, "session", None)
    signed_in_at = session.get(SIGNED_IN_AT) if session is not None and request.auth is None else None
    return offline_pack(request.user, signed_in_at)  # type: ignore[arg-type]


# --- The sync -------------------------------------------------------------------------------------------------


class Problems(Exception):
    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("The entry has problems.")
        self.problems = problems


@dataclass(frozen=True)
class Conflict:
    code: str
    message: str
    blocks: bool = False  # the person may not record it at all now: record_anyway answers problems


@dataclass
class Result:
    id: uuid.UUID
    status: str
    record: dict[str, Any] | None = None
    problems: dict[str, list[str]] | None = None
    conflict: dict[str, Any] | None = None

    def data(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "status": self.status,
            "record": self.record,
            "problems": self.problems,
            "conflict": self.conflict,
        }


def _checked(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    if not serializer.is_valid():
        raise Problems(field_messages(serializer.errors))
    return dict(serializer.validated_data)


def _id_of(fields: dict[str, Any], name: str) -> int:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise Problems({name: [_("Give the %(field)s's id as a whole number.") % {"field": name}]})
    return int(value)


def _record_conflict(
    person: Person, enrollment_id: int, logged_at: datetime.datetime, base_version: str | None
) -> Conflict | None:
    """What happened to the client record since the entry was logged that the person must decide about.

    `logged_at` is the device's clock, capped at now (a clock running ahead must not hide what happened)."""
    # Checked without loading the client's row: an answer that names no client discloses none (audit/disclosure.py).
    enrollment = (
        client_access.service_enrollments(person, open_only=False)
        .filter(pk=enrollment_id)
        .only("id", "client_id", "status", "closed_on", "version")
        .first()
    )
    since = min(logged_at, timezone.now())
    events = client_selectors.events_after(enrollment_id, since)
    if enrollment is None:
        # Only the person who had the record when they logged the entry learns what became of it; to anyone else
        # it stays unknown, as an id that does not exist.
        moved = [e for e in events if e.kind == EnrollmentEvent.Kind.ASSIGN and e.from_value == str(person.pk)]
        if moved:
            return Conflict(
                "client_transferred",
                _(
                    "This client was moved to another employment specialist on %(date)s, after you logged this "
                    "entry, so you can no longer record for them. Ask their specialist or the IPS supervisor to "
                    "record it, or discard it."
                )
                % {"date": long_date(moved[-1].on)},
                blocks=True,
            )
        if client_selectors.specialist_at(enrollment_id, since) == person.pk:
            return Conflict(
                "no_longer_permitted",
                _(
                    "You can no longer record services for this client (your role changed after you logged this "
                    "entry). Ask their specialist or the IPS supervisor to record it, or discard it."
                ),
                blocks=True,
            )
        raise Problems({"enrollment": [str(NOT_YOURS)]})
    if enrollment.status == Status.CLOSED:
        after = any(e.kind == EnrollmentEvent.Kind.STATUS and e.to_value == Status.CLOSED for e in events)
        return Conflict(
            "client_closed",
            (
                _(
                    "This client's enrollment was closed on %(date)s, after you logged this entry. Record it anyway "
                    "if it happened while they were enrolled, or discard it."
                )
                if after
                else _(
                    "This client's enrollment was closed on %(date)s. Record it anyway if it happened while they "
                    "were enrolled, or discard it."
                )
            )
            % {"date": long_date(enrollment.closed_on or timezone.localdate())},
        )
    moved = [e for e in events if e.kind == EnrollmentEvent.Kind.ASSIGN and e.from_value]
    if moved:
        return Conflict(
            "client_transferred",
            _(
                "This client was moved to another employment specialist on %(date)s, after you logged this entry. "
                "Record it anyway to keep it on their record, or discard it."
            )
            % {"date": long_date(moved[-1].on)},
        )
    reopened = [e for e in events if e.kind == EnrollmentEvent.Kind.STATUS and e.from_value == Status.CLOSED]
    base = _version_number(base_version, enrollment_id)
    if reopened and base is not None and base != enrollment.version:
        return Conflict(
            "record_changed",
            _(
                "This client's enrollment was closed and re-opened on %(date)s, after you logged this entry. Record "
                "it anyway if it belongs to the current enrollment, or discard it."
            )
            % {"date": long_date(reopened[-1].on)},
        )
    return None


# Each kind's write: the API operation's own access calls and serializer, then the same service as that operation
# and the web form. It returns (record type, record, the record's page).
Write = Callable[[Request, dict[str, Any]], tuple[str, Any, str]]


def _employer_contact(request: Request, fields: dict[str, Any]) -> tuple[str, Any, str]:
    form = area_serializers.EmployerContactWriteSerializer(data=fields, context={"request": request})
    contact = client_services.employer_contact_log(actor=request.user, **_checked(form))  # type: ignore[arg-type]
    if contact.enrollment_id:
        url = reverse("clients:detail", kwargs={"enrollment_id": contact.enrollment_id})
    else:
        url = reverse("clients:employer_detail", kwargs={"employer_id": contact.employer_id})
    return "employer_contact", contact, url


def _support_contact(request: Request, fields: dict[str, Any]) -> tuple[str, Any, str]:
    rest = {k: v for k, v in fields.items() if k != "enrollment"}
    found = client_access.get_client_access(request.user, _id_of(fields, "enrollment"))  # type: ignore[arg-type]
    found.require(client_access.SERVICES)
    data = _checked(record_serializers.SupportWriteSerializer(data=rest))
    contact = client_services.support_contact_log(actor=request.user, enrollment=found.enrollment, **data)  # type: ignore[arg-type]
    return "support_contact", contact, reverse("clients:detail", kwargs={"enrollment_id": found.enrollment.pk})


def _progress_note(request: Request, fields: dict[str, Any]) -> tuple[str, Any, str]:
    rest = {k: v for k, v in fields.items() if k != "enrollment"}
    found = client_access.get_client_access(request.user, _id_of(fields, "enrollment"))  # type: ignore[arg-type]
    notes.require_write(found)
    form = case_file_serializers.NoteWriteSerializer(data=rest, context={"enrollment": found.enrollment})
    note = notes.note_write(actor=request.user, found=found, **_checked(form))  # type: ignore[arg-type]
    url = reverse("clients:note_detail", kwargs={"enrollment_id": found.enrollment.pk, "note_id": note.pk})
    return "progress_note", note, url


def _field_mentoring(request: Request, fields: dict[str, Any]) -> tuple[str, Any, str]:
    person: Person = request.user  # type: ignore[assignment]
    rest = {k: v for k, v in fields.items() if k != "program"}
    try:
        program = tenancy_access.get_program_for(person, _id_of(fields, "program"))
    except Http404:
        raise Problems({"program": [_("There is no program with this id that you can log for.")]}) from None
    collab_access.require_mentoring_writer(person, program)
    data = _checked(collaboration_serializers.MentoringWriteSerializer(data=rest))
    specialist = collab_access.program_specialists(program).filter(pk=data.pop("specialist")).first()
    if specialist is None:
        raise Problems({"specialist": [_("Choose an employment specialist of the program.")]})
    session = collab_services.mentoring_log(actor=person, program=program, specialist=specialist, **data)
    return "mentoring_session", session, reverse("collaboration:mentoring", kwargs={"program_id": program.pk})


WRITES: dict[str, Write] = {
    OfflineEntry.Kind.EMPLOYER_CONTACT: _employer_contact,
    OfflineEntry.Kind.SUPPORT_CONTACT: _support_contact,
    OfflineEntry.Kind.PROGRESS_NOTE: _progress_note,
    OfflineEntry.Kind.FIELD_MENTORING: _field_mentoring,
}


def _conflict(person: Person, entry: dict[str, Any]) -> Conflict | None:
    """Conflicts are about client records. A program the person may not log for (mentoring, a contact about no
    client) is the service's refusal, answered as problems: whether they once could is not known."""
    fields, kind = entry["fields"], entry["kind"]
    if kind == OfflineEntry.Kind.FIELD_MENTORING:
        return None
    if kind == OfflineEntry.Kind.EMPLOYER_CONTACT and fields.get("enrollment") in (None, ""):
        return None
    return _record_conflict(person, _id_of(fields, "enrollment"), entry["logged_at"], entry["base_version"])


def _settled(person: Person, entry: dict[str, Any]) -> Result | None:
    """The answer for an entry the sync has settled before (sent again), or None."""
    known = OfflineEntry.objects.filter(uuid=entry["id"]).first()
    if known is None:
        return None
    if known.person_id != person.pk:  # another person's uuid: say nothing of their entry
        return Result(
            entry["id"], "problems", problems={"id": [_("This entry id is already used. Log the entry again.")]}
        )
    if known.outcome == OfflineEntry.Outcome.DISCARDED:
        return Result(entry["id"], "discarded")
    record = {"type": known.record_type, "id": known.record_id, "url": known.record_url}
    return Result(entry["id"], "already_saved", record=record)


def _utc(moment: datetime.datetime) -> str:
    """The device's time as the audit detail keeps it: ISO 8601 in UTC (the event's own `at` is stored so too)."""
    return moment.astimezone(datetime.UTC).isoformat()


def _discard(person: Person, entry: dict[str, Any]) -> Result:
    with transaction.atomic():
        OfflineEntry.objects.create(
            uuid=entry["id"],
            person=person,
            kind=entry["kind"],
            logged_at=entry["logged_at"],
            outcome=OfflineEntry.Outcome.DISCARDED,
        )
        audit_record(
            actor=person,
            action="offline_entry.discard",
            summary=f"Offline {entry['kind'].replace('_', ' ')} discarded by the person who logged it",
            detail={
                "offline_entry": str(entry["id"]),
                "kind": entry["kind"],
                "logged_at": _utc(entry["logged_at"]),
            },
        )
    return Result(entry["id"], "discarded")


def sync_entry(request: Request, entry: dict[str, Any]) -> Result:
    person: Person = request.user  # type: ignore[assignment]
    if (settled := _settled(person, entry)) is not None:
        return settled
    try:
        if entry["resolution"] == DISCARD:
            return _discard(person, entry)
        conflict = _conflict(person, entry)
        if conflict is not None and entry["resolution"] != RECORD_ANYWAY:
            return Result(
                entry["id"],
                "conflict",
                conflict={"code": conflict.code, "message": conflict.message, "choices": CHOICES},
            )
        if conflict is not None and conflict.blocks:
            raise Problems({"non_field_errors": [conflict.message]})
        with (
            transaction.atomic(),
            added_detail(logged_at=_utc(entry["logged_at"]), offline_entry=str(entry["id"])),
        ):
            record_type, record, url = WRITES[entry["kind"]](request, entry["fields"])
            OfflineEntry.objects.create(
                uuid=entry["id"],
                person=person,
                kind=entry["kind"],
                logged_at=entry["logged_at"],
                outcome=OfflineEntry.Outcome.SAVED,
                record_type=record_type,
                record_id=record.pk,
                record_url=url,
            )
    except Problems as found:
        return Result(entry["id"], "problems", problems=found.problems)
    except ValidationError as error:
        return Result(entry["id"], "problems", problems=_service_problems(error))
    except PermissionDenied as refused:
        return Result(entry["id"], "problems", problems={"non_field_errors": [str(refused)]})
    except Http404:
        return Result(entry["id"], "problems", problems={"non_field_errors": [str(NOT_YOURS)]})
    except IntegrityError:
        # The same entry, sent twice at once: the other request saved it first (and this one wrote nothing).
        if (settled := _settled(person, entry)) is not None:
            return settled
        raise
    return Result(entry["id"], "saved", record={"type": record_type, "id": record.pk, "url": url})


def _service_problems(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in error.message_dict.items()}
    return {"non_field_errors": error.messages}
