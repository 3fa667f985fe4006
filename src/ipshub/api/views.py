"""The API's endpoints. Each one reads through the same access layer as the web pages
(`ipshub.tenancy.access`, `ipshub.oversight.access`) and writes through the same service functions.

Rule for every endpoint (see docs/api.md, "Adding an endpoint"):
- lists: `get_queryset()` starts from an `*_visible_to(person)`;
- one object: `get_object()` is a `get_*_for(person, id)` (404 for "not found" and "not yours");
- writes: validate the shape with a serializer, then call the service (`<entity>_<verb>(actor=...)`),
  which checks permission (403), validates (400) and records the audit event.
"""

from typing import Any, ClassVar

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import filters, serializers, versions
from ipshub.api.versions import OneObject
from ipshub.catalog import models as catalog
from ipshub.catalog import selectors as catalog_selectors
from ipshub.lib.pagination import rows_in_order
from ipshub.oversight.access import events_visible_to
from ipshub.tenancy import access, selectors, services
from ipshub.tenancy.models import Membership, Organization, Person, Phase, Program
from ipshub.tenancy.roles import OrgKind, Role


class ApiMixin:
    """Marks the view for the URL walk: `scoped` (reads through the access layer) or `non_tenant`."""

    ipshub_access: ClassVar[str] = "scoped"

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)  # type: ignore[misc]
        view.ipshub_access = cls.ipshub_access
        view.ipshub_api = True
        return view

    @property
    def person(self) -> Person:
        return self.request.user  # type: ignore[attr-defined, no-any-return]


class ListView(ApiMixin, generics.ListAPIView[Any]):  # each list sets its own model
    filter_backends = [filters.DeclaredFilters, filters.Ordering]
    filter_params: ClassVar[tuple[filters.Param, ...]] = ()
    ordering_fields: ClassVar[tuple[str, ...]] = ()
    # Page over primary keys first, then load the page's rows (see lib.pagination.paginate): for the
    # big tables, whose related rows would otherwise be joined in full before the sort and limit.
    keys_first: ClassVar[bool] = False

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        if not self.keys_first:
            return super().paginate_queryset(queryset)
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return None if keys is None else rows_in_order(queryset, list(keys))


# --- Who am I -------------------------------------------------------------------------------------


class MeView(ApiMixin, APIView):
    @extend_schema(responses=serializers.TokenOwnerSerializer, summary="The person the token acts as")
    def get(self, request: Request) -> Response:
        person = selectors.with_memberships(Person.objects.filter(pk=self.person.pk)).get()
        token = request.auth
        return Response(serializers.TokenOwnerSerializer({"person": person, "token": getattr(token, "name", "")}).data)


class MeLanguage(ApiMixin, APIView):
    ipshub_access = "non_tenant"  # the person's own setting, no tenant's record

    @extend_schema(
        request=serializers.LanguageSerializer,
        responses=serializers.LanguageSerializer,
        summary="Choose the language of your own interface (applies from the next page or request)",
    )
    def post(self, request: Request) -> Response:
        form = serializers.LanguageSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        person = services.person_language_set(person=self.person, language=form.validated_data["language"])
        return Response(serializers.LanguageSerializer({"language": person.language}).data)


# --- Programs -------------------------------------------------------------------------------------


def _programs(queryset: QuerySet[Program]) -> QuerySet[Program]:
    return queryset.select_related("state", "mh_agency", "employment_provider", "trainer").prefetch_related(
        "dvr_offices"
    )


