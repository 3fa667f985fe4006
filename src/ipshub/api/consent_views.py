"""Consents through the API: list and read a client's consents, sign one (the client's typed name or drawn
signature, from a device the program runs), download the signed PDF, revoke with how; and the state team's
release template. Same access layer, services and audit events as the web pages (clients/signing.py)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import consent_serializers as s
from ipshub.api import versions
from ipshub.api.area_views import _client_access
from ipshub.api.inputs import validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.clients import access as client_access
from ipshub.clients import services as client_services
from ipshub.clients import signing
from ipshub.clients.models import Consent, ReleaseTemplate
from ipshub.lib.downloads import attachment
from ipshub.tenancy.models import State


def _consents(found: client_access.ClientAccess) -> QuerySet[Consent]:
    return Consent.objects.filter(client_id=found.enrollment.client_id).select_related("organization", "template")


def _consent_in(found: client_access.ClientAccess, consent_id: int) -> Consent:
    try:
        return _consents(found).get(pk=consent_id)
    except Consent.DoesNotExist:
        raise Http404("No such consent.") from None


class EnrollmentConsents(ApiMixin, APIView):
    @extend_schema(
        responses={200: s.ConsentSerializer(many=True)},
        summary="The client's consents to share (whole-record readers)",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="full", section="consents")
        rows = _consents(found).order_by("-starts_on", "-pk")
        return Response(s.ConsentSerializer(rows, many=True, context={"enrollment_id": enrollment_id}).data)

    @extend_schema(
        request=s.ConsentSignSerializer,
        responses={201: s.ConsentSerializer},
        summary="Record a release the client signed in front of you: typed (typed_name and confirmed) or drawn "
        "(signature, a PNG data URL). The state's current release template in the release's language (language: "
        "by default the client's preferred one) is filled and a PDF made in that language.",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.CONSENT)
        form = s.ConsentSignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        language = data["language"] or signing.release_language_for(found.enrollment.client.preferred_language)
        terms = signing.ReleaseTerms(
            organization=data["organization"],
            scope=data["scope"],
            purpose=signing.purpose_in(language, data["purpose"]),
            starts_on=data["starts_on"],
            expires_on=data["expires_on"],
            expires_event=data["expires_event"],
            language=language,
        )
        # Every problem at once: the terms' and the signature's.
        problems = dict(signing.terms_problems(enrollment=found.enrollment, **vars(terms)))
        signature = None
        try:
            signature = signing.signature_from(
                method=data["signature_method"],
                typed_name=data["typed_name"],
                confirmed=data["confirmed"],
                drawing=data["signature"],
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                problems.setdefault(name, messages[0])
        if problems or signature is None:
            raise ValidationError(problems)
        consent = signing.consent_sign(actor=self.person, enrollment=found.enrollment, terms=terms, signature=signature)
        consent = _consent_in(found, consent.pk)
        return Response(s.ConsentSerializer(consent, context={"enrollment_id": enrollment_id}).data, status=201)


class EnrollmentPaperConsent(ApiMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.PaperConsentSerializer},
        responses={201: s.ConsentSerializer},
        summary="Record a consent the client signed on paper (multipart: organization, scope, starts_on, "
        "expires_on, and the scan if you have it), as the web's 'Record a consent signed on paper'",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.CONSENT)
        consent = client_services.consent_create(
            actor=self.person, enrollment=found.enrollment, **validated(s.PaperConsentSerializer, request)
        )
        consent = _consent_in(found, consent.pk)
        return Response(s.ConsentSerializer(consent, context={"enrollment_id": enrollment_id}).data, status=201)


class EnrollmentConsentDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.ConsentSerializer}, summary="One consent, with the release text as signed")
    def get(self, request: Request, enrollment_id: int, consent_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        consent = _consent_in(found, consent_id)
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="full", section="consent")
        return Response(s.ConsentSerializer(consent, context={"enrollment_id": enrollment_id}).data)


class EnrollmentConsentDocument(ApiMixin, APIView):
    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="The signed release's PDF (or a paper consent's scan); every download is audited",
    )
    def get(self, request: Request, enrollment_id: int, consent_id: int) -> Any:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        consent = _consent_in(found, consent_id)
        if not consent.document:
            raise Http404("This consent has no document.")
        return attachment(
            consent.document,
            filename=consent.document_name or "consent",
            content_type=consent.document_type,
            record=lambda: signing.record_download(actor=self.person, enrollment=found.enrollment, consent=consent),
        )


class EnrollmentConsentRevoke(ApiMixin, APIView):
    @extend_schema(
        request=s.ConsentRevokeSerializer,
        responses={200: s.ConsentSerializer},
        summary="Revoke a consent (the client said so): sharing stops at once; records who, when and how",
    )
    def post(self, request: Request, enrollment_id: int, consent_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.CONSENT)
        consent = _consent_in(found, consent_id)
        form = s.ConsentRevokeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if consent.revoked_on is not None:
            raise ValidationError({"how": "This consent was already revoked."})
        client_services.consent_revoke(
            actor=self.person, enrollment=found.enrollment, consent=consent, how=form.validated_data["how"]
        )
        return Response(s.ConsentSerializer(consent, context={"enrollment_id": enrollment_id}).data)


def _template_state(person: Any, state_id: int) -> State:
    if not signing.can_edit_template(person, state_id):
        raise Http404("No such state.")
    return get_object_or_404(State, pk=state_id)


LANGUAGE_PARAMETER = OpenApiParameter(
    "language",
    str,
    enum=list(signing.RELEASE_LANGUAGES),
    description="The release's language: en (the default) or es. Each language has its own text and versions.",
)


def _template_language(request: Request) -> str:
    language = request.query_params.get("language", "en")
    if language not in signing.RELEASE_LANGUAGES:
        raise ValidationError({"language": "Choose the release's language: en or es."})
    return language


class ReleaseTemplateView(OneObject, ApiMixin, APIView):
    """The release's ETag names the state's saved version (0: none saved, the built-in default in use)."""

    @extend_schema(
        parameters=[LANGUAGE_PARAMETER],
        responses={200: s.ReleaseTemplateSerializer},
        summary="The state's release of information in one language (the state IPS team's leads and administrators)",
    )
    def get(self, request: Request, state_id: int) -> Response:
        state = _template_state(self.person, state_id)
        template = signing.template_or_default(state, _template_language(request))
        return versions.with_etag(Response(s.ReleaseTemplateSerializer(template).data), _template_etag(template))

    @extend_schema(
        parameters=[LANGUAGE_PARAMETER],
        request=s.ReleaseTemplateSaveSerializer,
        responses={201: s.ReleaseTemplateSerializer},
        summary="Save a new version of the release; consents signed before keep the version they were signed on",
    )
    def put(self, request: Request, state_id: int) -> Response:
        state = _template_state(self.person, state_id)
        language = _template_language(request)
        versions.require_if_match(request)
        form = s.ReleaseTemplateSaveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if not signing.can_edit_template(self.person, state.pk):
            raise PermissionDenied("Only the state IPS team's leads and administrators can change the release.")
        kind = _template_kind(language)
        version = versions.expected_version(request, kind, state.pk)
        with versions.stale_as_412(kind, state.pk):
            template = signing.release_template_save(
                actor=self.person, state=state, expected_version=version, language=language, **form.validated_data
            )
        response = Response(s.ReleaseTemplateSerializer(template).data, status=201)
        return versions.with_etag(response, _template_etag(template))


TEMPLATE_KIND = "releasetemplate"


def _template_kind(language: str) -> str:
    """Each language's versions are their own: an English ETag never matches the Spanish release."""
    return TEMPLATE_KIND if language == "en" else f"{TEMPLATE_KIND}{language}"


def _template_etag(template: ReleaseTemplate) -> str:
    saved = template.version if template.pk is not None else 0
    return versions.version_etag(_template_kind(template.language), template.state_id, saved)
