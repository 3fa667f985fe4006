"""The client record's own writes through the API: the referral's next step; close and re-open the enrollment;
benefits planning, education and support contacts (each a list with its POST); help toward the next job after a
job ended.

Each operation is the web form's (clients/views.py): the same access call and capability
(`found.require(...)`), the same service, so the same checks, messages and audit events. Outsiders (another
agency, another state) get 404 from the access call; a person who may read the record but not do this, 403."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from ipshub.api import area_serializers, versions
from ipshub.api import record_serializers as s
from ipshub.api.area_views import _client_access, _job_step, whole_record
from ipshub.api.inputs import validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.clients import access as client_access
from ipshub.clients import selectors as client_selectors
from ipshub.clients import services as client_services
from ipshub.clients.models import (
    BenefitsPlanning,
    CareerProfile,
    DvrCase,
    Education,
    Enrollment,
    JobSearchPlan,
    SupportContact,
)

# --- The referral's next step, close and re-open --------------------------------------------------


class EnrollmentAdvance(ApiMixin, APIView):
    @extend_schema(
        request=s.AdvanceSerializer,
        responses={200: area_serializers.EnrollmentSerializer},
        summary="Record the referral's next step: accepted, first meeting held, engaged (the client's specialist "
        "or the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.SERVICES)  # as the web's clients:advance
        data = validated(s.AdvanceSerializer, request)
        client_services.enrollment_advance(actor=self.person, enrollment=found.enrollment, **data)
        return whole_record(self.person, found.enrollment.pk)


def _status_step(person: Any, request: Request, enrollment_id: int, form_class: Any, step: Any) -> Response:
    """Close or re-open: the IPS supervisor's (ASSIGN), as on the web; the answer is the whole record."""
    found = _client_access(person, enrollment_id)
    found.require(client_access.ASSIGN)
    step(actor=person, enrollment=found.enrollment, **validated(form_class, request))
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


# --- Benefits planning, education, support contacts: a list and its POST --------------------------


class RecordPart(ApiMixin, APIView):
    """One part of the record that is a list (as its section on the web): whole-record readers read it (an
    audited view of the section); the client's specialist and the IPS supervisor (SERVICES) add to it."""

    section = ""
    output: type[Serializer[Any]]
    write: type[Serializer[Any]]

    def rows(self, enrollment_id: int) -> QuerySet[Any]:
        raise NotImplementedError

    def save(self, **fields: Any) -> Any:
        raise NotImplementedError

    def _list(self, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        rows = self.rows(found.enrollment.pk)
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="full", section=self.section)
        return Response(self.output(rows, many=True).data)

    def _create(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.SERVICES)
        made = self.save(actor=self.person, enrollment=found.enrollment, **validated(self.write, request))
        return Response(self.output(self.rows(found.enrollment.pk).get(pk=made.pk)).data, status=201)


