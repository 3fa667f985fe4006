"""Endpoints of the areas: client records, employers and their contacts, jobs, outcome reports.

Same rule as `views.py`: reads start from the area's access layer (`ipshub.clients.access`,
`ipshub.outcomes.access`), writes call the area's services, so the API's messages and audit events are
the web pages' own. Reading client records leaves the same audit events as the web (`client.list`,
`client.list_shared`, `client.view`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from ipshub.api import area_serializers as s
from ipshub.api import filters, import_jobs, versions
from ipshub.api import record_serializers as rs
from ipshub.api.errors import error_body
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.clients import access as client_access
from ipshub.clients import caseload as client_caseload
from ipshub.clients import imports as client_imports
from ipshub.clients import selectors as client_selectors
from ipshub.clients import services as client_services
from ipshub.clients import transfers as client_transfers
from ipshub.clients.models import ContactPurpose, Employer, EmployerContact, Enrollment, Job, Status
from ipshub.lib import imports, tables
from ipshub.outcomes import access as outcome_access
from ipshub.outcomes import selectors as outcome_selectors
from ipshub.outcomes import services as outcome_services
from ipshub.outcomes.models import QuarterlyReport
from ipshub.outcomes.models import Status as ReportStatus
from ipshub.tenancy.access import get_program_for
from ipshub.tenancy.models import Program

WITHHELD = "Client-level records are not shared with the state IPS team; use the program's aggregate figures."


@contextmanager
def _withheld_refused() -> Iterator[None]:
    """The state team asking for client-level records: a 403 that says why (the web shows its
    "not shared with you" page instead)."""
    try:
        yield
    except client_access.RecordsWithheld:
        raise PermissionDenied(WITHHELD) from None


def _client_access(person: Any, enrollment_id: int) -> client_access.ClientAccess:
    with _withheld_refused():
        return client_access.get_client_access(person, enrollment_id)


def _require_client_roles(person: Any) -> None:
    with _withheld_refused():
        client_access.require_client_roles(person)


def _enrollments(queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return queryset.select_related("client", "program", "specialist").prefetch_related(
        Prefetch("jobs", queryset=Job.objects.select_related("employer").order_by("-started_on", "-pk"))
    )


def _in_program(qs: QuerySet[Any], v: int) -> QuerySet[Any]:
    return qs.filter(program_id=v)


ENROLLMENT_FILTERS = (
    filters.Integer("program", "Id of the program.", _in_program),
    filters.Choice("status", "The enrollment's status.", lambda qs, v: qs.filter(status=v), Status.choices),
    filters.Date("referred_since", "Referred on or after this date.", lambda qs, v: qs.filter(referral_date__gte=v)),
    filters.Date("referred_until", "Referred on or before this date.", lambda qs, v: qs.filter(referral_date__lte=v)),
)


# --- Clients --------------------------------------------------------------------------------------


class EnrollmentList(ListView):
    """Client enrollments whose whole record you may read (your caseload, your program's, your agency's,
    or a program under a fidelity review you are on, during its window)."""

    serializer_class = s.EnrollmentSerializer
    filter_params = ENROLLMENT_FILTERS
    ordering_fields = ("referral_date", "status", "client__last_name")

    def get_queryset(self) -> QuerySet[Enrollment]:
        _no_names_in_url(self.request)
        _require_client_roles(self.person)
        visible = client_access.enrollments_visible_to(self.person)
        return _enrollments(visible).order_by("client__last_name", "client__first_name", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        client_services.record_list(actor=self.person, action="client.list", enrollment_ids=ids)
        return response

    @extend_schema(
        request=s.ReferralSerializer,
        responses={201: s.ReferralCreatedSerializer},
        summary="Refer a client to a program (its mental health team or IPS unit)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not client_access.referring_program_ids(self.person).exists():
            raise PermissionDenied("Only a program's mental health team or IPS unit can refer clients to it.")
        enrollment = client_services.referral_create(actor=self.person, **validated(s.ReferralSerializer, request))
        return Response(s.ReferralCreatedSerializer(enrollment).data, status=201)


def _no_names_in_url(request: Request) -> None:
    if request.query_params.get("q"):
        where = request.path.rstrip("/") + "/search/"
        raise exceptions.ValidationError({"q": [f'Names don\'t go in URLs: POST {{"q": ...}} to {where} instead.']})


class SearchByName:
    """POST {"q": "..."} to a client list's /search/: the same list, filtered by words of the name or the
    record number. A POST so that names never travel in a URL (access logs, proxies, history); the other
    filters, the ordering and ?page= stay in the query string (ids, dates and statuses only)."""

    search_words = ""

    def search(self, request: Request) -> Response:
        self.search_words = validated(s.ClientSearchSerializer, request)["q"]
        return self.list(request)  # type: ignore[attr-defined, no-any-return]

    def get_queryset(self) -> QuerySet[Enrollment]:
        return client_selectors.search(super().get_queryset(), self.search_words)  # type: ignore[misc]


class SharedEnrollmentList(ListView):
    """Clients shared with your DVR office by an active consent: the DVR view's fields only."""

    serializer_class = s.DvrEnrollmentRowSerializer
    filter_params = ENROLLMENT_FILTERS
    ordering_fields = ("referral_date", "status", "client__last_name")

    def get_queryset(self) -> QuerySet[Enrollment]:
        _no_names_in_url(self.request)
        _require_client_roles(self.person)
        shared = client_access.dvr_enrollments_visible_to(self.person)
        return shared.select_related("client", "program").order_by("client__last_name", "client__first_name", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        client_services.record_list(actor=self.person, action="client.list_shared", enrollment_ids=ids)
        return response


class EnrollmentSearch(SearchByName, EnrollmentList):
    """Search the client enrollments you may read (the list of GET /clients/) by name or record number."""

    http_method_names = ["post", "options"]  # POST here searches; EnrollmentList's POST (a referral) is not here

    @extend_schema(
        request=s.ClientSearchSerializer,
        responses={200: s.EnrollmentPageSerializer},
        summary="Search your clients by name or record number (the term in the body, never in the URL)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.search(request)


class SharedEnrollmentSearch(SearchByName, SharedEnrollmentList):
    """Search the clients shared with your DVR office by name or record number."""

    http_method_names = ["post", "options"]

    @extend_schema(
        request=s.ClientSearchSerializer,
        responses={200: s.DvrEnrollmentPageSerializer},
        summary="Search the clients shared with your DVR office by name or record number",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.search(request)


def _caseload_choice(key: str, description: str, choices: Any) -> filters.Choice:
    # Checked here (a bad value is a 400 naming it); applied in CaseloadList.get_queryset, as the page does.
    return filters.Choice(key, description, lambda qs, _value: qs, list(choices))


class CaseloadList(ListView):
    """The caseload as its page shows it: the same filters and sorts, and what needs attention and why."""

    serializer_class = s.CaseloadRowSerializer
    filter_backends = [filters.DeclaredFilters]
    filter_params = (
        _caseload_choice("status", "open (the default), all, or one status.", client_caseload.STATUSES),
        filters.Text("specialist", "Id of the employment specialist, or 'none': not yet assigned.", lambda qs, v: qs),
        _caseload_choice("contact", "Days since the last contact.", client_caseload.CONTACT_BUCKETS.items()),
        _caseload_choice("working", "yes or no.", client_caseload.WORKING.items()),
        _caseload_choice("attention", "Needs attention: any or a reason.", client_caseload.ATTENTION_FILTERS.items()),
        _caseload_choice("sort", "A column, - in front to reverse (default: name).", client_caseload.sort_choices()),
    )

    def get_queryset(self) -> Any:
        _require_client_roles(self.person)
        params = self.request.query_params
        specialist = params.get("specialist", "")
        if specialist and not (specialist.isdigit() or specialist == client_caseload.UNASSIGNED):
            raise exceptions.ValidationError({"specialist": ["Use a person's id, or 'none' for not yet assigned."]})
        today = timezone.localdate()
        visible = client_access.enrollments_visible_to(self.person)
        found = client_caseload.Filters.from_query(params)
        return found.apply(client_caseload.annotated(visible, today), today)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = client_caseload.rows_of(page if page is not None else queryset, timezone.localdate())
        shown = [r.enrollment.pk for r in rows]
        client_services.record_list(actor=self.person, action="client.list", enrollment_ids=shown)
        data = s.CaseloadRowSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class EnrollmentTransfer(ApiMixin, APIView):
    """The IPS supervisor moves clients to another employment specialist, as the caseload's transfer does."""

    def _loads(self, programs: Any) -> list[client_caseload.SpecialistLoad]:
        return client_caseload.specialist_loads(client_access.enrollments_visible_to(self.person), programs)

    @extend_schema(
        responses={200: s.TransferTargetsSerializer},
        summary="The specialists you may move clients to, each with their open caseload (IPS supervisors)",
    )
    def get(self, request: Request) -> Response:
        _require_client_roles(self.person)
        programs = Program.objects.filter(pk__in=client_access.supervised_program_ids(self.person))
        return Response(s.TransferTargetsSerializer({"specialists": self._loads(programs)}).data)

    @extend_schema(
        request=s.TransferSerializer,
        responses={200: s.TransferResultSerializer},
        summary="Move several clients to one specialist with a reason: all of them, or none (IPS supervisors)",
    )
    def post(self, request: Request) -> Response:
        _require_client_roles(self.person)
        form = validated(s.TransferSerializer, request)
        wanted = list(dict.fromkeys(form["clients"]))
        found = {
            e.pk: e
            for e in client_access.enrollments_visible_to(self.person)
            .select_related("client", "program", "specialist")
            .filter(pk__in=wanted)
        }
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            raise exceptions.ValidationError({"clients": [f"No client you can see has the id(s) {missing}."]})
        enrollments = [found[pk] for pk in wanted]
        # Only a specialist of these clients' IPS units is named back: an id from elsewhere gets the same answer
        # as an id that does not exist.
        loads = {load.person.pk: load for load in self._loads({e.program for e in enrollments})}
        target = loads.get(form["specialist"])
        if target is None:
            raise exceptions.ValidationError(
                {"specialist": ["No employment specialist with this id works in the IPS unit of these clients."]}
            )
        moved = client_transfers.enrollments_transfer(
            actor=self.person, enrollments=enrollments, specialist=target.person, reason=form["reason"]
        )
        now_open = (
            client_access.enrollments_visible_to(self.person)
            .filter(specialist=target.person)
            .exclude(status=Status.CLOSED)
            .count()
        )
        return Response(
            {"transferred": [e.pk for e in moved], "specialist": target.person.pk, "specialist_open_clients": now_open}
        )


def whole_record(person: Any, enrollment_id: int) -> Response:
    """The whole client record with its ETag; showing it (the client's name) is a read, recorded."""
    enrollment = _enrollments(Enrollment.objects.filter(pk=enrollment_id)).get()
    client_services.record_view(actor=person, enrollment=enrollment, view="full")
    return versions.with_etag(Response(s.EnrollmentSerializer(enrollment).data), versions.etag_of(enrollment))


class EnrollmentDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.EnrollmentSerializer},
        summary="One client's enrollment: the whole record, or for DVR staff under an active consent the DVR "
        "view's fields (id, first_name, last_name, birth_date, program_name, specialist_name, specialist_email, "
        "status, referral_date, consent_expires_on, dvr_case, jobs)",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        if found.full:
            return self._whole_record(found.enrollment.pk)
        found.require(client_access.DVR_VIEW)
        page = client_selectors.dvr_client_page(found.enrollment, self.person, timezone.localdate())
        client_services.record_view(actor=self.person, enrollment=found.enrollment, view="dvr")
        return Response(s.DvrEnrollmentSerializer(page).data)

    def _whole_record(self, enrollment_id: int) -> Response:
        return whole_record(self.person, enrollment_id)

    @extend_schema(
        request=s.EnrollmentAssignSerializer,
        responses={200: s.EnrollmentSerializer},
        summary="Assign the client to an employment specialist, or transfer them with a reason (the IPS "
        "supervisor), as the record's Assign page does",
    )
    def patch(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.ASSIGN)
        version = versions.expected_version_of(request, found.enrollment)
        form = validated(s.EnrollmentAssignSerializer, request)
        wanted = form["specialist"]
        # Only a specialist of this client's IPS unit is named back: any other id gets the same answer.
        specialist = client_access.assignable_specialists(found.enrollment.program).filter(pk=wanted).first()
        if specialist is None:
            raise exceptions.ValidationError(
                {"specialist": ["No employment specialist with this id works in this client's IPS unit."]}
            )
        with versions.stale_record_as_412(found.enrollment):
            client_services.enrollment_assign(
                actor=self.person,
                enrollment=found.enrollment,
                specialist=specialist,
                reason=form["reason"],
                expected_version=version,
            )
        return self._whole_record(found.enrollment.pk)


class EnrollmentJobs(ApiMixin, APIView):
    @extend_schema(responses={200: s.JobSerializer(many=True)}, summary="The client's jobs (whole-record readers)")
    def get(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.READ)
        jobs = Job.objects.filter(enrollment_id=found.enrollment.pk).select_related("employer")
        return Response(s.JobSerializer(jobs.order_by("-started_on", "-pk"), many=True).data)

    @extend_schema(
        request=s.JobStartSerializer,
        responses={201: s.JobSerializer},
        summary="Record a job the client started (their employment specialist or the IPS supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        found = _client_access(self.person, enrollment_id)
        found.require(client_access.SERVICES)
        job = client_services.job_start(
            actor=self.person, enrollment=found.enrollment, **validated(s.JobStartSerializer, request)
        )
        return Response(s.JobSerializer(Job.objects.select_related("employer").get(pk=job.pk)).data, status=201)


# --- Jobs -----------------------------------------------------------------------------------------


class JobList(ListView):
    """Jobs of the clients whose whole record you may read."""

    serializer_class = s.JobSerializer
    filter_params = (
        filters.Integer("program", "Id of the program.", lambda qs, v: qs.filter(enrollment__program_id=v)),
        filters.Integer("enrollment", "Id of the client's enrollment.", lambda qs, v: qs.filter(enrollment_id=v)),
        filters.Integer("employer", "Id of the employer.", lambda qs, v: qs.filter(employer_id=v)),
        filters.Boolean(
            "current", "Jobs going on (true) or ended (false).", lambda qs, v: qs.filter(ended_on__isnull=v)
        ),
        filters.Date("started_since", "Started on or after this date.", lambda qs, v: qs.filter(started_on__gte=v)),
        filters.Date("started_until", "Started on or before this date.", lambda qs, v: qs.filter(started_on__lte=v)),
    )
    ordering_fields = ("started_on", "ended_on", "hourly_wage", "hours_per_week")

    def get_queryset(self) -> QuerySet[Job]:
        _require_client_roles(self.person)
        visible = client_access.enrollments_visible_to(self.person)
        return Job.objects.filter(enrollment__in=visible).select_related("employer").order_by("-started_on", "-pk")


class JobDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.JobSerializer}, summary="One job")
    def get(self, request: Request, job_id: int) -> Response:
        with _withheld_refused():
            _found, job = client_access.get_job_for(self.person, job_id)
        return versions.with_etag(Response(s.JobSerializer(job).data), versions.etag_of(job))


def _job_step(person: Any, request: Request, job_id: int, form_class: type[Serializer[Any]], step: Any) -> Response:
    """A step of a job's life (a change, its end): the same access, check and answer; `step` the service."""
    with _withheld_refused():
        found, job = client_access.get_job_for(person, job_id)
    found.require(client_access.SERVICES)
    fields = validated(form_class, request)
    job.enrollment = found.enrollment
    step(actor=person, job=job, **fields)
    return Response(s.JobSerializer(Job.objects.select_related("employer").get(pk=job.pk)).data)


class JobChange(ApiMixin, APIView):
    @extend_schema(
        request=s.JobChangeSerializer,
        responses={200: s.JobSerializer},
        summary="Record a change of hours, pay or title (the client's employment specialist or the IPS supervisor)",
    )
    def post(self, request: Request, job_id: int) -> Response:
        return _job_step(self.person, request, job_id, s.JobChangeSerializer, client_services.job_change)


class JobEnd(ApiMixin, APIView):
    @extend_schema(
        request=s.JobEndSerializer,
        responses={200: s.JobSerializer},
        summary="Record that a job ended (the client's employment specialist or the IPS supervisor)",
    )
    def post(self, request: Request, job_id: int) -> Response:
        return _job_step(self.person, request, job_id, s.JobEndSerializer, client_services.job_end)


# --- Employers and employer contacts --------------------------------------------------------------


class EmployerList(ListView):
    serializer_class = s.EmployerSerializer
    filter_params = (
        filters.Text(
            "q",
            "Part of the employer's name or industry.",
            lambda qs, v: qs.filter(Q(name__icontains=v) | Q(industry__icontains=v)),
        ),
        filters.Integer("program", "Id of the program.", _in_program),
    )
    ordering_fields = ("name", "created_at")

    def get_queryset(self) -> QuerySet[Employer]:
        return client_access.employers_visible_to(self.person).select_related("program").order_by("name", "pk")

    @extend_schema(
        request=rs.EmployerWriteSerializer,
        responses={201: s.EmployerSerializer},
        summary="Add an employer to a program's registry (the program's IPS unit)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_client_roles(self.person)
        programs = client_access.job_developer_programs(self.person)
        if not programs.exists():
            raise PermissionDenied("Only the program's IPS supervisor and employment specialists can do this.")
        form = rs.EmployerWriteSerializer(data=request.data, programs=programs)
        form.is_valid(raise_exception=True)
        employer = client_services.employer_create(actor=self.person, **form.validated_data)
        return Response(
            s.EmployerSerializer(Employer.objects.select_related("program").get(pk=employer.pk)).data, status=201
        )


class EmployerDetail(OneObject, ApiMixin, generics.RetrieveAPIView[Employer]):
    serializer_class = s.EmployerSerializer

    def get_object(self) -> Employer:
        return client_access.get_employer_for(self.person, self.kwargs["employer_id"])

    @extend_schema(
        request=rs.EmployerUpdateSerializer,
        responses={200: s.EmployerSerializer},
        summary="Change an employer's details (the program's IPS unit), with the ETag of its GET",
    )
    def patch(self, request: Request, employer_id: int) -> Response:
        employer = self.get_object()
        client_access.require_job_developer(self.person, employer.program)  # 403 before 428
        versions.require_if_match(request)
        changes = validated(rs.EmployerUpdateSerializer, request)
        rows = Employer.objects.filter(pk=employer.pk).select_related("program")
        with transaction.atomic():
            current = versions.locked_current(request, rows, lambda e: s.EmployerSerializer(e).data)
            client_services.employer_update(actor=self.person, employer=current, **changes)
        return Response(s.EmployerSerializer(rows.get()).data)


class EmployerContactList(ListView):
    serializer_class = s.EmployerContactSerializer
    filter_params = (
        filters.Integer("program", "Id of the program.", _in_program),
        filters.Integer("employer", "Id of the employer.", lambda qs, v: qs.filter(employer_id=v)),
        filters.Integer("specialist", "Id of the specialist.", lambda qs, v: qs.filter(specialist_id=v)),
        filters.Choice(
            "purpose", "Why the contact was made.", lambda qs, v: qs.filter(purpose=v), ContactPurpose.choices
        ),
        filters.Date("since", "Contacts on or after this date.", lambda qs, v: qs.filter(contacted_on__gte=v)),
        filters.Date("until", "Contacts on or before this date.", lambda qs, v: qs.filter(contacted_on__lte=v)),
    )
    ordering_fields = ("contacted_on",)
    keys_first = True

    def get_queryset(self) -> QuerySet[EmployerContact]:
        contacts = client_access.employer_contacts_visible_to(self.person)
        return contacts.select_related("program", "employer", "specialist").order_by("-contacted_on", "-pk")

    @extend_schema(
        request=s.EmployerContactWriteSerializer,
        responses={201: s.EmployerContactSerializer},
        summary="Log a contact with an employer (the program's IPS unit)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not client_access.job_developer_programs(self.person).exists():
            raise PermissionDenied("Only the program's IPS supervisor and employment specialists can do this.")
        contact = client_services.employer_contact_log(
            actor=self.person, **validated(s.EmployerContactWriteSerializer, request)
        )
        created = EmployerContact.objects.select_related("program", "employer", "specialist").get(pk=contact.pk)
        return Response(s.EmployerContactSerializer(created).data, status=201)


# --- Outcome reports ------------------------------------------------------------------------------


class OutcomeReportList(ListView):
    """Quarterly outcome reports of the programs you see (aggregate figures, never client data)."""

    serializer_class = s.OutcomeReportSerializer
    filter_params = (
        filters.Integer("program", "Id of the program.", _in_program),
        filters.Integer("year", "The year.", lambda qs, v: qs.filter(year=v)),
        filters.Integer("quarter", "The quarter, 1 to 4.", lambda qs, v: qs.filter(quarter=v)),
        filters.Text("definition_code", "The outcome definition.", lambda qs, v: qs.filter(definition_code=v)),
        filters.Choice("status", "The report's status.", lambda qs, v: qs.filter(status=v), ReportStatus.choices),
        filters.Boolean(
            "is_current",
            "Only the latest version of each quarter (true) or only earlier ones (false).",
            lambda qs, v: qs.filter(is_current=v),
        ),
    )
    ordering_fields = ("year", "quarter", "due_on", "updated_at")

    def get_queryset(self) -> QuerySet[QuarterlyReport]:
        reports = outcome_access.reports_visible_to(self.person)
        return reports.select_related("program", "submitted_by").order_by("-year", "-quarter", "program__name", "pk")

    @extend_schema(
        request=s.OutcomeFiguresSerializer,
        responses={201: s.OutcomeReportSerializer, 200: s.OutcomeReportSerializer},
        summary="Enter a quarter's outcome figures (201 a new draft, 200 the current draft's figures replaced); "
        "submit: true also submits it",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.OutcomeFiguresSerializer, request)
        program, submit = data.pop("program"), data.pop("submit")
        early = {k: data.pop(k) for k in ("submit_early", "early_reason")}
        period = {k: data.pop(k) for k in ("year", "quarter", "definition_code")}
        outcome_access.require_writer(self.person, program)
        existing = outcome_selectors.current_report(program, **period)
        report = outcome_services.report_save(actor=self.person, program=program, figures=data, **period)
        if submit:
            report = outcome_services.report_submit(actor=self.person, report=report, **early)
        saved = QuarterlyReport.objects.select_related("program", "submitted_by").get(pk=report.pk)
        status = 200 if existing is not None and existing.pk == report.pk else 201
        return Response(s.OutcomeReportSerializer(saved).data, status=status)


class OutcomeReportDetail(OneObject, ApiMixin, generics.RetrieveAPIView[QuarterlyReport]):
    serializer_class = s.OutcomeReportSerializer

    def get_object(self) -> QuarterlyReport:
        report = outcome_access.get_report_for(self.person, self.kwargs["report_id"])
        return QuarterlyReport.objects.select_related("program", "submitted_by").get(pk=report.pk)


class OutcomeReportSubmit(ApiMixin, APIView):
    @extend_schema(
        request=s.OutcomeSubmitSerializer,
        responses={200: s.OutcomeReportSerializer},
        summary="Submit a draft report (a quarter still in progress: submit_early with a reason)",
    )
    def post(self, request: Request, report_id: int) -> Response:
        report = outcome_access.get_report_for(self.person, report_id)
        outcome_services.report_submit(
            actor=self.person, report=report, **validated(s.OutcomeSubmitSerializer, request)
        )
        saved = QuarterlyReport.objects.select_related("program", "submitted_by").get(pk=report.pk)
        return Response(s.OutcomeReportSerializer(saved).data)


# --- Bulk exchange: CSV/XLSX import and export of one program's records ---------------------------

IMPORT_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary", "description": "A .csv or .xlsx file."}},
        "required": ["file"],
        "additionalProperties": False,
    }
}
MODES = (("dry_run", "check only"), ("all", "every row or none"), ("good", "only the good rows"))
FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAM_PARAM = OpenApiParameter(
    "program",
    OpenApiTypes.INT,
    description="Id of the program whose records these are; may be left out by the IPS unit of just one program.",
)


def _program_param(request: Request, person: Any) -> Any:
    raw = request.query_params.get("program", "")
    value = filters.Integer("program", "", lambda qs, v: qs).parse(raw) if raw else None
    if value is None:
        # Left out: the one program whose records the person keeps, if there is just one.
        mine = list(client_access.job_developer_programs(person)[:2])
        if len(mine) != 1:
            raise exceptions.ValidationError({"program": ["Give the program's id: ?program=12."]})
        return mine[0]
    return get_program_for(person, value)


class ImportView(ApiMixin, APIView):
    """Import a CSV/XLSX file of one program's records (see docs/api.md, "Import a spreadsheet")."""

    kind = "clients"
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=IMPORT_BODY,
        parameters=[
            PROGRAM_PARAM,
            OpenApiParameter(
                "mode",
                OpenApiTypes.STR,
                enum=[m for m, _ in MODES],
                description="dry_run (default): check every row and write nothing; all: import every row, or none "
                "if any is bad (400); good: import the good rows and list the bad ones.",
            ),
        ],
        responses={200: s.ImportResultSerializer},
        summary="Import a CSV or XLSX file (referrals, employer contacts or jobs)",
    )
    def post(self, request: Request) -> Response:
        program = _program_param(request, self.person)
        mode = filters.Choice("mode", "", lambda qs, v: qs, MODES).parse(request.query_params.get("mode", "dry_run"))
        refuse_unknown(request.data, ("file",))
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": ["Send the file as the form field 'file'."]})
        client_imports.require_importer(self.person, program, self.kind)
        try:
            table = tables.read_table(upload.read(tables.MAX_BYTES + 1), upload.name or "")
            result = client_imports.import_file(
                actor=self.person,
                program=program,
                kind=self.kind,
                table=table,
                mode=mode,
                clean=import_jobs.row_cleaner(self.person),
            )
        except (tables.TableProblem, imports.FileProblem) as exc:
            raise exceptions.ValidationError({"file": [str(exc)]}) from None
        body = s.ImportResultSerializer(result).data
        if mode == "all" and result.errors:
            fields = {f"row {e.row}: {e.column}": [e.message] for e in result.errors}
            message = f"{result.bad_rows} of {result.rows} rows are not valid: nothing was imported."
            return Response(error_body(400, "invalid", message, fields), status=400)
        return Response(body)


class ExportView(ApiMixin, APIView):
    """One program's records in the import's columns: importing the file again changes nothing."""

    kind = "clients"

    @extend_schema(
        parameters=[
            PROGRAM_PARAM,
            OpenApiParameter(
                "file_format", OpenApiTypes.STR, enum=["csv", "xlsx"], description="csv (default) or xlsx."
            ),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
        summary="Export a program's records as CSV or XLSX (the import's columns)",
    )
    def get(self, request: Request) -> HttpResponse:
        program = _program_param(request, self.person)
        file_format = filters.Choice("file_format", "", lambda qs, v: qs, FORMATS).parse(
            request.query_params.get("file_format", "csv")
        )
        client_imports.require_importer(self.person, program, self.kind)
        rows = client_imports.export_rows(self.person, program, self.kind)
        return client_imports.export_response(self.kind, rows, program, file_format)
