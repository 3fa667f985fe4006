"""The learning-community exchange (the web's outcomes/exchange_views.py): check an aggregate file from another
install, read the check, import it, and the pooled roll-up. The same access checks and services as the web."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import area_views
from ipshub.api import exchange_serializers as s
from ipshub.api.outcome_views import _dashboard_state
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.lib import tables
from ipshub.outcomes import access, aggregates
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.models import AggregateUpload


def _file_data(aggregate_upload_id: int) -> Any:
    upload = AggregateUpload.objects.select_related("state", "uploaded_by").get(pk=aggregate_upload_id)
    return s.AggregateUploadSerializer(upload).data


class StateAggregateFiles(ApiMixin, APIView):
    """Check another install's aggregate file for the state's roll-up (the web's exchange page)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request=area_views.IMPORT_BODY,
        responses={201: s.AggregateUploadSerializer},
        summary="Upload another install's aggregate file (CSV or XLSX) and check every row; nothing is imported "
        "yet (the state team's leads and administrators)",
    )
    def post(self, request: Request, state_id: int) -> Response:
        state = _dashboard_state(self.person, state_id)
        access.require_reviewer(self.person, state.pk)
        file = request.FILES.get("file")
        if file is None or set(request.data) - {"file"}:
            raise ValidationError({"file": "Send the file as the form field 'file' (and nothing else)."})
        checked = aggregates.aggregate_upload_check(
            actor=self.person, state=state, filename=file.name or "", content=file.read(tables.MAX_BYTES + 1)
        )
        return Response(_file_data(checked.pk), status=201)


class AggregateFileDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.AggregateUploadSerializer}, summary="A checked aggregate file: every row, with each problem"
    )
    def get(self, request: Request, aggregate_upload_id: int) -> Response:
        return Response(_file_data(access.get_aggregate_upload_for(self.person, aggregate_upload_id).pk))


class AggregateFileImport(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: s.AggregateImportedSerializer},
        summary="Import a checked aggregate file into the roll-up: every row, refused while any row has a problem "
        "(the state team's leads and administrators)",
    )
    def post(self, request: Request, aggregate_upload_id: int) -> Response:
        upload = access.get_aggregate_upload_for(self.person, aggregate_upload_id)
        access.require_reviewer(self.person, upload.state_id)
        if request.data:
            raise ValidationError("This operation takes no body.")
        imported = aggregates.aggregate_upload_commit(actor=self.person, upload=upload)
        return Response({"imported": imported, "file": _file_data(upload.pk)})


class StatePooled(OneObject, ApiMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("definition_code", OpenApiTypes.STR, enum=list(catalog().codes)),
            OpenApiParameter("national", OpenApiTypes.BOOL, description="Every state, not only this one."),
        ],
        responses={200: s.PooledSerializer},
        summary="The pooled employment rate by quarter: this install's accepted reports and the imported "
        "aggregates, sum(worked) / sum(served) (the state team)",
    )
    def get(self, request: Request, state_id: int) -> Response:
        state = _dashboard_state(self.person, state_id)
        code = request.query_params.get("definition_code", DEFAULT_CODE)
        if code not in catalog().codes:
            raise ValidationError({"definition_code": f"Choose one of: {', '.join(catalog().codes)}."})
        national = request.query_params.get("national") in ("true", "1")
        pooled = aggregates.pooled_rollup(state_codes=None if national else [state.code], definition_code=code)
        return Response(s.PooledSerializer(pooled).data)
