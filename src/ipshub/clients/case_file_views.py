"""The case file's pages: the Notes and Documents sections of the client record, a note's page, and the
forms that write notes, addenda, corrections and documents. Each view: one access call, one service call,
render or redirect. DVR staff reach the two sections (only what is shared with them, under an active
consent) from their view of the record; their navigation holds the shared view and these two sections.

Every page that shows notes records the read (notes.notes_read); every download records itself
(documents.document_downloaded) before the file goes out."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from ipshub.clients import access, documents, notes, sections, services
from ipshub.clients.access import ClientAccess, client_view
from ipshub.clients.case_file_forms import AddendumForm, DocumentForm, NoteForm, RemoveDocumentForm
from ipshub.clients.models import ClientDocument, ProgressNote
from ipshub.lib.downloads import attachment
from ipshub.lib.forms import apply_service_errors
from ipshub.lib.pagination import paginate
from ipshub.lib.searches import remembered_search, search_redirect
from ipshub.lib.signed_in import person_of

NOTES_PER_PAGE = 20


def _dvr_navigation(enrollment_id: int, current: str) -> list[sections.NavLink]:
    """DVR staff see the shared view and the two sections that hold what is shared with them."""
    keys = (sections.OVERVIEW, "notes", "documents")
    return [
        sections.NavLink(
            _("Shared record") if key == sections.OVERVIEW else str(sections.BY_KEY[key].label),
            sections.section_url(enrollment_id, key),
            key == current,
        )
        for key in keys
    ]


def _record(found: ClientAccess, key: str) -> dict[str, Any]:
    enrollment_id = found.enrollment.pk
    return {
        "e": found.enrollment,
        "c": found.enrollment.client,
        "access": found,
        "section": sections.BY_KEY[key],
        "sections": sections.navigation(enrollment_id, key) if found.full else _dvr_navigation(enrollment_id, key),
    }


def _reader(request: HttpRequest, enrollment_id: int) -> ClientAccess:
    found = access.get_client_access(person_of(request), enrollment_id)
    if not notes.can_read_notes(found):
        raise Http404("No such client.")
    return found


def _form_page(
    request: HttpRequest,
    found: ClientAccess,
    form: django_forms.Form,
    *,
    title: str,
    cancel_url: str,
    status: int = 200,
    intro: str = "",
    multipart: bool = False,
    note: ProgressNote | None = None,
) -> HttpResponse:
    return render(
        request,
        "clients/case_file_form.html",
        {
            "form": form,
            "title": title,
            "enrollment": found.enrollment,
            "cancel_url": cancel_url,
            "intro": intro,
            "multipart": multipart,
            "note": note,
        },
        status=status,
    )


def _notes_url(enrollment_id: int) -> str:
    return sections.section_url(enrollment_id, "notes")


def _note_url(note: ProgressNote) -> str:
    return reverse("clients:note_detail", kwargs={"enrollment_id": note.enrollment_id, "note_id": note.pk})


# --- Notes ----------------------------------------------------------------------------------------


@client_view
def notes_section(request: HttpRequest, enrollment_id: int, key: str = "notes") -> HttpResponse:
    person = person_of(request)
    found = _reader(request, enrollment_id)
    if request.method == "POST":  # the search box: the term stays out of the URL (lib/searches.py)
        return search_redirect(request, "clients:record_notes", url_kwargs={"enrollment_id": enrollment_id})
    query = remembered_search(request)
    page, prefix = paginate(request, notes.notes_visible(found, query), per_page=NOTES_PER_PAGE)
    notes.notes_read(actor=person, found=found, notes=list(page), how="section")
    now = timezone.now()
    return render(
        request,
        "clients/record_notes.html",
        {
            **_record(found, "notes"),
            "page_obj": page,
            "query_prefix": prefix,
            "q": query,
            "can_write": notes.can_write(found),
            "correctable": {n.pk for n in page if notes.can_correct(found, person, n, now)},
            "window": notes.window_text(),
        },
    )


@client_view
def note_add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    notes.require_write(found)
    form = NoteForm(request.POST or None, enrollment=found.enrollment)
    if request.method == "POST":
        if form.is_valid():
            try:
                note = notes.note_write(actor=person, found=found, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The note was saved. You can correct it for %(window)s.") % {"window": notes.window_text()},
                )
                return redirect(_note_url(note))
        return _form_page(
            request, found, form, title=_("Write a progress note"), cancel_url=_notes_url(enrollment_id), status=400
        )
    return _form_page(request, found, form, title=_("Write a progress note"), cancel_url=_notes_url(enrollment_id))


def _note_page(
    request: HttpRequest, found: ClientAccess, note: ProgressNote, addendum_form: AddendumForm, status: int = 200
) -> HttpResponse:
    person = person_of(request)
    notes.notes_read(actor=person, found=found, notes=[note], how="note")
    return render(
        request,
        "clients/note_detail.html",
        {
            **_record(found, "notes"),
            "note": note,
            "revisions": notes.revisions(found, note),
            "can_write": notes.can_write(found),
            "can_correct": notes.can_correct(found, person, note),
            "correctable_until": notes.correctable_until(note),
            "window": notes.window_text(),
            "addendum_form": addendum_form,
        },
        status=status,
    )


@client_view
def note_detail(request: HttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    found = _reader(request, enrollment_id)
    note = notes.get_note_in(found, note_id)
    return _note_page(request, found, note, AddendumForm())


@client_view
def note_addendum(request: HttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    person = person_of(request)
    found = _reader(request, enrollment_id)
    note = notes.get_note_in(found, note_id)
    notes.require_write(found)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notes.note_addendum_add(actor=person, found=found, note=note, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The addendum was added to the note."))
            return redirect(_note_url(note))
    return _note_page(request, found, note, form, status=400 if request.method == "POST" else 200)


@client_view
def note_correct(request: HttpRequest, enrollment_id: int, note_id: int) -> HttpResponse:
    person = person_of(request)
    found = _reader(request, enrollment_id)
    note = notes.get_note_in(found, note_id)
    notes.require_write(found)
    title = _("Correct the note")
    initial = {
        "happened_on": note.happened_on,
        "kind": note.kind,
        "text": note.text,
        "support_contact": note.support_contact_id,
        "employer_contact": note.employer_contact_id,
        "shareable_with_dvr": note.shareable_with_dvr,
    }
    form = NoteForm(request.POST or None, enrollment=found.enrollment, initial=initial)
    until = timezone.localtime(notes.correctable_until(note))
    intro = _(
        "You can correct your note for %(window)s after writing it (until %(day)s at %(time)s). "
        "The earlier text stays on the note as its history."
    ) % {
        "window": notes.window_text(),
        "day": dateformat.format(until, "M j"),
        "time": dateformat.format(until, "g:i A"),
    }
    if request.method != "POST":
        if not notes.can_correct(found, person, note):
            return _correction_refused(request, note)
        return _form_page(request, found, form, title=title, cancel_url=_note_url(note), intro=intro, note=note)
    status = 400
    if form.is_valid():
        try:
            notes.note_correct(actor=person, found=found, note=note, **form.cleaned_data)
        except notes.CorrectionWindowClosed as exc:
            apply_service_errors(form, exc)
            status = 409
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The note was corrected; the earlier text is kept in its history."))
            return redirect(_note_url(note))
    elif (closed := notes.window_closed(note)) is not None:
        apply_service_errors(form, closed)  # every error at once: the form's and the closed window
        status = 409
    return _form_page(
        request, found, form, title=title, cancel_url=_note_url(note), intro=intro, status=status, note=note
    )


def _correction_refused(request: HttpRequest, note: ProgressNote) -> HttpResponse:
    if note.author_id != person_of(request).pk:
        messages.error(request, _("Only the note's author can correct it. Add an addendum instead."))
    else:
        messages.error(
            request,
            _("Notes can be corrected for %(window)s after they are written. Add an addendum instead.")
            % {"window": notes.window_text()},
        )
    return redirect(_note_url(note) + "#addendum")


# --- Documents ------------------------------------------------------------------------------------


@client_view
def documents_section(request: HttpRequest, enrollment_id: int, key: str = "documents") -> HttpResponse:
    person = person_of(request)
    found = _reader(request, enrollment_id)
    page, prefix = paginate(request, documents.documents_visible(found))
    services.record_view(actor=person, enrollment=found.enrollment, view="full" if found.full else "dvr", section=key)
    return render(
        request,
        "clients/record_documents.html",
        {
            **_record(found, "documents"),
            "page_obj": page,
            "query_prefix": prefix,
            "can_upload": documents.can_upload(found),
            "removable": {d.pk for d in page if documents.can_remove(found, person, d)},
        },
    )


@client_view
def document_add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    person = person_of(request)
    found = access.get_client_access(person, enrollment_id)
    if not documents.can_upload(found):
        raise PermissionDenied(documents.UPLOAD_REFUSED)
    form = DocumentForm(request.POST or None, request.FILES or None)
    cancel = sections.section_url(enrollment_id, "documents")
    title = _("Add a document")
    if request.method == "POST":
        if form.is_valid():
            try:
                documents.document_upload(actor=person, found=found, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The document was added."))
                return redirect(cancel)
        if form.errors:
            # A browser never keeps a chosen file after a refused submit: say so beside the file's field.
            bound = form["file"]
            bound.help_text = _("Choose the file again. %(hint)s") % {"hint": bound.help_text}
        return _form_page(request, found, form, title=title, cancel_url=cancel, status=400, multipart=True)
    return _form_page(request, found, form, title=title, cancel_url=cancel, multipart=True)


@client_view
def document_download(request: HttpRequest, enrollment_id: int, document_id: int) -> HttpResponseBase:
    person = person_of(request)
    found = _reader(request, enrollment_id)
    document = documents.get_document_in(found, document_id)
    return file_response(person, found, document)


def file_response(person: Any, found: ClientAccess, document: ClientDocument) -> HttpResponseBase:
    """The document as an attachment (never shown inline), with its download recorded first."""
    return attachment(
        document.file,
        filename=documents.download_name(document),
        content_type=document.content_type,
        record=lambda: documents.document_downloaded(actor=person, found=found, document=document),
    )


@client_view
def document_remove(request: HttpRequest, enrollment_id: int, document_id: int) -> HttpResponse:
    person = person_of(request)
    found = _reader(request, enrollment_id)
    document = documents.get_document_in(found, document_id)
    if not documents.can_remove(found, person, document):
        raise PermissionDenied(_("Only the person who added the document or the IPS supervisor can remove it."))
    form = RemoveDocumentForm(request.POST or None)
    cancel = sections.section_url(enrollment_id, "documents")
    title = _("Remove “%(document)s”") % {"document": document.title or document.original_name}
    intro = _("The document leaves the record's list; the file and your reason are kept for the audit trail.")
    if request.method == "POST":
        if form.is_valid():
            try:
                documents.document_remove(actor=person, found=found, document=document, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The document was removed."))
                return redirect(cancel)
        return _form_page(request, found, form, title=title, cancel_url=cancel, intro=intro, status=400)
    return _form_page(request, found, form, title=title, cancel_url=cancel, intro=intro)
