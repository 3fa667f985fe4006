"""The client record's own writes through the API: close and re-open the enrollment; benefits planning,
education and support contacts (each a list with its POST); help toward the next job after a job ended.

Each operation is the web form's (clients/views.py): the same access call and capability
(`found.require(...)`), the same service, so the same checks, messages and audit events. Outsiders (another
agency, another state) get 404 from the access call; a person who may read the record but not do this, 403."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from ipshub.api import area_serializers
from ipshub.api import record_serializers as s
from ipshub.api.area_views import _client_access, whole_record
from ipshub.api.views import ApiMixin
from ipshub.clients import access as client_access
from ipshub.clients import services as client_services


def _validated(form_class: type[Serializer[Any]], request: Request) -> dict[str, Any]:
    form = form_class(data=request.data)
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)


# --- Close and re-open ----------------------------------------------------------------------------


def _status_step(person: Any, request: Request, enrollment_id: int, form_class: Any, step: Any) -> Response:
    """Close or re-open: the IPS supervisor's (ASSIGN), as on the web; the answer is the whole record."""
    found = _client_access(person, enrollment_id)
    found.require(client_access.ASSIGN)
    step(actor=person, enrollment=found.enrollment, **_validated(form_class, request))
    return whole_record(person, found.enrollment.pk)


class EnrollmentClose(ApiMixin, APIView):
    @extend_schema(
        request=s.CloseSerializer,
        responses={200: area_serializers.EnrollmentSerializer},
        summary="Close the enrollment (the IPS supervisor): only when the person chooses to stop; it can be "
        "re-opened at any time",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        return _status_step(self.person, request, enrollment_id, s.CloseSerializer, client_services.enrollment_close)


class EnrollmentReopen(ApiMixin, APIView):
    @extend_schema(
        request=s.ReopenSerializer,
        responses={200: area_serializers.EnrollmentSerializer},
        summary="Re-open a closed enrollment (the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        return _status_step(self.person, request, enrollment_id, s.ReopenSerializer, client_services.enrollment_reopen)
