"""Endpoints of the small records behind the roles matrix's tick-box duties: outreach in public forums, IPS
materials handed out, library resources the state team sent, data requests and the files that answer them.

Lists start from implementation's access layer; writes find the program with `get_program_for` (404 for "not
found" and "not yours") and call the implementation service, which checks who may write (403), validates
(400) and records the audit event (see api/views.py)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import filters
from ipshub.api import implementation_serializers as s
from ipshub.api.inputs import refuse_unknown
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.implementation import access as impl_access
from ipshub.implementation import services
from ipshub.implementation.models import (
    DataRequest,
    DataRequestAnswer,
    Material,
    MaterialDistribution,
    OutreachActivity,
    OutreachKind,
    Resource,
    ResourceShare,
)
from ipshub.lib.downloads import attachment
from ipshub.tenancy.access import get_program_for, programs_visible_to
from ipshub.tenancy.models import Person, Program


def _program_filter(field: str = "program_id") -> filters.Integer:
    return filters.Integer("program", "Id of the program.", lambda qs, v: qs.filter(**{field: v}))


def _since(field: str) -> tuple[filters.Date, filters.Date]:
    return (
        filters.Date("since", "On or after this date.", lambda qs, v: qs.filter(**{f"{field}__gte": v})),
        filters.Date("until", "On or before this date.", lambda qs, v: qs.filter(**{f"{field}__lte": v})),
    )


def _written(form_class: type, request: Request, person: Person) -> tuple[Program, dict[str, Any]]:
    form = form_class(data=request.data)
    form.is_valid(raise_exception=True)
    data = dict(form.validated_data)
    return get_program_for(person, data.pop("program")), data


# --- Outreach -------------------------------------------------------------------------------------------


class OutreachList(ListView):
    """IPS shared in public forums by the programs you see (R-ONG-MH-04)."""

    serializer_class = s.OutreachSerializer
    filter_params = (
        _program_filter(),
        filters.Choice("kind", "What was shared.", lambda qs, v: qs.filter(kind=v), OutreachKind.choices),
        *_since("held_on"),
    )
    ordering_fields = ("held_on", "recorded_at")

    def get_queryset(self) -> QuerySet[OutreachActivity]:
        visible = impl_access.outreach_visible_to(self.person)
        return visible.select_related("program", "recorded_by").order_by("-held_on", "-pk")

    @extend_schema(
        request=s.OutreachWriteSerializer,
        responses={201: s.OutreachSerializer},
        summary="Log IPS shared in a public forum (the program's leaders)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program, data = _written(s.OutreachWriteSerializer, request, self.person)
        activity = services.outreach_record(actor=self.person, program=program, **data)
        return Response(s.OutreachSerializer(self.get_queryset().get(pk=activity.pk)).data, status=201)


# --- IPS materials --------------------------------------------------------------------------------------


class MaterialDistributionList(ListView):
    """The Practical Guide handed to IPS staff, and IPS handouts and posters displayed, in the programs you see."""

    serializer_class = s.MaterialDistributionSerializer
    filter_params = (
        _program_filter(),
        filters.Choice("material", "Which material.", lambda qs, v: qs.filter(material=v), Material.choices),
        *_since("distributed_on"),
    )
    ordering_fields = ("distributed_on", "recorded_at")

    def get_queryset(self) -> QuerySet[MaterialDistribution]:
        visible = impl_access.distributions_visible_to(self.person)
        return visible.select_related("program", "recorded_by").order_by("-distributed_on", "-pk")

    @extend_schema(
        request=s.MaterialDistributionWriteSerializer,
        responses={201: s.MaterialDistributionSerializer},
        summary="Log IPS materials handed out or displayed (the program's leaders)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program, data = _written(s.MaterialDistributionWriteSerializer, request, self.person)
        entry = services.material_distribution_record(actor=self.person, program=program, **data)
        return Response(s.MaterialDistributionSerializer(self.get_queryset().get(pk=entry.pk)).data, status=201)


# --- Library resources sent -----------------------------------------------------------------------------


class ResourceShareList(ListView):
    """Resources of the state's library sent to the programs you see (e.g. the sources of revenue for IPS)."""

    serializer_class = s.ResourceShareSerializer
    filter_params = (_program_filter(), *_since("sent_on"))
    ordering_fields = ("sent_on", "created_at")

    def get_queryset(self) -> QuerySet[ResourceShare]:
        visible = impl_access.shares_visible_to(self.person)
        return visible.select_related("program", "resource", "sent_by").order_by("-sent_on", "-pk")

    @extend_schema(
        request=s.ResourceShareWriteSerializer,
        responses={201: s.ResourceShareSerializer},
        summary="Send a library resource to a program (the state IPS team)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program, data = _written(s.ResourceShareWriteSerializer, request, self.person)
        impl_access.require_state_team(self.person, program)
        try:
            resource = (
                impl_access.resources_visible_to(self.person)
                .select_related("organization")
                .get(pk=data.pop("resource"), organization__state_id=program.state_id)
            )
        except Resource.DoesNotExist:
            message = "Choose a resource of the program's state library."
            raise exceptions.ValidationError({"resource": [message]}) from None
        share = services.resource_send(actor=self.person, program=program, resource=resource, **data)
        return Response(s.ResourceShareSerializer(self.get_queryset().get(pk=share.pk)).data, status=201)


# --- Data requests --------------------------------------------------------------------------------------


def _requests(queryset: QuerySet[DataRequest]) -> QuerySet[DataRequest]:
    answers = DataRequestAnswer.objects.select_related("answered_by", "request").order_by("answered_on", "pk")
    return queryset.select_related("program", "asked_by").prefetch_related(Prefetch("answers", queryset=answers))


def _readable(person: Person) -> set[int]:
    """The programs whose answer files the person may read (one query; the access checks are per program)."""
    return {p.pk for p in programs_visible_to(person) if impl_access.can_read_data_answers(person, p)}


class DataRequestList(ListView):
    """The state team's data requests to the programs you see, with the files that answer them."""

    serializer_class = s.DataRequestSerializer
    filter_params = (
        _program_filter(),
        filters.Boolean(
            "answered",
            "Answered with a file (true), or still waiting (false).",
            lambda qs, v: qs.filter(answers__isnull=not v).distinct(),
        ),
        *_since("asked_on"),
    )
    ordering_fields = ("asked_on", "due_on")

    def get_queryset(self) -> QuerySet[DataRequest]:
        return _requests(impl_access.data_requests_visible_to(self.person)).order_by("-asked_on", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "readable_programs": _readable(self.person)}

    @extend_schema(
        request=s.DataRequestWriteSerializer,
        responses={201: s.DataRequestSerializer},
        summary="Ask a program for data (the state IPS team)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program, data = _written(s.DataRequestWriteSerializer, request, self.person)
        created = services.data_request_create(actor=self.person, program=program, **data)
        found = _requests(DataRequest.objects.filter(pk=created.pk)).get()
        return Response(s.DataRequestSerializer(found, context=self.get_serializer_context()).data, status=201)


class AnsweredRequest(exceptions.APIException):
    status_code = 409
    default_code = "answered"
    default_detail = "This request has been answered, so it stays on the record. It can't be withdrawn."


def _data_request(person: Person, request_id: int) -> DataRequest:
    try:
        return _requests(impl_access.data_requests_visible_to(person)).get(pk=request_id)
    except DataRequest.DoesNotExist:
        raise Http404("No such data request.") from None


ANSWER_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "A file of a kind the request accepts."},
            "note": {"type": "string"},
        },
        "required": ["file"],
        "additionalProperties": False,
    }
}


