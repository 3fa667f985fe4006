"""The DVR area through the API, one operation per thing a person does on the web's DVR pages (dvr/urls.py):
the authorizations list and page; authorize a service for a shared client; extend; the provider's deliverable
report; the counselor's review; mark the payment made; log a billable service; the program's billing and
money, the state's money; the state's service catalog.

Each operation makes the web view's access call (`ipshub.dvr.access`: 404 for "not found" and "not yours"), its
`require_*` check before the body is read (403 for a person who may see but not do: a provider's staff extending,
the counselor writing the report), checks the body's shape, and calls the same service function as the web view:
the service validates (its messages are the API's 400s, on the field they name) and records the audit event.

Authorizing is `POST /clients/{id}/dvr-authorizations/`, like the web's `dvr/clients/{id}/authorize/`: the client
record in the path is what the access call checks (the DVR view under an active consent), so another agency's or
state's client is a 404 by its URL, as every other write on a client record."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import dvr_serializers as s
from ipshub.api import filters, versions
from ipshub.api.area_serializers import ClientSearchSerializer, page_of
from ipshub.api.area_views import _no_names_in_url, _withheld_refused
from ipshub.api.inputs import validated
from ipshub.api.pagination import PageNumberPagination, page_size_schema
from ipshub.api.record_views import RecordPart
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.clients import services as client_services
from ipshub.dvr import access, rules, selectors, services
from ipshub.dvr.models import Authorization, BillableUnit, DeliverableReport
from ipshub.tenancy.access import can_manage_programs
from ipshub.tenancy.models import Organization, Person, State

AUTHORIZATION = {200: s.DvrAuthorizationDetailSerializer}


def _one(person: Person, authorization_id: int) -> Authorization:
    return access.get_authorization_for(person, authorization_id)


def authorization_data(person: Person, authorization: Authorization) -> Any:
    """The authorization as its web page shows it (dvr.views.authorization_detail), with the same `can_*`."""
    report = DeliverableReport.objects.filter(authorization=authorization).select_related("submitted_by").first()
    reviews = list(report.reviews.select_related("by").order_by("created_at", "pk")) if report else []
    milestone = getattr(authorization, "milestone", None)
    is_dvr = access.is_dvr_for(person, authorization)
    is_provider = access.is_provider_for(person, authorization)
    is_open = authorization.status == Authorization.Status.OPEN
    client = authorization.enrollment.client
    return s.DvrAuthorizationDetailSerializer(
        {
            "id": authorization.pk,
            "enrollment": authorization.enrollment_id,
            "client_first_name": client.first_name,
            "client_last_name": client.last_name,
            "program": authorization.program,
            "dvr_office": authorization.dvr_office,
            "provider": authorization.provider,
            "counselor": authorization.counselor,
            "catalog_version": authorization.catalog.version,
            "service_code": authorization.service_code,
            "service_name": authorization.service_name,
            "report_kind": authorization.report_kind,
            "time_frame": authorization.time_frame,
            "payment_rule": authorization.payment_rule,
            "payment_text": rules.describe_payment(authorization.payment_rule),
            "number": authorization.number,
            "starts_on": authorization.starts_on,
            "ends_on": authorization.ends_on,
            "units": authorization.units,
            "amount": authorization.amount,
            "status": authorization.status,
            "created_at": authorization.created_at,
            "due_on": selectors.due_on(authorization),
            "expired": authorization.ends_on < timezone.localdate(),
            "report": report,
            "reviews": reviews,
            "milestone": milestone,
            "extensions": list(authorization.extensions.select_related("by").order_by("created_at", "pk")),
            "can_report": is_provider
            and is_open
            and (report is None or report.status == DeliverableReport.Status.RETURNED),
            "can_review": is_dvr and report is not None and report.status == DeliverableReport.Status.SUBMITTED,
            "can_extend": is_dvr and is_open,
            "can_pay": is_dvr and milestone is not None and milestone.paid_on is None,
        }
    ).data


def _answer(person: Person, authorization_id: int, status: int = 200) -> Response:
    """The authorization as it is now (read again: a step changes its status, dates, report, milestone)."""
    fresh = Authorization.objects.select_related(
        "enrollment__client", "program", "dvr_office", "provider", "counselor", "catalog", "milestone"
    ).get(pk=authorization_id)
    return Response(authorization_data(person, fresh), status=status)


# --- The list ------------------------------------------------------------------------------------------

STATUS_FILTERS = (("open", "Open"), ("earned", "Report accepted"), ("all", "All"))


def _status(qs: QuerySet[Authorization], value: str) -> QuerySet[Authorization]:
    return qs if value == "all" else qs.filter(status=value)


class AuthorizationList(ListView):
    """The authorizations you see (the web's DVR list): your DVR office's under an active consent; the
    provider's (its IPS supervisor), or those of your own caseload (an employment specialist)."""

    serializer_class = s.DvrAuthorizationRowSerializer
    filter_params = (
        filters.Choice(
            "status", "open (the default, as on the web), earned (report accepted) or all.", _status, STATUS_FILTERS
        ),
        filters.Integer("program", "Id of the program.", lambda qs, v: qs.filter(program_id=v)),
        filters.Integer("enrollment", "Id of the client record.", lambda qs, v: qs.filter(enrollment_id=v)),
    )
    ordering_fields = ("ends_on", "starts_on", "created_at")
    search_words = ""

    def get_queryset(self) -> QuerySet[Authorization]:
        _no_names_in_url(self.request)
        items = access.authorizations_visible_to(self.person)
        if not self.request.query_params.get("status"):
            items = items.filter(status=Authorization.Status.OPEN)  # the web list's default
        if self.search_words:
            items = items.filter(
                Q(enrollment__client__last_name__icontains=self.search_words)
                | Q(enrollment__client__first_name__icontains=self.search_words)
                | Q(service_name__icontains=self.search_words)
            )
        return items.select_related("enrollment__client", "program", "dvr_office", "report").order_by("ends_on", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = sorted({row["enrollment"] for row in response.data["results"]})
        if ids:
            client_services.record_list(actor=self.person, action="client.list_dvr_authorizations", enrollment_ids=ids)
        return response

    @extend_schema(summary="DVR authorizations you see (open ones unless `status` says otherwise)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AuthorizationSearch(AuthorizationList):
    http_method_names = ["post", "options"]

    @extend_schema(
        request=ClientSearchSerializer,
        responses={200: page_of(s.DvrAuthorizationRowSerializer, "DvrAuthorizationPageSerializer")},
        summary="Search the DVR authorizations you see by the client's name or the service (the words in the body)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.search_words = validated(ClientSearchSerializer, request)["q"].strip()
        return self.list(request)


# --- One authorization and its steps -------------------------------------------------------------------


class AuthorizationDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses=AUTHORIZATION,
        summary="One DVR authorization: the service, its report and the counselor's decisions, the payment "
        "milestone, the extensions, and what you may do next (`can_*`)",
    )
    def get(self, request: Request, authorization_id: int) -> Response:
        authorization = _one(self.person, authorization_id)
        client_services.record_view(actor=self.person, enrollment=authorization.enrollment, view="dvr_authorization")
        return _answer(self.person, authorization.pk)


class EnrollmentAuthorize(ApiMixin, APIView):
    @extend_schema(
        request=s.DvrAuthorizeSerializer,
        responses={201: s.DvrAuthorizationDetailSerializer},
        summary="Authorize a service of the state's catalog for a client shared with your DVR office (DVR "
        "counselors and supervisors, under the client's active consent)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        with _withheld_refused():
            found = access.get_authorizable_for(self.person, enrollment_id)
        enrollment = found.enrollment
        data = validated(s.DvrAuthorizeSerializer, request)
        offices = access.consented_offices(self.person, enrollment.client_id)
        office_id = data.pop("dvr_office")
        if office_id is None and len(offices) == 1:
            office_id = offices[0]
        if office_id not in offices:
            which = "" if office_id is None else f" (no id {office_id} among those you can choose)"
            raise ValidationError({"dvr_office": f"Choose your DVR office that the client shares with{which}."})
        authorization = services.authorization_create(
            actor=self.person, enrollment=enrollment, dvr_office=Organization.objects.get(pk=office_id), **data
        )
        return _answer(self.person, authorization.pk, status=201)


class AuthorizationExtend(ApiMixin, APIView):
    @extend_schema(
        request=s.DvrExtendSerializer,
        responses=AUTHORIZATION,
        summary="Extend an open authorization: a later end date and/or more units, with the reason (the DVR "
        "office that made it)",
    )
    def post(self, request: Request, authorization_id: int) -> Response:
        authorization = _one(self.person, authorization_id)
        access.require_dvr_staff(self.person, authorization)
        data = validated(s.DvrExtendSerializer, request)
        services.authorization_extend(actor=self.person, authorization=authorization, **data)
        return _answer(self.person, authorization.pk)


def _not_taken(kind: str) -> list[str]:
    """The report fields a report of this kind does not take (the web's report form leaves them out)."""
    fields = [] if kind in ("hire", "retention") else list(s.JOB_FIELDS)
    return fields if kind == "retention" else [*fields, "still_employed"]


DRAFT_FIELDS = (*services.REPORT_FIELDS, "job")


def _report_draft(authorization: Authorization) -> Any:
    initial = services.report_initial(authorization, timezone.localdate())
    empty: dict[str, Any] = {"summary": "", "employer_name": "", "job_title": ""}
    for name in _not_taken(authorization.report_kind):
        initial.pop(name, None)
    return s.DvrReportDraftSerializer({name: initial.get(name, empty.get(name)) for name in DRAFT_FIELDS}).data


class ReportSubmit(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.DvrReportDraftSerializer},
        summary="What the report starts with, as on the web's report page: the saved report, or for a hire or "
        "retention report the client's job found during the authorization (the provider)",
    )
    def get(self, request: Request, authorization_id: int) -> Response:
        authorization = _one(self.person, authorization_id)
        access.require_provider_staff(self.person, authorization)
        client_services.record_view(actor=self.person, enrollment=authorization.enrollment, view="dvr_report")
        return Response(_report_draft(authorization))

    @extend_schema(
        request=s.DvrReportWriteSerializer,
        responses=AUTHORIZATION,
        summary="Submit the deliverable report to the DVR counselor, or re-submit a returned one corrected (the "
        "client's employment specialist or the provider's IPS supervisor)",
    )
    def post(self, request: Request, authorization_id: int) -> Response:
        authorization = _one(self.person, authorization_id)
        access.require_provider_staff(self.person, authorization)
        data = validated(s.DvrReportWriteSerializer, request)
        kind = authorization.report_kind
        refused = {f: [f"A {rules.REPORT_KINDS[kind].lower()} does not take this field."] for f in _not_taken(kind)}
        # A value for one (null or empty is "not given", as the GET above shows them) is refused.
        refused = {f: message for f, message in refused.items() if data.get(f) not in (None, "")}
        if refused:
            raise exceptions.ValidationError(refused)
        services.report_submit(actor=self.person, authorization=authorization, data=data)
        return _answer(self.person, authorization.pk)


class AuthorizationReview(ApiMixin, APIView):
    @extend_schema(
        request=s.DvrReviewWriteSerializer,
        responses=AUTHORIZATION,
        summary="Accept the submitted report (the payment milestone is earned) or return it with comments (the "
        "DVR office that made the authorization)",
    )
    def post(self, request: Request, authorization_id: int) -> Response:
        authorization = _one(self.person, authorization_id)
        access.require_dvr_staff(self.person, authorization)
        data = validated(s.DvrReviewWriteSerializer, request)
        services.report_review(
            actor=self.person,
            authorization=authorization,
            accept=data["decision"] == "accept",
            comments=data["comments"],
        )
        return _answer(self.person, authorization.pk)


class MilestonePaid(ApiMixin, APIView):
    @extend_schema(
        request=s.DvrPaidSerializer,
        responses=AUTHORIZATION,
        summary="Mark the earned payment milestone paid (the DVR office that made the authorization)",
    )
    def post(self, request: Request, authorization_id: int) -> Response:
        authorization = _one(self.person, authorization_id)
        access.require_dvr_staff(self.person, authorization)
        data = validated(s.DvrPaidSerializer, request)
        services.milestone_mark_paid(actor=self.person, authorization=authorization, paid_on=data["paid_on"])
        return _answer(self.person, authorization.pk)


# --- Billable units --------------------------------------------------------------------------------------


class EnrollmentBillableUnits(RecordPart):
    """A client's billable services: whole-record readers read them; those who record services on the client
    (the client's specialist, the IPS supervisor) log one, as on the web's "Log a billable service"."""

    section = "billable_units"
    output = s.DvrBillableUnitSerializer
    write = s.DvrBillableUnitWriteSerializer

    def rows(self, enrollment_id: int) -> QuerySet[BillableUnit]:
        units = BillableUnit.objects.filter(enrollment_id=enrollment_id).select_related("by")
        return units.order_by("-service_on", "-pk")

    def save(self, **fields: Any) -> BillableUnit:
        return services.billable_unit_create(**fields)

    @extend_schema(
        responses={200: s.DvrBillableUnitSerializer(many=True)},
        summary="The client's billable services (Medicaid and other funding), newest first",
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        return self._list(enrollment_id)

    @extend_schema(
        request=s.DvrBillableUnitWriteSerializer,
        responses={201: s.DvrBillableUnitSerializer},
        summary="Log a billable service: minutes become 15-minute units (the client's specialist or the IPS "
        "supervisor)",
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        return self._create(request, enrollment_id)


MONTH = OpenApiParameter("month", OpenApiTypes.STR, description="The month, YYYY-MM; this month when left out.")
PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the month's lines.")
PAGE_SIZE = OpenApiParameter("page_size", page_size_schema(), description="Lines per page (25; at most 100).")


class ProgramBilling(ApiMixin, APIView):
    @extend_schema(
        parameters=[MONTH, PAGE, PAGE_SIZE],
        responses={200: s.DvrBillingSerializer},
        summary="The program's billing of a month: its billable services with the client (a page of them) and the "
        "funding mix (the program's IPS supervisor and mental health director)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_billing_program_for(self.person, program_id)
        month = request.query_params.get("month") or timezone.localdate().strftime("%Y-%m")
        bounds = selectors.month_bounds(month) if len(month) == 7 else None
        if bounds is None:
            example = timezone.localdate().strftime("%Y-%m")
            raise exceptions.ValidationError(
                {"month": [f"“{month[:40]}” is not a month; use the form YYYY-MM, e.g. {example}."]}
            )
        units = BillableUnit.objects.filter(program=program, service_on__range=bounds)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.billing_rows(units), request, view=self) or []
        assert paginator.page is not None  # the paginator has a page size: it always pages
        if page:
            client_services.record_list(
                actor=self.person, action="dvr.billing_list", enrollment_ids=sorted({u.enrollment_id for u in page})
            )
        body = {
            "program": program,
            "month": month,
            "funding_mix": selectors.funding_mix(BillableUnit.objects.filter(program=program)),
            "month_funding_mix": selectors.funding_mix(units),
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": page,
        }
        return Response(s.DvrBillingSerializer(body).data)


# --- Money ---------------------------------------------------------------------------------------------


class ProgramMoney(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.DvrProgramMoneySerializer},
        summary="The program's DVR money by service and quarter: authorized, earned, paid (the state team; the "
        "program's IPS supervisor, mental health director and DVR offices)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_money_program_for(self.person, program_id)
        rows, total = selectors.money(Authorization.objects.filter(program=program))
        return Response(s.DvrProgramMoneySerializer({"program": program, "rows": rows, "total": total}).data)


class StateMoney(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.DvrStateMoneySerializer},
        summary="The state's DVR money by service and quarter: authorized, earned, paid (the state IPS team)",
    )
    def get(self, request: Request, state_id: int) -> Response:
        state = access.get_money_state_for(self.person, state_id)
        rows, total = selectors.money(Authorization.objects.filter(program__state=state))
        return Response(s.DvrStateMoneySerializer({"state": state, "rows": rows, "total": total}).data)


# --- The state's service catalog ------------------------------------------------------------------------

CATALOG_KIND = "dvrcatalog"


def _catalog_answer(person: Person, state: State) -> Response:
    """The state's newest catalog version, with its ETag (it names the state: each save is the next version)."""
    current = services.catalog_current(state)
    described = [
        {
            "code": service["code"],
            "name": service["name"],
            "purpose": service.get("purpose") or "",
            "report": service["report"],
            "report_label": rules.REPORT_KINDS[service["report"]],
            "time_frame": service["time_frame"],
            "payment": service["payment"],
            "payment_text": rules.describe_payment(service["payment"]),
        }
        for service in current.data["services"]
    ]
    body = s.DvrCatalogSerializer(
        {
            "state": state,
            "version": current.version,
            "note": current.note,
            "created_at": current.created_at,
            "created_by": current.created_by,
            "text": selectors.catalog_text(current),
            "services": described,
            "can_edit": can_manage_programs(person, state.pk),
        }
    ).data
    return versions.with_etag(Response(body), versions.version_etag(CATALOG_KIND, state.pk, current.version))


class StateCatalog(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.DvrCatalogSerializer},
        summary="The state's DVR service catalog as it is now: its newest version (the state IPS team and the "
        "state's DVR offices)",
    )
    def get(self, request: Request, state_id: int) -> Response:
        state = access.get_catalog_state_for(self.person, state_id)
        return _catalog_answer(self.person, state)

    @extend_schema(
        request=s.DvrCatalogWriteSerializer,
        responses={200: s.DvrCatalogSerializer},
        summary="Save the edited catalog as its next version, based on the version read (If-Match); "
        "authorizations keep the version they were made under (the state IPS team)",
    )
    def put(self, request: Request, state_id: int) -> Response:
        state = access.get_catalog_state_for(self.person, state_id)
        access.require_catalog_editor(self.person, state)  # 403 before 428
        versions.require_if_match(request)
        data = validated(s.DvrCatalogWriteSerializer, request)
        services.catalog_current(state)  # the default becomes version 1 first, so an edit always names a version
        expected = versions.expected_version(request, CATALOG_KIND, state.pk)
        with versions.stale_as_412(CATALOG_KIND, state.pk):
            services.catalog_update(actor=self.person, state=state, expected_version=expected, **data)
        return _catalog_answer(self.person, state)
