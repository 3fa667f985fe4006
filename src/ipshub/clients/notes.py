"""Progress notes: what happened with the client, written by the person who was there.

Who does what (from clients/access.py's capabilities on the record):
- the case team — the IPS unit (SERVICES) and the mental health team (CONSENT) — writes notes and addenda;
- the author alone corrects a note, within settings.NOTE_CORRECTION_HOURS of writing it; each correction
  keeps the earlier text as a NoteRevision shown on the note; after the window, an addendum instead;
- whoever reads the whole record (READ) reads every note;
- DVR staff (DVR_VIEW: a consent to their office active today, looked up on every request) read only the
  notes marked shareable with DVR, with their addenda, and never a note's correction history.

Every read of notes (the section, a note's page, the API's list and detail) leaves a `client.view` audit
event (section "notes") naming the notes shown.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from ipshub.audit.services import audit_record
from ipshub.clients import access
from ipshub.clients.access import ClientAccess
from ipshub.clients.checks import Problems, check_date
from ipshub.clients.models import (
    EmployerContact,
    Enrollment,
    NoteAddendum,
    NoteKind,
    NoteRevision,
    ProgressNote,
    SupportContact,
)
from ipshub.tenancy.models import Person
from ipshub.tenancy.wages import long_date

MOST_CHARACTERS = 20_000
WRITE_REFUSED = "Only the client's employment specialist, the IPS supervisor or the mental health team can write notes."


class CorrectionWindowClosed(ValidationError):
    """A correction asked for after the window: the API answers it with 409, the form shows it."""


def window_closed(note: ProgressNote) -> CorrectionWindowClosed | None:
    """The refusal to show when the note's correction window has closed, or None while it is open."""
    if timezone.now() < correctable_until(note):
        return None
    return CorrectionWindowClosed(
        f"Notes can be corrected for {window_text()} after they are written; this one was written "
        f"{timezone.localtime(note.written_at):%b %-d, %Y at %-I:%M %p}. Add an addendum instead."
    )


def correction_window() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.NOTE_CORRECTION_HOURS)


def window_text() -> str:
    hours = settings.NOTE_CORRECTION_HOURS
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def correctable_until(note: ProgressNote) -> datetime.datetime:
    return note.written_at + correction_window()


def can_write(found: ClientAccess) -> bool:
    return found.can(access.SERVICES) or found.can(access.CONSENT)


def require_write(found: ClientAccess) -> None:
    if not can_write(found):
        raise PermissionDenied(WRITE_REFUSED)


def can_correct(found: ClientAccess, person: Person, note: ProgressNote, now: datetime.datetime | None = None) -> bool:
    return can_write(found) and note.author_id == person.pk and (now or timezone.now()) < correctable_until(note)


def can_read_notes(found: ClientAccess) -> bool:
    return found.full or found.can(access.DVR_VIEW)


# --- Reads ----------------------------------------------------------------------------------------


def notes_visible(found: ClientAccess, query: str = "") -> QuerySet[ProgressNote]:
    """The notes of the record the person may read, newest first, with what the list shows (a fixed
    number of queries: the notes with their author and contact, then their addenda)."""
    if not can_read_notes(found):
        raise PermissionDenied("This record's notes are not shared with you.")
    notes = ProgressNote.objects.filter(enrollment_id=found.enrollment.pk)
    if not found.full:
        notes = notes.filter(shareable_with_dvr=True)
    return (
        search(notes, query)
        .select_related("author", "support_contact", "employer_contact", "employer_contact__employer")
        .prefetch_related(Prefetch("addenda", queryset=NoteAddendum.objects.select_related("author")))
    )


def search(notes: QuerySet[ProgressNote], query: str) -> QuerySet[ProgressNote]:
    """Notes whose text or an addendum's contains the words as typed (case-insensitive)."""
    query = query.strip()
    if not query:
        return notes
    in_addenda = NoteAddendum.objects.filter(note_id=OuterRef("pk"), text__icontains=query)
    return notes.filter(Q(text__icontains=query) | Exists(in_addenda))


def get_note_in(found: ClientAccess, note_id: int) -> ProgressNote:
    """One note of the record, if the person may read it; 404 otherwise (a DVR reader asking for a note
    not shared with DVR is told it does not exist, like an outsider)."""
    if not can_read_notes(found):
        raise Http404("No such note.")
    try:
        return notes_visible(found).get(pk=note_id)
    except ProgressNote.DoesNotExist:
        raise Http404("No such note.") from None


def revisions(found: ClientAccess, note: ProgressNote) -> list[NoteRevision]:
    """The note's earlier texts, oldest first: for whole-record readers only (what was shared with DVR is
    the note as it stands)."""
    if not found.full:
        return []
    return list(note.revisions.all())


def case_file_audit(actor: Person, action: str, enrollment: Enrollment, obj: Any = None, **detail: Any) -> None:
    target = obj if obj is not None else enrollment
    audit_record(
        actor=actor,
        action=action,
        obj=target,
        state_id=enrollment.program.state_id,
        summary=f"{target} (enrollment {enrollment.pk}, program {enrollment.program_id})",
        detail={"enrollment": enrollment.pk, **detail},
    )


def notes_read(*, actor: Person, found: ClientAccess, notes: list[ProgressNote], how: str) -> None:
    """Every read of notes is a read of the record (`client.view`, section "notes", as every section page
    records it, so "who saw this client" and "what did this person see" list it) naming the notes shown
    (how: "section", "note", "api_list", "api_detail")."""
    case_file_audit(
        actor,
        "client.view",
        found.enrollment,
        view="full" if found.full else "dvr",
        section="notes",
        how=how,
        notes=[n.pk for n in notes],
    )