class DataRequestDetail(OneObject, ApiMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: s.DataRequestSerializer}, summary="One data request, with its files")
    def get(self, request: Request, request_id: int) -> Response:
        found = _data_request(self.person, request_id)
        readable = {found.program_id} if impl_access.can_read_data_answers(self.person, found.program) else set()
        return Response(s.DataRequestSerializer(found, context={"readable_programs": readable}).data)

    @extend_schema(
        request=ANSWER_BODY,
        responses={201: s.DataRequestSerializer},
        summary="Answer a data request with a file (the program's provider or mental health agency)",
        operation_id="data_requests_answer",
    )
    def post(self, request: Request, request_id: int) -> Response:
        found = _data_request(self.person, request_id)
        upload = request.FILES.get("file")
        impl_access.require_data_answerer(self.person, found.program)
        refuse_unknown(request.data, ("file", "note"))
        if upload is None:
            raise exceptions.ValidationError({"file": ["Send the file as the form field 'file'."]})
        note = request.POST.get("note", "")
        services.data_request_answer(
            actor=self.person, request=found, file=upload, note=note if isinstance(note, str) else ""
        )
        return Response(
            s.DataRequestSerializer(
                _data_request(self.person, request_id), context={"readable_programs": {found.program_id}}
            ).data,
            status=201,
        )

    @extend_schema(
        responses={204: None, 409: OpenApiResponse(description="The request has been answered: it stays.")},
        summary="Withdraw a data request sent by mistake, while nothing answers it (the state IPS team)",
    )
    def delete(self, request: Request, request_id: int) -> Response:
        found = _data_request(self.person, request_id)
        try:
            services.data_request_delete(actor=self.person, request=found)
        except ValidationError as exc:
            raise AnsweredRequest(" ".join(exc.messages)) from None
        return Response(status=204)


