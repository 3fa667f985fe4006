"""The client case file through the API: progress notes and documents of one client record.

Same rules as the web pages (clients/case_file_views.py): one access call (clients.access), reads shaped
by clients/notes.py and clients/documents.py (DVR staff: shareable notes, the DVR plan and the signed
release, under an active consent), writes through their services; every read of notes and every download
is an audit event. A search term goes in a POST body, never in the URL (as the client lists' /search/)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import case_file_serializers as s
from ipshub.api.area_views import WITHHELD
from ipshub.api.inputs import refuse_unknown
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.clients import access as client_access
from ipshub.clients import case_file_views, documents, notes
from ipshub.clients import services as client_services
from ipshub.clients.models import ClientDocument, DocumentKind, ProgressNote


class CorrectionWindowClosed(exceptions.APIException):
    status_code = 409
    default_code = "correction_window_closed"
    default_detail = "The note can no longer be corrected: add an addendum instead."


def found_for(person: Any, enrollment_id: int) -> client_access.ClientAccess:
    """The record and what the person may do with it: 404 for outsiders, 403 for the state team."""
    try:
        return client_access.get_client_access(person, enrollment_id)
    except client_access.RecordsWithheld:
        raise PermissionDenied(WITHHELD) from None


def _no_search_in_url(request: Request) -> None:
    if request.query_params.get("q"):
        where = request.path.rstrip("/") + "/search/"
        raise exceptions.ValidationError(
            {"q": [f'Search words don\'t go in URLs: POST {{"q": ...}} to {where} instead.']}
        )


def _one_note(found: client_access.ClientAccess, note_id: int) -> ProgressNote:
    return notes.get_note_in(found, note_id)


def _note_detail(found: client_access.ClientAccess, note: ProgressNote) -> dict[str, Any]:
    return s.ProgressNoteDetailSerializer(note, context={"revisions": notes.revisions(found, note)}).data


class NoteList(ListView):
    """The client's progress notes, newest first (DVR staff: those shared with DVR)."""

    serializer_class = s.ProgressNoteSerializer
    search_words = ""

    def get_queryset(self) -> QuerySet[ProgressNote]:
        self.found = found_for(self.person, self.kwargs["enrollment_id"])
        return notes.notes_visible(self.found, self.search_words)

    @extend_schema(summary="The client's progress notes, newest first (DVR staff: the notes shared with DVR)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _no_search_in_url(request)
        return self.list(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        notes.notes_read(actor=self.person, found=self.found, notes=rows, how="api_list")
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        request=s.NoteWriteSerializer,
        responses={201: s.ProgressNoteDetailSerializer},
        summary="Write a progress note (the client's employment specialist, the IPS supervisor, the mental "
        "health team)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = found_for(self.person, enrollment_id)
        notes.require_write(found)
        form = s.NoteWriteSerializer(data=request.data, context={"enrollment": found.enrollment})
        form.is_valid(raise_exception=True)
        note = notes.note_write(actor=self.person, found=found, **form.validated_data)
        return Response(_note_detail(found, notes.get_note_in(found, note.pk)), status=201)


class NoteSearch(NoteList):
    http_method_names = ["post", "options"]

    @extend_schema(
        request=s.NoteSearchSerializer,
        responses={200: s.ProgressNoteSerializer(many=True)},
        summary="Search the client's notes and their addenda (the words in the body, never in the URL)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found_for(self.person, enrollment_id)  # outsiders: 404 before anything else is read
        form = s.NoteSearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        self.search_words = form.validated_data["q"]
        return self.list(request)


class NoteDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.ProgressNoteDetailSerializer},
        summary="One progress note with its addenda and (for whole-record readers) its earlier versions",
    )
    def get(self, request: Request, enrollment_id: int, note_id: int) -> Response:
        found = found_for(self.person, enrollment_id)
        note = _one_note(found, note_id)
        notes.notes_read(actor=self.person, found=found, notes=[note], how="api_detail")
        return Response(_note_detail(found, note))


class NoteCorrect(ApiMixin, APIView):
    @extend_schema(
        request=s.NoteWriteSerializer,
        responses={200: s.ProgressNoteDetailSerializer},
        summary="Correct a note: its author, within the correction window (then 409: add an addendum)",
    )
    def post(self, request: Request, enrollment_id: int, note_id: int) -> Response:
        found = found_for(self.person, enrollment_id)
        note = _one_note(found, note_id)
        notes.require_write(found)
        form = s.NoteWriteSerializer(data=request.data, context={"enrollment": found.enrollment})
        form.is_valid(raise_exception=True)
        try:
            notes.note_correct(actor=self.person, found=found, note=note, **form.validated_data)
        except notes.CorrectionWindowClosed as exc:
            raise CorrectionWindowClosed(" ".join(exc.messages)) from None
        return Response(_note_detail(found, _one_note(found, note_id)))


class NoteAddenda(ApiMixin, APIView):
    @extend_schema(
        request=s.AddendumWriteSerializer,
        responses={201: s.ProgressNoteDetailSerializer},
        summary="Add an addendum to a note (the case team; any time, and the way to amend after the window)",
    )
    def post(self, request: Request, enrollment_id: int, note_id: int) -> Response:
        found = found_for(self.person, enrollment_id)
        note = _one_note(found, note_id)
        notes.require_write(found)
        form = s.AddendumWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        notes.note_addendum_add(actor=self.person, found=found, note=note, text=form.validated_data["text"])
        return Response(_note_detail(found, _one_note(found, note_id)), status=201)


class DocumentList(ListView):
    """The client's documents, newest first (DVR staff: the DVR plan and the signed release)."""

    serializer_class = s.ClientDocumentSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[ClientDocument]:
        self.found = found_for(self.person, self.kwargs["enrollment_id"])
        return documents.documents_visible(self.found)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        client_services.record_view(
            actor=self.person,
            enrollment=self.found.enrollment,
            view="full" if self.found.full else "dvr",
            section="documents",
        )
        return response

    @extend_schema(
        request=s.DOCUMENT_UPLOAD_BODY,
        responses={201: s.ClientDocumentSerializer},
        summary="Upload a document (multipart: file, kind, title); its content is checked, not only its name",
        operation_id="clients_documents_upload",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = found_for(self.person, enrollment_id)
        if not documents.can_upload(found):
            raise PermissionDenied(documents.UPLOAD_REFUSED)
        refuse_unknown(request.data, ("file", "kind", "title"))
        upload = request.FILES.get("file")
        kind, title = request.POST.get("kind", ""), request.POST.get("title", "")
        missing: dict[str, list[str]] = {}
        if upload is None:
            missing["file"] = ["Send the file as the multipart form field 'file'."]
        if not kind:
            missing["kind"] = [f"Give the kind: one of {', '.join(DocumentKind.values)}."]
        if missing and upload is not None:  # every problem at once: the file's too
            missing.update({field: [message] for field, message in documents.file_problems(upload).items()})
        if missing or upload is None:
            raise exceptions.ValidationError(missing)
        document = documents.document_upload(actor=self.person, found=found, kind=kind, file=upload, title=title)
        return Response(s.ClientDocumentSerializer(documents.get_document_in(found, document.pk)).data, status=201)


class DocumentDownload(ApiMixin, APIView):
    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download a document (an attachment; every download is recorded)",
    )
    def get(self, request: Request, enrollment_id: int, document_id: int) -> Any:
        found = found_for(self.person, enrollment_id)
        document = documents.get_document_in(found, document_id)
        return case_file_views.file_response(self.person, found, document)


class DocumentRemove(ApiMixin, APIView):
    @extend_schema(
        request=s.DocumentRemoveSerializer,
        responses={204: None},
        summary="Remove a document with a reason (its uploader or the IPS supervisor); the file is kept for audit",
    )
    def post(self, request: Request, enrollment_id: int, document_id: int) -> Response:
        found = found_for(self.person, enrollment_id)
        document = documents.get_document_in(found, document_id)
        if not documents.can_remove(found, self.person, document):
            raise PermissionDenied("Only the person who added the document or the IPS supervisor can remove it.")
        form = s.DocumentRemoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        reason = form.validated_data["reason"]
        documents.document_remove(actor=self.person, found=found, document=document, reason=reason)
        return Response(status=204)
