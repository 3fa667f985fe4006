"""Review preparation through the API (issue #26), as on the web's preparation page (fidelity/preparation_views.py):
the timeline and the checklist, answering a request (multipart, the same upload checks), a checklist file's
download, marking a step, and the chart-review worksheet. Same access calls and services as the web views: the
answers and files only for the program's leaders and the review team inside its window (404 for a file
otherwise); every download and every worksheet answer is an audit event."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import fidelity_serializers as s
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.fidelity import access, preparation
from ipshub.fidelity.models import DocumentRequest, PrepTask, Review
from ipshub.lib.downloads import attachment
from ipshub.tenancy.models import Person

FILE = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


def _preparation(person: Person, review: Review) -> dict[str, Any]:
    timeline = preparation.timeline_of(review).tasks
    context = {"answers": access.can_read_prep_answers(person, review)}
    return {
        "timeline": s.PrepTaskSerializer(timeline, many=True).data,
        "checklist": s.DocumentRequestSerializer(preparation.checklist_of(review), many=True, context=context).data,
    }


class ReviewPreparation(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.PreparationSerializer},
        summary="A review's preparation timeline and documents checklist (the answers only for the program's "
        "leaders and for the reviewers inside their access window)",
    )
    def get(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        return Response(_preparation(self.person, review))


def _request_data(person: Person, request_id: int) -> dict[str, Any]:
    found = DocumentRequest.objects.prefetch_related("uploads").select_related("review__program").get(pk=request_id)
    context = {"answers": access.can_read_prep_answers(person, found.review)}
    return dict(s.DocumentRequestSerializer(found, context=context).data)


class DocumentAnswer(ApiMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=s.DOCUMENT_ANSWER_BODY,
        responses={200: s.DocumentRequestSerializer},
        summary="Answer a requested document with a file and/or a note (multipart; the program's director or IPS "
        "supervisor, while the review is open)",
    )
    def post(self, request: Request, document_request_id: int) -> Response:
        document = access.get_document_request_for(self.person, document_request_id)
        access.require_checklist_answerer(self.person, document.review)
        refuse_unknown(request.data, s.DOCUMENT_ANSWER_FIELDS)
        note = request.POST.get("note", "")
        file = request.FILES.get("file")
        preparation.document_request_answer(
            actor=self.person,
            request=document,
            note=note if isinstance(note, str) else "",
            files=[file] if file is not None else [],
        )
        return Response(_request_data(self.person, document.pk))


class DocumentFile(ApiMixin, APIView):
    @extend_schema(
        responses=FILE,
        summary="Download a file answering a requested document (the program's leaders; the reviewers inside "
        "their access window only); recorded in the audit log",
    )
    def get(self, request: Request, document_upload_id: int) -> Any:
        upload = access.get_document_upload_for(self.person, document_upload_id)
        return attachment(
            upload.file,
            filename=upload.original_name,
            content_type=upload.content_type,
            record=lambda: preparation.document_downloaded(actor=self.person, upload=upload),
        )


class DocumentUploadDetail(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        summary="Take back a file uploaded in error (the program's director or IPS supervisor, while the review is "
        "open); a request left with neither file nor note is no longer answered",
    )
    def delete(self, request: Request, document_upload_id: int) -> Response:
        upload = access.get_document_upload_for(self.person, document_upload_id)
        access.require_checklist_answerer(self.person, upload.request.review)
        refuse_unknown(request.data, ())  # the step takes no body
        preparation.document_upload_remove(actor=self.person, upload=upload)
        return Response(status=204)


class PrepTaskDone(ApiMixin, APIView):
    @extend_schema(
        request=s.PrepTaskDoneSerializer,
        responses={200: s.PrepTaskSerializer},
        summary="Mark a preparation step done, or not done (the state IPS team, the review team, the program's "
        "leaders, while the review is open)",
    )
    def post(self, request: Request, task_id: int) -> Response:
        task = access.get_prep_task_for(self.person, task_id)
        access.require_prep_task_marker(self.person, task.review)
        data = validated(s.PrepTaskDoneSerializer, request)
        preparation.prep_task_mark(actor=self.person, task=task, done=data["done"], note=data["note"])
        return Response(s.PrepTaskSerializer(PrepTask.objects.select_related("done_by").get(pk=task.pk)).data)


class ChartWorksheet(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.ChartWorksheetSerializer},
        summary="The chart-review worksheet: key dates of a reproducible sample of the program's clients (the "
        "reviewers inside their access window, and the program's leaders); recorded in the audit log",
    )
    def get(self, request: Request, review_id: int) -> Response:
        review = access.get_worksheet_review_for(self.person, review_id)
        rows = preparation.chart_worksheet(actor=self.person, review=review, how="api")
        return Response(
            s.ChartWorksheetSerializer(
                {
                    "reference_day": preparation.sample_reference_day(review),
                    "sample_size": review.chart_sample_size,
                    "rows": rows,
                }
            ).data
        )


class ChartSampleSize(ApiMixin, APIView):
    @extend_schema(
        request=s.ChartSampleSizeSerializer,
        responses={200: s.ChartSampleSizeSerializer},
        summary="Choose how many clients the chart-review worksheet samples (the review team's reviewers, while "
        "the review is open; default 10)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        # The body is read before the team rule: a malformed one is a 400 for whoever may see the review.
        data = validated(s.ChartSampleSizeSerializer, request)
        access.require_chart_sample_chooser(self.person, review)
        preparation.chart_sample_size_set(actor=self.person, review=review, size=data["sample_size"])
        return Response({"sample_size": review.chart_sample_size})