class ProgramList(ListView, generics.CreateAPIView[Program]):
    serializer_class = serializers.ProgramSerializer
    filter_params = (
        filters.Text(
            "q",
            "Part of the program's name or region.",
            lambda qs, v: qs.filter(Q(name__icontains=v) | Q(region__icontains=v)),
        ),
        filters.Choice("phase", "The program's phase.", lambda qs, v: qs.filter(phase=v), Phase.choices),
        filters.Integer("state", "Id of the state.", lambda qs, v: qs.filter(state_id=v)),
        filters.Integer(
            "organization",
            "Id of a partner organization (agency, provider or DVR office).",
            lambda qs, v: qs.filter(Q(mh_agency_id=v) | Q(employment_provider_id=v) | Q(dvr_offices__id=v)).distinct(),
        ),
    )
    ordering_fields = ("name", "phase", "phase_since", "created_at")

    def get_queryset(self) -> QuerySet[Program]:
        return _programs(access.programs_visible_to(self.person)).order_by("name", "pk")

    @extend_schema(
        request=serializers.ProgramWriteSerializer,
        responses={201: serializers.ProgramSerializer},
        summary="Open a program (state IPS team and administrators)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        states = selectors.program_manager_states(self.person)
        if not states.exists():
            access.require_program_manager(self.person, state_id=-1)
        form = serializers.ProgramWriteSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        state = data.pop("state", None)
        if state is None:
            if states.count() != 1:
                raise exceptions.ValidationError({"state": ["You manage programs in more than one state: say which."]})
            state = states.get()
        program = services.program_create(actor=self.person, state=state, **data)
        created = _programs(Program.objects.all()).get(pk=program.pk)
        return Response(serializers.ProgramSerializer(created).data, status=201)


class ProgramDetail(OneObject, ApiMixin, generics.RetrieveUpdateAPIView[Program]):
    serializer_class = serializers.ProgramSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Program:
        try:
            return _programs(access.programs_visible_to(self.person)).get(pk=self.kwargs["program_id"])
        except Program.DoesNotExist:
            raise Http404("No such program.") from None

    @extend_schema(
        request=serializers.ProgramWriteSerializer,
        responses={200: serializers.ProgramSerializer},
        summary="Change a program (state IPS team and administrators)",
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program = access.get_program_for(self.person, self.kwargs["program_id"])
        access.require_program_manager(self.person, program.state_id)
        version = versions.expected_version_of(request, program)
        form = serializers.ProgramWriteSerializer(data=request.data, partial=True, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        for read_only in ("state", "opened_on"):
            if read_only in data:
                raise exceptions.ValidationError({read_only: ["This can't be changed once a program is open."]})
        values: dict[str, Any] = {
            "name": program.name,
            "mh_agency": program.mh_agency,
            "employment_provider": program.employment_provider,
            "dvr_offices": list(program.dvr_offices.all()),
            "trainer": program.trainer,
            "region": program.region,
            "funding_source": program.funding_source,
        }
        values.update(data)
        with versions.stale_record_as_412(program):
            services.program_update(actor=self.person, program=program, expected_version=version, **values)
        return self.retrieve(request)


# --- Organizations --------------------------------------------------------------------------------


class OrganizationList(ListView):
    serializer_class = serializers.OrganizationSerializer
    filter_params = (
        filters.Text(
            "q",
            "Part of the name or region.",
            lambda qs, v: qs.filter(Q(name__icontains=v) | Q(region__icontains=v)),
        ),
        filters.Choice("kind", "Kind of organization.", lambda qs, v: qs.filter(kind=v), OrgKind.choices),
        filters.Integer("state", "Id of the state.", lambda qs, v: qs.filter(state_id=v)),
        filters.Boolean(
            "is_active",
            "Active organizations only (true) or inactive only (false).",
            lambda qs, v: qs.filter(is_active=v),
        ),
    )
    ordering_fields = ("name", "kind", "created_at")

    def get_queryset(self) -> QuerySet[Any]:
        return access.organizations_visible_to(self.person).select_related("state").order_by("name", "pk")


class OrganizationDetail(OneObject, ApiMixin, generics.RetrieveAPIView[Organization]):
    serializer_class = serializers.OrganizationSerializer

    def get_object(self) -> Organization:
        return access.get_organization_for(self.person, self.kwargs["organization_id"])


# --- People ---------------------------------------------------------------------------------------


def _with_memberships(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True).select_related("organization"),
            to_attr="active_memberships",
        )
    )


class PersonList(ListView):
    serializer_class = serializers.PersonSerializer
    filter_params = (
        filters.Text(
            "q",
            "Part of the name, username or e-mail address.",
            lambda qs, v: qs.filter(
                Q(first_name__icontains=v)
                | Q(last_name__icontains=v)
                | Q(username__icontains=v)
                | Q(email__icontains=v)
            ),
        ),
        filters.Integer(
            "organization",
            "Id of an organization the person is an active member of.",
            lambda qs, v: qs.filter(
                pk__in=Membership.objects.filter(organization_id=v, is_active=True).values("person_id")
            ),
        ),
        filters.Choice(
            "role",
            "A role the person holds.",
            lambda qs, v: qs.filter(pk__in=Membership.objects.filter(role=v, is_active=True).values("person_id")),
            Role.choices,
        ),
    )
    ordering_fields = ("last_name", "first_name", "username")

    def get_queryset(self) -> QuerySet[Person]:
        people = access.people_visible_to(self.person).order_by("last_name", "first_name", "username", "pk")
        return _with_memberships(people)


class PersonDetail(OneObject, ApiMixin, generics.RetrieveAPIView[Person]):
    serializer_class = serializers.PersonSerializer

    def get_object(self) -> Person:
        person = access.get_person_for(self.person, self.kwargs["person_id"])
        return _with_memberships(Person.objects.filter(pk=person.pk)).get()


# --- Catalog (not tenant data: the same for everyone signed in) -----------------------------------


class StageList(ListView):
    ipshub_access = "non_tenant"
    serializer_class = serializers.StageSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[catalog.Stage]:
        return catalog_selectors.stages()


class QuestionList(ListView):
    ipshub_access = "non_tenant"
    serializer_class = serializers.QuestionSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[catalog.LeaderQuestion]:
        return catalog_selectors.questions()


class ResponsibilityList(ListView):
    ipshub_access = "non_tenant"
    serializer_class = serializers.ResponsibilitySerializer
    filter_params = (
        filters.Text("phase", "A phase key, e.g. prior.", lambda qs, v: qs.filter(phase__key=v)),
        filters.Text("party", "A party key, e.g. mh_agency.", lambda qs, v: qs.filter(party__key=v)),
    )

    def get_queryset(self) -> QuerySet[catalog.Responsibility]:
        return catalog.Responsibility.objects.filter(version__is_current=True).select_related("phase", "party")


# --- Audit log (administrators) -------------------------------------------------------------------


class AuditEventList(ListView):
    serializer_class = serializers.AuditEventSerializer
    filter_params = (
        filters.Text("actor", "Username of the actor.", lambda qs, v: qs.filter(actor_label__iexact=v)),
        filters.Text(
            "action",
            "Action, or its start: program. or login.failed.",
            lambda qs, v: qs.filter(action__startswith=v),
        ),
        filters.Text("object_type", "e.g. tenancy.program", lambda qs, v: qs.filter(object_type=v)),
        filters.Text("object_id", "The object's id.", lambda qs, v: qs.filter(object_id=v)),
        filters.Date("since", "Events on or after this date.", lambda qs, v: qs.filter(at__date__gte=v)),
        filters.Date("until", "Events on or before this date.", lambda qs, v: qs.filter(at__date__lte=v)),
    )
    ordering_fields = ("at",)

    def get_queryset(self) -> QuerySet[Any]:
        access.require_directory_admin(self.person)
        return events_visible_to(self.person)


# --- Unknown URLs under /api/v1/ -------------------------------------------------------------------


class NotFoundView(ApiMixin, APIView):
    """Anything under /api/v1/ that matches no endpoint: a JSON 404 (401 without a token)."""

    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