# --- Writes ---------------------------------------------------------------------------------------


def note_problems(
    *,
    enrollment: Enrollment,
    happened_on: datetime.date | None,
    kind: str | None,
    text: str | None,
    support_contact: SupportContact | None = None,
    employer_contact: EmployerContact | None = None,
) -> Problems:
    """Every problem with a note's values at once (the form's clean() shows them beside its own)."""
    problems = Problems()
    check_date(
        problems,
        "happened_on",
        happened_on,
        "date",
        future="A note is about what happened: its date can't be in the future.",
    )
    if happened_on is not None and happened_on < enrollment.referral_date - datetime.timedelta(days=366):
        problems.add(
            "happened_on",
            f"The date is more than a year before the referral ({long_date(enrollment.referral_date)}): "
            "check the year.",
        )
    if kind is not None and kind not in NoteKind.values:
        problems.add("kind", "Choose who the note is about: the client, family, treatment team, DVR or an employer.")
    if text is not None:
        if not text.strip():
            problems.add("text", "Write the note: what happened, and what comes next.")
        elif len(text) > MOST_CHARACTERS:
            problems.add(
                "text", f"The note is {len(text):,} characters; notes can be at most {MOST_CHARACTERS:,}. Shorten it."
            )
    if support_contact is not None and support_contact.enrollment_id != enrollment.pk:
        problems.add("support_contact", "Choose one of this client's support contacts.")
    if employer_contact is not None and employer_contact.enrollment_id != enrollment.pk:
        problems.add("employer_contact", "Choose one of this client's employer contacts.")
    if support_contact is not None and employer_contact is not None:
        problems.add("employer_contact", "Link the note to one contact: a support contact or an employer contact.")
    return problems


@transaction.atomic
def note_write(
    *,
    actor: Person,
    found: ClientAccess,
    happened_on: datetime.date,
    kind: str,
    text: str,
    shareable_with_dvr: bool = False,
    support_contact: SupportContact | None = None,
    employer_contact: EmployerContact | None = None,
) -> ProgressNote:
    require_write(found)
    enrollment = found.enrollment
    note_problems(
        enrollment=enrollment,
        happened_on=happened_on,
        kind=kind,
        text=text,
        support_contact=support_contact,
        employer_contact=employer_contact,
    ).raise_if_any()
    note = ProgressNote.objects.create(
        enrollment=enrollment,
        happened_on=happened_on,
        kind=kind,
        text=text.strip(),
        author=actor,
        shareable_with_dvr=shareable_with_dvr,
        support_contact=support_contact,
        employer_contact=employer_contact,
    )
    case_file_audit(actor, "client.note_write", enrollment, note, shareable_with_dvr=shareable_with_dvr)
    return note


@transaction.atomic
def note_correct(
    *,
    actor: Person,
    found: ClientAccess,
    note: ProgressNote,
    happened_on: datetime.date,
    kind: str,
    text: str,
    shareable_with_dvr: bool,
    support_contact: SupportContact | None = None,
    employer_contact: EmployerContact | None = None,
) -> ProgressNote:
    """The author's correction within the window; the text it replaces is kept as a revision."""
    require_write(found)
    note = ProgressNote.objects.select_for_update().get(pk=note.pk, enrollment_id=found.enrollment.pk)
    if note.author_id != actor.pk:
        raise PermissionDenied("Only the note's author can correct it. Add an addendum instead.")
    if (closed := window_closed(note)) is not None:
        raise closed
    note_problems(
        enrollment=found.enrollment,
        happened_on=happened_on,
        kind=kind,
        text=text,
        support_contact=support_contact,
        employer_contact=employer_contact,
    ).raise_if_any()
    NoteRevision.objects.create(
        note=note,
        happened_on=note.happened_on,
        kind=note.kind,
        text=note.text,
        shareable_with_dvr=note.shareable_with_dvr,
    )
    was_shared = note.shareable_with_dvr
    note.happened_on, note.kind, note.text = happened_on, kind, text.strip()
    note.shareable_with_dvr = shareable_with_dvr
    note.support_contact, note.employer_contact = support_contact, employer_contact
    note.corrected_at = timezone.now()
    note.save()
    case_file_audit(
        actor,
        "client.note_correct",
        found.enrollment,
        note,
        shareable_with_dvr=shareable_with_dvr,
        was_shareable_with_dvr=was_shared,
    )
    return note


@transaction.atomic
def note_addendum_add(*, actor: Person, found: ClientAccess, note: ProgressNote, text: str) -> NoteAddendum:
    require_write(found)
    if note.enrollment_id != found.enrollment.pk:
        raise Http404("No such note.")
    problems = Problems()
    if not text.strip():
        problems.add("text", "Write the addendum: what the note should also say.")
    elif len(text) > MOST_CHARACTERS:
        problems.add("text", f"The addendum can be at most {MOST_CHARACTERS:,} characters. Shorten it.")
    problems.raise_if_any()
    addendum = NoteAddendum.objects.create(note=note, author=actor, text=text.strip())
    case_file_audit(actor, "client.note_addendum", found.enrollment, note, addendum=addendum.pk)
    return addendum


def linkable_support_contacts(enrollment: Enrollment) -> QuerySet[SupportContact]:
    return SupportContact.objects.filter(enrollment=enrollment).order_by("-contacted_on", "-pk")


def linkable_employer_contacts(enrollment: Enrollment) -> QuerySet[EmployerContact]:
    return (
        EmployerContact.objects.filter(enrollment=enrollment)
        .select_related("employer")
        .order_by("-contacted_on", "-pk")
    )