class DataAnswerFile(ApiMixin, APIView):
    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="The file answering a data request (the state team, the agency and the provider)",
    )
    def get(self, request: Request, answer_id: int) -> Any:
        answer = impl_access.get_data_answer_for(self.person, answer_id)
        return attachment(answer.file, filename=answer.original_name, content_type=answer.content_type)


# --- Removing a record logged by mistake (the web's delete buttons) ---------------------------------------


class OutreachDetail(OneObject, ApiMixin, APIView):
    def found(self, outreach_id: int) -> OutreachActivity:
        try:
            return (
                impl_access.outreach_visible_to(self.person)
                .select_related("program", "recorded_by")
                .get(pk=outreach_id)
            )
        except OutreachActivity.DoesNotExist:
            raise Http404("No such outreach entry.") from None

    @extend_schema(responses={200: s.OutreachSerializer}, summary="One outreach entry")
    def get(self, request: Request, outreach_id: int) -> Response:
        return Response(s.OutreachSerializer(self.found(outreach_id)).data)

    @extend_schema(responses={204: None}, summary="Remove an outreach entry logged by mistake (the program's leaders)")
    def delete(self, request: Request, outreach_id: int) -> Response:
        services.outreach_delete(actor=self.person, activity=self.found(outreach_id))
        return Response(status=204)


class MaterialDistributionDetail(OneObject, ApiMixin, APIView):
    def found(self, distribution_id: int) -> MaterialDistribution:
        visible = impl_access.distributions_visible_to(self.person).select_related("program", "recorded_by")
        try:
            return visible.get(pk=distribution_id)
        except MaterialDistribution.DoesNotExist:
            raise Http404("No such entry.") from None

    @extend_schema(responses={200: s.MaterialDistributionSerializer}, summary="One distribution of IPS materials")
    def get(self, request: Request, distribution_id: int) -> Response:
        return Response(s.MaterialDistributionSerializer(self.found(distribution_id)).data)

    @extend_schema(responses={204: None}, summary="Remove a distribution logged by mistake (the program's leaders)")
    def delete(self, request: Request, distribution_id: int) -> Response:
        services.material_distribution_delete(actor=self.person, distribution=self.found(distribution_id))
        return Response(status=204)


class ResourceShareDetail(OneObject, ApiMixin, APIView):
    def found(self, share_id: int) -> ResourceShare:
        visible = impl_access.shares_visible_to(self.person).select_related("program", "resource", "sent_by")
        try:
            return visible.get(pk=share_id)
        except ResourceShare.DoesNotExist:
            raise Http404("No such resource sent.") from None

    @extend_schema(responses={200: s.ResourceShareSerializer}, summary="One library resource sent to a program")
    def get(self, request: Request, share_id: int) -> Response:
        return Response(s.ResourceShareSerializer(self.found(share_id)).data)

    @extend_schema(responses={204: None}, summary="Take back a resource sent by mistake (the state IPS team)")
    def delete(self, request: Request, share_id: int) -> Response:
        services.resource_share_delete(actor=self.person, share=self.found(share_id))
        return Response(status=204)


class DataAnswerDetail(ApiMixin, APIView):
    @extend_schema(
        responses={204: None},
        summary="Take back a wrong file (who uploaded it, or a leader of the agency or the provider)",
    )
    def delete(self, request: Request, answer_id: int) -> Response:
        answer = impl_access.get_data_answer_for(self.person, answer_id)
        services.data_request_answer_delete(actor=self.person, answer=answer)
        return Response(status=204)
