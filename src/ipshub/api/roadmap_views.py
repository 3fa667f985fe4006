"""A program's implementation work through the API, one operation per action of the web's implementation pages
(implementation/urls.py): the roadmap's strategies and their evidence, an assignment's evidence, the
partnership set-up, the kick-off date and the state's phase override, readiness assessments, the steering
committee, and the state team's resource library.

Each operation finds the program (or record) through the access layer (404 for "not found" and "not yours"),
makes the web view's access check (403 for a person who may see but not do) before it reads the body, checks
the body's shape, and calls the same implementation service as the web view, which validates with the web's
messages (400 on the field named) and records the audit event. Updates (PATCH) require If-Match
(api/versions.py). Uploads are multipart, checked like the web's (api/inputs.refuse_unknown for the form's
fields, lib/uploads.check_upload for the file). A readiness assessment's PDF stays on the web.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import filters, serializers, versions
from ipshub.api import roadmap_serializers as s
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.catalog import selectors as catalog
from ipshub.catalog.models import Strategy
from ipshub.implementation import access as impl_access
from ipshub.implementation import selectors, services
from ipshub.implementation.models import (
    Assignment,
    Evidence,
    PartnershipItem,
    ReadinessAssessment,
    Resource,
    ResourceTopic,
    SteeringMember,
    StrategyProgress,
)
from ipshub.lib.downloads import attachment
from ipshub.tenancy import access
from ipshub.tenancy.models import Person, Program

FILE = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


def _form_text(request: Request, name: str) -> str:
    value = request.POST.get(name, "")
    return value if isinstance(value, str) else ""


def _evidence_rows() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("added_by").order_by("added_at", "pk")


def _add_evidence(request: Request, person: Person, program: Program, **target: Any) -> Evidence:
    """The web's evidence form: a title and a file or a link (the service checks both, and the file)."""
    refuse_unknown(request.data, s.EVIDENCE_FIELDS)
    return services.evidence_add(
        actor=person,
        program=program,
        title=_form_text(request, "title"),
        file=request.FILES.get("file"),
        link=_form_text(request, "link"),
        **target,
    )


def _program_data(program_id: int) -> Response:
    program = (
        Program.objects.select_related("state", "mh_agency", "employment_provider", "trainer")
        .prefetch_related("dvr_offices")
        .get(pk=program_id)
    )
    return versions.with_etag(Response(serializers.ProgramSerializer(program).data), versions.etag_of(program))


def _lock_program(program: Program) -> None:
    """Updates of a program's implementation records wait for each other (the row a strategy's first
    progress is made for does not exist yet to be locked)."""
    Program.objects.select_for_update(of=("self",)).filter(pk=program.pk).get()


# --- Evidence -------------------------------------------------------------------------------------------