class BenefitsPlanningList(RecordPart):
    section = "benefits"
    output = s.BenefitsPlanningSerializer
    write = s.BenefitsWriteSerializer

    def rows(self, enrollment_id: int) -> QuerySet[BenefitsPlanning]:
        plans = BenefitsPlanning.objects.filter(enrollment_id=enrollment_id).select_related("recorded_by")
        return plans.order_by("-offered_on", "-pk")

    def save(self, **fields: Any) -> BenefitsPlanning:
        return client_services.benefits_planning_record(**fields)

    @extend_schema(responses={200: s.BenefitsPlanningSerializer(many=True)}, summary="The client's benefits planning")
    def get(self, request: Request, enrollment_id: int) -> Response:
        return self._list(enrollment_id)

    @extend_schema(
        request=s.BenefitsWriteSerializer,
        responses={201: s.BenefitsPlanningSerializer},
        summary="Record benefits planning offered (and completed) (the client's specialist or the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        return self._create(request, enrollment_id)


class EducationList(RecordPart):
    section = "education"
    output = s.EducationSerializer
    write = s.EducationWriteSerializer

    def rows(self, enrollment_id: int) -> QuerySet[Education]:
        return Education.objects.filter(enrollment_id=enrollment_id).order_by("-started_on", "-pk")

    def save(self, **fields: Any) -> Education:
        return client_services.education_add(**fields)

    @extend_schema(responses={200: s.EducationSerializer(many=True)}, summary="The client's education enrollments")
    def get(self, request: Request, enrollment_id: int) -> Response:
        return self._list(enrollment_id)

    @extend_schema(
        request=s.EducationWriteSerializer,
        responses={201: s.EducationSerializer},
        summary="Add an education enrollment (the client's specialist or the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        return self._create(request, enrollment_id)


class SupportContactList(RecordPart):
    section = "supports"
    output = s.SupportContactSerializer
    write = s.SupportWriteSerializer

    def rows(self, enrollment_id: int) -> QuerySet[SupportContact]:
        contacts = SupportContact.objects.filter(enrollment_id=enrollment_id).select_related("by")
        return contacts.order_by("-contacted_on", "-pk")

    def save(self, **fields: Any) -> SupportContact:
        return client_services.support_contact_log(**fields)

    @extend_schema(
        responses={200: s.SupportContactSerializer(many=True)}, summary="The client's follow-along support contacts"
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        return self._list(enrollment_id)

    @extend_schema(
        request=s.SupportWriteSerializer,
        responses={201: s.SupportContactSerializer},
        summary="Log a follow-along support contact (the client's specialist or the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        return self._create(request, enrollment_id)


# --- Help toward the next job ---------------------------------------------------------------------


class EnrollmentClientLanguage(ApiMixin, APIView):
    @extend_schema(
        request=s.ClientLanguageWriteSerializer,
        responses={200: area_serializers.ClientSerializer},
        summary="Set the client's preferred language and whether an interpreter is needed (the client's "
        "employment specialist or the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        fields = validated(s.ClientLanguageWriteSerializer, request)
        client = client_services.client_language_set(actor=self.person, enrollment=found.enrollment, **fields)
        return Response(area_serializers.ClientSerializer(client).data)


class JobNextHelp(ApiMixin, APIView):
    @extend_schema(
        request=s.NextJobHelpSerializer,
        responses={200: area_serializers.JobSerializer},
        summary="Record that help toward the next job was offered after this job ended (the client's "
        "employment specialist or the IPS supervisor)",
    )
    def post(self, request: Request, job_id: int) -> Response:
        return _job_step(self.person, request, job_id, s.NextJobHelpSerializer, client_services.job_next_help_record)


# --- One-of-a-kind parts of the record, written over: the job search plan -------------------------

PLAN_KIND = "jobsearchplan"


def _plan_answer(enrollment: Enrollment) -> Response:
    """The plan (or, before its first save, an empty one at version 0) with its ETag. The ETag names the
    enrollment, not the plan, so that the version to send exists before the plan does."""
    plan = JobSearchPlan.objects.filter(enrollment=enrollment).first()
    empty = {"goal": "", "target_employers": "", "steps": "", "updated_on": None, "version": 0}
    body = s.JobSearchPlanSerializer(plan if plan is not None else empty).data
    return versions.with_etag(Response(body), versions.version_etag(PLAN_KIND, enrollment.pk, body["version"]))


class EnrollmentJobSearchPlan(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.JobSearchPlanSerializer},
        summary="The client's job search plan (whole-record readers); before its first save, empty at version 0",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="full", section="job_search")
        return _plan_answer(found.enrollment)

    @extend_schema(
        request=s.JobSearchPlanWriteSerializer,
        responses={200: s.JobSearchPlanSerializer},
        summary="Write the job search plan (the client's specialist or the IPS supervisor), with the ETag of its GET",
    )
    def put(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.SERVICES)
        version = versions.expected_version(request, PLAN_KIND, found.enrollment.pk)
        fields = validated(s.JobSearchPlanWriteSerializer, request)
        with versions.stale_as_412(PLAN_KIND, found.enrollment.pk):
            client_services.job_search_plan_save(
                actor=self.person, enrollment=found.enrollment, expected_version=version, **fields
            )
        return _plan_answer(found.enrollment)


# --- The DVR case: written over, with the version read --------------------------------------------

DVR_CASE_KIND = "dvrcase"
NO_DVR_CASE = {
    "dvr_office_id": None,
    "counselor_id": None,
    "referred_on": None,
    "applied_on": None,
    "eligibility": DvrCase.Eligibility.PENDING,
    "eligibility_on": None,
    "plan_started_on": None,
    "plan_ends_on": None,
    "version": 0,
}


def _dvr_case_answer(enrollment: Enrollment) -> Response:
    """The case (before its first save, an empty one at version 0) with its ETag, which names the
    enrollment as the job search plan's does."""
    case = DvrCase.objects.filter(enrollment=enrollment).first()
    body = s.DvrCaseRecordSerializer(case if case is not None else NO_DVR_CASE).data
    return versions.with_etag(Response(body), versions.version_etag(DVR_CASE_KIND, enrollment.pk, body["version"]))


class EnrollmentDvrCase(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.DvrCaseRecordSerializer},
        summary="The client's DVR case (whole-record readers, and DVR staff under an active consent); before "
        "its first save, empty at version 0",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        if not found.full:
            found.require(client_access.DVR_CASE)
        view = "full" if found.full else "dvr"
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view=view, section="dvr")
        return _dvr_case_answer(found.enrollment)

    @extend_schema(
        request=s.DvrCaseWriteSerializer,
        responses={200: s.DvrCaseRecordSerializer},
        summary="Write the DVR case dates (the client's specialist, the IPS supervisor, DVR staff under an active "
        "consent), with the ETag of its GET",
    )
    def put(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.DVR_CASE)
        version = versions.expected_version(request, DVR_CASE_KIND, found.enrollment.pk)
        offices, counselors = client_selectors.dvr_case_choices(found.enrollment)
        form = s.DvrCaseWriteSerializer(data=request.data, offices=offices, counselors=counselors)
        form.is_valid(raise_exception=True)
        with versions.stale_as_412(DVR_CASE_KIND, found.enrollment.pk):
            client_services.dvr_case_save(
                actor=self.person, enrollment=found.enrollment, expected_version=version, **form.validated_data
            )
        return _dvr_case_answer(found.enrollment)


# --- The career profile: each write a new version, the earlier ones kept --------------------------

PROFILE_KIND = "careerprofile"
NO_PROFILE = {
    **dict.fromkeys(client_services.PROFILE_FIELDS, ""),
    "version": 0,
    "reason": "",
    "written_on": None,
    "written_by": None,
}


def _profiles(enrollment: Enrollment) -> QuerySet[CareerProfile]:
    return CareerProfile.objects.filter(enrollment=enrollment).select_related("written_by").order_by("-version")


def _profile_answer(enrollment: Enrollment) -> Response:
    """The newest version (before the first, an empty one at version 0) with its ETag, naming the enrollment."""
    newest = _profiles(enrollment).first()
    body = s.CareerProfileSerializer(newest if newest is not None else NO_PROFILE).data
    return versions.with_etag(Response(body), versions.version_etag(PROFILE_KIND, enrollment.pk, body["version"]))


class EnrollmentCareerProfile(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.CareerProfileSerializer},
        summary="The client's career profile as it is now: its newest version (whole-record readers)",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="full", section="profile")
        return _profile_answer(found.enrollment)

    @extend_schema(
        request=s.CareerProfileWriteSerializer,
        responses={200: s.CareerProfileSerializer},
        summary="Write a new version of the career profile, based on the version read (If-Match); earlier "
        "versions are kept (the client's specialist or the IPS supervisor)",
    )
    def put(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.SERVICES)
        version = versions.expected_version(request, PROFILE_KIND, found.enrollment.pk)
        fields = validated(s.CareerProfileWriteSerializer, request)
        with versions.stale_as_412(PROFILE_KIND, found.enrollment.pk):
            client_services.career_profile_write(
                actor=self.person, enrollment=found.enrollment, expected_version=version, **fields
            )
        return _profile_answer(found.enrollment)


class CareerProfileVersions(ApiMixin, APIView):
    @extend_schema(
        responses={200: s.CareerProfileSerializer(many=True)},
        summary="Every version of the client's career profile, newest first (whole-record readers)",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="full", section="profile")
        return Response(s.CareerProfileSerializer(_profiles(found.enrollment), many=True).data)
