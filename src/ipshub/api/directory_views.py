"""The directory's writes through the API: add and change organizations and people, and give or end a person's
roles (memberships), as on the web's directory pages (tenancy/views.py).

Each operation makes the web view's access call (`get_organization_for`, `get_person_for`: 404 for "not found"
and "not yours"), the administrator check (`require_directory_admin`: 403 for a person who may read the directory
but not manage it) before it reads the body, and calls the same service (tenancy/services.py), which checks the
state, validates with the web's messages and records the audit event. Updates need If-Match (api/versions.py): an
organization has a version number; a person's ETag is a fingerprint of their GET.

The person's second-factor enrolment code (the web's tenancy:person_enrolment_code) has no operation here: the
code is a credential, shown once to an administrator signed in with two factors; a token is one bearer secret,
often kept by a script, and must not be able to mint second factors for other people's accounts."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import directory_serializers as s
from ipshub.api import serializers, versions
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.views import ApiMixin, OrganizationDetail, OrganizationList, PersonDetail, PersonList, _with_memberships
from ipshub.tenancy import access, selectors, services
from ipshub.tenancy.models import Membership, Organization, Person

# --- Organizations --------------------------------------------------------------------------------


class OrganizationListCreate(OrganizationList):
    """The organizations you see (GET), and adding one (POST, administrators)."""

    @extend_schema(
        request=s.OrganizationCreateSerializer,
        responses={201: serializers.OrganizationSerializer},
        summary="Add an organization in a state you administer (administrators)",
    )
    def post(self, request: Request) -> Response:
        access.require_directory_admin(self.person)
        data = validated(s.OrganizationCreateSerializer, request)
        state = data.pop("state", None)
        if state is None:
            states = selectors.manageable_states(self.person)
            if states.count() != 1:
                raise exceptions.ValidationError({"state": ["You administer more than one state: say which."]})
            state = states.get()
        organization = services.organization_create(actor=self.person, state=state, **data)
        created = Organization.objects.select_related("state").get(pk=organization.pk)
        response = Response(serializers.OrganizationSerializer(created).data, status=201)
        return versions.with_etag(response, versions.etag_of(created))


class OrganizationDetailUpdate(OrganizationDetail):
    """One organization (GET, with its ETag), and changing it (PATCH with If-Match, its state's administrators)."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        request=s.OrganizationWriteSerializer,
        responses={200: serializers.OrganizationSerializer},
        summary="Change an organization's details (its state's administrators), with the ETag of its GET",
    )
    def patch(self, request: Request, organization_id: int) -> Response:
        organization = access.get_organization_for(self.person, organization_id)
        access.require_directory_admin(self.person, organization.state_id)  # 403 before 428
        version = versions.expected_version_of(request, organization)
        data = validated(s.OrganizationWriteSerializer, request, partial=True)
        with versions.stale_record_as_412(organization):
            services.organization_update(actor=self.person, organization=organization, expected_version=version, **data)
        return self.retrieve(request)


# --- People ---------------------------------------------------------------------------------------


class PersonListCreate(PersonList):
    """The people you see (GET), and adding one with their first role (POST, administrators)."""

    @extend_schema(
        request=s.PersonCreateSerializer,
        responses={201: serializers.PersonSerializer},
        summary="Add a person with their first role, at an organization of a state you administer (administrators)",
    )
    def post(self, request: Request) -> Response:
        access.require_directory_admin(self.person)
        data = validated(s.PersonCreateSerializer, request)
        person = services.person_create(actor=self.person, **data)
        return Response(_person_data(person.pk), status=201)


def _person_rows(person_id: int) -> QuerySet[Person]:
    return _with_memberships(Person.objects.filter(pk=person_id))


def _person_data(person_id: int) -> Any:
    """What the person's GET answers (its ETag is a hash of it)."""
    return serializers.PersonSerializer(_person_rows(person_id).get()).data


class PersonDetailUpdate(PersonDetail):
    """One person (GET, with its ETag), and changing their details (PATCH with If-Match, administrators of every
    state they hold a role in)."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        request=s.PersonEditSerializer,
        responses={200: serializers.PersonSerializer},
        summary="Change a person's details or deactivate them (administrators), with the ETag of their GET",
    )
    def patch(self, request: Request, person_id: int) -> Response:
        subject = access.get_person_for(self.person, person_id)
        access.require_directory_admin(self.person)  # 403 before 428; the service checks each of their states
        versions.require_if_match(request)
        data = validated(s.PersonEditSerializer, request, partial=True)
        with transaction.atomic():
            current = versions.locked_current(
                request, _person_rows(subject.pk), lambda p: serializers.PersonSerializer(p).data
            )
            services.person_update(actor=self.person, person=current, **data)
        return Response(_person_data(subject.pk))


# --- Memberships ----------------------------------------------------------------------------------


def _memberships(subject: Person) -> QuerySet[Membership]:
    return selectors.person_memberships(subject)


class PersonMemberships(ApiMixin, APIView):
    @extend_schema(
        responses={200: s.MembershipRecordSerializer(many=True)},
        summary="A person's roles, current first, then those that ended",
    )
    def get(self, request: Request, person_id: int) -> Response:
        subject = access.get_person_for(self.person, person_id)
        return Response(s.MembershipRecordSerializer(_memberships(subject), many=True).data)

    @extend_schema(
        request=s.MembershipAddSerializer,
        responses={201: s.MembershipRecordSerializer},
        summary="Give the person a role at an organization of a state you administer (administrators); a role "
        "that ended starts again",
    )
    def post(self, request: Request, person_id: int) -> Response:
        subject = access.get_person_for(self.person, person_id)
        access.require_directory_admin(self.person)
        data = validated(s.MembershipAddSerializer, request)
        membership = services.membership_add(actor=self.person, person=subject, **data)
        return Response(s.MembershipRecordSerializer(_memberships(subject).get(pk=membership.pk)).data, status=201)


class MembershipEnd(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: s.MembershipRecordSerializer},
        summary="End one of the person's roles today (administrators of the organization's state)",
    )
    def post(self, request: Request, person_id: int, membership_id: int) -> Response:
        subject = access.get_person_for(self.person, person_id)
        try:
            membership = _memberships(subject).select_related("person").get(pk=membership_id)
        except Membership.DoesNotExist:
            raise Http404("No such role.") from None
        access.require_directory_admin(self.person, membership.organization.state_id)
        refuse_unknown(request.data, ())  # the step takes no body
        services.membership_end(actor=self.person, membership=membership)
        return Response(s.MembershipRecordSerializer(_memberships(subject).get(pk=membership.pk)).data)