class EvidenceFile(ApiMixin, APIView):
    @extend_schema(
        responses=FILE,
        summary="Download an evidence file (whoever sees the program; evidence that is a link has no file: 404)",
    )
    def get(self, request: Request, evidence_id: int) -> Any:
        evidence = impl_access.get_evidence_for(self.person, evidence_id)
        if not evidence.file:
            raise Http404("This evidence is a link, not a file: see its `link`.")
        return attachment(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


class AssignmentEvidence(ListView):
    """The evidence added to an assignment, oldest first."""

    serializer_class = s.EvidenceSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Evidence]:
        assignment = impl_access.get_assignment_for(self.person, self.kwargs["assignment_id"])
        return _evidence_rows().filter(assignment=assignment)

    @extend_schema(
        request=s.EVIDENCE_BODY,
        responses={201: s.EvidenceSerializer},
        summary="Add evidence to an assignment: a file or a link, with a title (multipart; its party's people "
        "and the state team)",
        operation_id="assignments_evidence_add",
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment: Assignment = impl_access.get_assignment_for(self.person, assignment_id)
        impl_access.require_assignment_updater(self.person, assignment)
        evidence = _add_evidence(request, self.person, assignment.program, assignment=assignment)
        return Response(s.EvidenceSerializer(_evidence_rows().get(pk=evidence.pk)).data, status=201)


# --- The roadmap's strategies ---------------------------------------------------------------------------


def _current_strategy(strategy_id: int) -> Strategy:
    try:
        return Strategy.objects.select_related("stage").get(pk=strategy_id, stage__version__is_current=True)
    except Strategy.DoesNotExist:
        raise Http404("No such strategy.") from None


def _progress_of(program: Program) -> QuerySet[StrategyProgress]:
    evidence = Prefetch("evidence", queryset=_evidence_rows())
    return program.strategy_progress.select_related("updated_by").prefetch_related(evidence)


def _strategy_data(program: Program, strategy: Strategy) -> Any:
    progress = _progress_of(program).filter(strategy=strategy).first()
    evidence = list(progress.evidence.all()) if progress else []
    return s.StrategyProgressSerializer(s.strategy_row(strategy, progress, evidence)).data


class StrategyList(ListView):
    """The current roadmap's strategies, stage by stage, each with the program's progress and evidence."""

    serializer_class = s.StrategyProgressSerializer
    filter_params = (filters.Integer("stage", "The roadmap stage's number.", lambda qs, v: qs.filter(stage__number=v)),)

    def get_queryset(self) -> QuerySet[Strategy]:
        self.program = access.get_program_for(self.person, self.kwargs["program_id"])
        return (
            Strategy.objects.filter(stage__version__is_current=True)
            .select_related("stage")
            .order_by("stage__number", "order", "pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        strategies = list(page if page is not None else queryset)
        progress = {p.strategy_id: p for p in _progress_of(self.program).filter(strategy__in=strategies)}
        rows = [
            s.strategy_row(st, progress.get(st.pk), list(progress[st.pk].evidence.all()) if st.pk in progress else [])
            for st in strategies
        ]
        return self.get_paginated_response(s.StrategyProgressSerializer(rows, many=True).data)


class StrategyDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.StrategyProgressSerializer}, summary="One roadmap strategy of a program")
    def get(self, request: Request, program_id: int, strategy_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        return Response(_strategy_data(program, _current_strategy(strategy_id)))

    @extend_schema(
        request=s.StrategyUpdateSerializer,
        responses={200: s.StrategyProgressSerializer},
        summary="Record the program's progress on a strategy: status (not_applicable with a reason), notes, dates "
        "(the program's leaders)",
    )
    def patch(self, request: Request, program_id: int, strategy_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        strategy = _current_strategy(strategy_id)
        impl_access.require_leader(self.person, program)  # 403 before 428
        versions.require_if_match(request)
        given = validated(s.StrategyUpdateSerializer, request)
        with transaction.atomic():
            _lock_program(program)
            versions.require_current(request, versions.content_etag(_strategy_data(program, strategy)))
            progress = program.strategy_progress.filter(strategy=strategy).first()
            now = s.strategy_row(strategy, progress, [])
            services.strategy_progress_update(
                actor=self.person,
                program=program,
                strategy=strategy,
                **{name: given.get(name, now[name]) for name in s.STRATEGY_FIELDS},
            )
        return Response(_strategy_data(program, strategy))


class StrategyEvidence(ListView):
    """The evidence of the program's work on a strategy, oldest first."""

    serializer_class = s.EvidenceSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Evidence]:
        program = access.get_program_for(self.person, self.kwargs["program_id"])
        strategy = _current_strategy(self.kwargs["strategy_id"])
        return _evidence_rows().filter(program=program, strategy_progress__strategy=strategy)

    @extend_schema(
        request=s.EVIDENCE_BODY,
        responses={201: s.EvidenceSerializer},
        summary="Add evidence to a strategy: a file or a link, with a title (multipart; the program's leaders)",
        operation_id="programs_strategies_evidence_add",
    )
    def post(self, request: Request, program_id: int, strategy_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        strategy = _current_strategy(strategy_id)
        impl_access.require_leader(self.person, program)
        evidence = _add_evidence(request, self.person, program, strategy=strategy)
        return Response(s.EvidenceSerializer(_evidence_rows().get(pk=evidence.pk)).data, status=201)


# --- Partnership set-up ---------------------------------------------------------------------------------


def _items(program: Program) -> QuerySet[PartnershipItem]:
    evidence = Prefetch("evidence", queryset=_evidence_rows())
    return (
        PartnershipItem.objects.filter(program=program)
        .select_related("program", "updated_by")
        .prefetch_related(evidence)
        .order_by("pk")
    )


def _item_data(item: PartnershipItem) -> Any:
    return s.PartnershipItemSerializer(item).data


class PartnershipList(ListView):
    """The program's partnership set-up items (its gate to implementation), each with its evidence."""

    serializer_class = s.PartnershipItemSerializer

    def get_queryset(self) -> QuerySet[PartnershipItem]:
        return _items(access.get_program_for(self.person, self.kwargs["program_id"]))


class PartnershipDetail(OneObject, ApiMixin, APIView):
    def found(self, program_id: int, item_id: int) -> tuple[Program, PartnershipItem]:
        program = access.get_program_for(self.person, program_id)
        return program, impl_access.get_partnership_item_for(self.person, program, item_id)

    @extend_schema(responses={200: s.PartnershipItemSerializer}, summary="One partnership set-up item")
    def get(self, request: Request, program_id: int, item_id: int) -> Response:
        program, item = self.found(program_id, item_id)
        return Response(_item_data(_items(program).get(pk=item.pk)))

    @extend_schema(
        request=s.PartnershipUpdateSerializer,
        responses={200: s.PartnershipItemSerializer},
        summary="Update a partnership set-up item: status (waived with a reason), parties, date agreed, notes "
        "(the program's leaders)",
    )
    def patch(self, request: Request, program_id: int, item_id: int) -> Response:
        program, item = self.found(program_id, item_id)
        impl_access.require_leader(self.person, program)  # 403 before 428
        versions.require_if_match(request)
        given = validated(s.PartnershipUpdateSerializer, request)
        with transaction.atomic():
            current = versions.locked_current(request, _items(program).filter(pk=item.pk), _item_data)
            services.partnership_item_update(
                actor=self.person,
                item=current,
                **{name: given.get(name, getattr(current, name)) for name in s.PARTNERSHIP_FIELDS},
            )
        return Response(_item_data(_items(program).get(pk=item.pk)))


class PartnershipEvidence(ListView):
    """The evidence of a partnership set-up item, oldest first."""

    serializer_class = s.EvidenceSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Evidence]:
        program = access.get_program_for(self.person, self.kwargs["program_id"])
        item = impl_access.get_partnership_item_for(self.person, program, self.kwargs["item_id"])
        return _evidence_rows().filter(partnership_item=item)

    @extend_schema(
        request=s.EVIDENCE_BODY,
        responses={201: s.EvidenceSerializer},
        summary="Add evidence to a partnership set-up item: a file or a link, with a title (multipart; the "
        "program's leaders)",
        operation_id="programs_partnership_evidence_add",
    )
    def post(self, request: Request, program_id: int, item_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        item = impl_access.get_partnership_item_for(self.person, program, item_id)
        impl_access.require_leader(self.person, program)
        evidence = _add_evidence(request, self.person, program, partnership_item=item)
        return Response(s.EvidenceSerializer(_evidence_rows().get(pk=evidence.pk)).data, status=201)


# --- The program's kick-off and phase -------------------------------------------------------------------


class ProgramKickoff(ApiMixin, APIView):
    @extend_schema(
        request=s.KickoffSerializer,
        responses={200: serializers.ProgramSerializer},
        summary="Record the kick-off date; once it has come the program starts implementation, if its "
        "partnership set-up is complete (the program's leaders)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        impl_access.require_leader(self.person, program)
        data = validated(s.KickoffSerializer, request)
        services.program_kickoff_set(actor=self.person, program=program, **data)
        return _program_data(program.pk)


class ProgramPhaseOverride(ApiMixin, APIView):
    @extend_schema(
        request=s.PhaseOverrideSerializer,
        responses={200: serializers.ProgramSerializer},
        summary="Move the program to another phase by hand, with the reason (the state IPS team's leads and "
        "administrators)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        access.require_program_manager(self.person, program.state_id)
        data = validated(s.PhaseOverrideSerializer, request)
        services.program_phase_override(actor=self.person, program=program, **data)
        return _program_data(program.pk)


# --- Readiness ----------------------------------------------------------------------------------------------


def _assessments(program: Program) -> QuerySet[ReadinessAssessment]:
    return program.readiness_assessments.select_related("program", "recorded_by").order_by("-held_on", "-pk")


def _readiness_data(assessment: ReadinessAssessment) -> Any:
    answers = selectors.readiness_answers(assessment)
    return s.ReadinessDetailSerializer(assessment, context={"answers": answers}).data


class ReadinessList(ListView):
    """The program's readiness assessments, newest first (each one's answers are on its own endpoint)."""

    serializer_class = s.ReadinessSerializer

    def get_queryset(self) -> QuerySet[ReadinessAssessment]:
        return _assessments(access.get_program_for(self.person, self.kwargs["program_id"]))

    @extend_schema(
        request=s.ReadinessWriteSerializer,
        responses={201: s.ReadinessDetailSerializer},
        summary="Record a readiness assessment after the leaders' meeting (the program's leaders)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        impl_access.require_leader(self.person, program)
        data = validated(s.ReadinessWriteSerializer, request)
        unknown = sorted(set(data["answers"]) - set(catalog.questions().values_list("key", flat=True)))
        if unknown:
            # The service's message, on the field that has it.
            raise ValidationError({"answers": f"Unknown questions: {', '.join(unknown)}."})
        assessment = services.readiness_record(actor=self.person, program=program, **data)
        return Response(_readiness_data(_assessments(program).get(pk=assessment.pk)), status=201)


class ReadinessDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.ReadinessDetailSerializer},
        summary="One readiness assessment with the answer to each leader question (its PDF is on the web page)",
    )
    def get(self, request: Request, program_id: int, assessment_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        found = impl_access.get_readiness_for(self.person, program, assessment_id)
        return Response(_readiness_data(_assessments(program).get(pk=found.pk)))


# --- Steering committee ---------------------------------------------------------------------------------


class SteeringList(ListView):
    """The program's steering committee (its team): each member's name, role and affiliation."""

    serializer_class = s.SteeringMemberSerializer

    def get_queryset(self) -> QuerySet[SteeringMember]:
        program = access.get_program_for(self.person, self.kwargs["program_id"])
        return program.steering_members.order_by("pk")

    @extend_schema(
        request=s.SteeringMemberWriteSerializer,
        responses={201: s.SteeringMemberSerializer},
        summary="Add a member to the steering committee (the program's leaders)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        impl_access.require_leader(self.person, program)
        data = validated(s.SteeringMemberWriteSerializer, request)
        member = services.steering_member_add(actor=self.person, program=program, **data)
        return Response(s.SteeringMemberSerializer(member).data, status=201)


class SteeringDetail(OneObject, ApiMixin, APIView):
    def found(self, program_id: int, member_id: int) -> SteeringMember:
        program = access.get_program_for(self.person, program_id)
        return impl_access.get_steering_member_for(self.person, program, member_id)

    @extend_schema(responses={200: s.SteeringMemberSerializer}, summary="One member of the steering committee")
    def get(self, request: Request, program_id: int, member_id: int) -> Response:
        return Response(s.SteeringMemberSerializer(self.found(program_id, member_id)).data)

    @extend_schema(responses={204: None}, summary="Remove a member from the steering committee (the program's leaders)")
    def delete(self, request: Request, program_id: int, member_id: int) -> Response:
        services.steering_member_remove(actor=self.person, member=self.found(program_id, member_id))
        return Response(status=204)


# --- The resource library -------------------------------------------------------------------------------


def _resources(person: Person) -> QuerySet[Resource]:
    return impl_access.resources_visible_to(person).select_related("organization", "added_by")


def _checked_stage(stage_key: str, tool_key: str) -> None:
    """The web form's choices: a stage of the current roadmap, and a tool of that stage."""
    stages = list(catalog.stages())
    errors: dict[str, str] = {}
    if stage_key not in {st.key for st in stages}:
        errors["stage_key"] = f"Choose a roadmap stage: one of {', '.join(st.key for st in stages)}."
    tools = {t.key for st in stages for t in st.tools.all()}
    if tool_key and tool_key not in tools:
        errors["tool_key"] = "Choose one of the stage's tools, or leave it empty."
    elif tool_key and "stage_key" not in errors and not tool_key.startswith(f"{stage_key}-"):
        errors["tool_key"] = "This tool belongs to another stage. Choose a tool of the stage above."
    if errors:
        raise ValidationError(errors)


class ResourceList(ListView):
    """The resource library of your state (the state team curates it), by roadmap stage and title."""

    serializer_class = s.ResourceSerializer
    parser_classes = [MultiPartParser]
    filter_params = (
        filters.Text("stage", "The roadmap stage's key, e.g. ST01.", lambda qs, v: qs.filter(stage_key=v)),
        filters.Choice(
            "topic", "What it is about (revenue).", lambda qs, v: qs.filter(topic=v), ResourceTopic.choices[1:]
        ),
    )

    def get_queryset(self) -> QuerySet[Resource]:
        return _resources(self.person).order_by("stage_key", "title", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "curated": impl_access.curated_state_team_ids(self.person)}

    @extend_schema(
        request=s.RESOURCE_BODY,
        responses={201: s.ResourceSerializer},
        summary="Add a resource to the library: a file or a link (multipart; the state IPS team)",
        operation_id="resources_add",
    )
    def post(self, request: Request) -> Response:
        impl_access.require_curator(self.person)
        refuse_unknown(request.data, s.RESOURCE_FIELDS)
        text = {name: _form_text(request, name) for name in s.RESOURCE_FIELDS if name != "file"}
        missing = {name: "This field is required." for name in ("title", "kind") if not text[name].strip()}
        if missing:
            raise ValidationError(missing)
        _checked_stage(text["stage_key"], text["tool_key"])
        organization_id = min(impl_access.curated_state_team_ids(self.person))
        resource = services.resource_create(
            actor=self.person,
            organization=access.get_organization_for(self.person, organization_id),
            file=request.FILES.get("file"),
            **text,
        )
        created = _resources(self.person).get(pk=resource.pk)
        return Response(s.ResourceSerializer(created, context=self.get_serializer_context()).data, status=201)


def _curated(person: Person, resource_id: int) -> Resource:
    """As the web's library: a resource is reached by its own address by the state team that curates it;
    anyone else reads it through one of their programs (404 here, as on the web)."""
    resource = impl_access.get_resource_for(person, resource_id)
    if not impl_access.can_curate(person, resource):
        raise Http404("No such resource.")
    return resource


def _file(resource: Resource) -> Any:
    if not resource.file:
        raise Http404("This resource is a link, not a file: see its `link`.")
    return attachment(resource.file, filename=resource.original_name, content_type=resource.content_type)


class ResourceDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.ResourceSerializer}, summary="One resource of the library (the state IPS team)")
    def get(self, request: Request, resource_id: int) -> Response:
        found = _curated(self.person, resource_id)
        context = {"curated": {found.organization_id}}
        return Response(s.ResourceSerializer(_resources(self.person).get(pk=found.pk), context=context).data)

    @extend_schema(
        responses={204: None},
        summary="Remove a resource from the library, and from the programs it was sent to (the state IPS team)",
    )
    def delete(self, request: Request, resource_id: int) -> Response:
        services.resource_delete(actor=self.person, resource=_curated(self.person, resource_id))
        return Response(status=204)


class ResourceFile(ApiMixin, APIView):
    @extend_schema(
        responses=FILE,
        summary="Download a resource's file (the state IPS team; a resource that is a link has none: 404)",
    )
    def get(self, request: Request, resource_id: int) -> Any:
        return _file(_curated(self.person, resource_id))


class ProgramResourceFile(ApiMixin, APIView):
    @extend_schema(
        responses=FILE,
        summary="Download a file of the library of the program's state (whoever sees the program)",
    )
    def get(self, request: Request, program_id: int, resource_id: int) -> Any:
        program = access.get_program_for(self.person, program_id)
        try:
            resource = Resource.objects.get(pk=resource_id, organization__state_id=program.state_id)
        except Resource.DoesNotExist:
            raise Http404("No such resource.") from None
        return _file(resource)
