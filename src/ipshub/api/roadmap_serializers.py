"""What the API shows of a program's implementation work on the web's implementation pages (the roadmap's
strategies, the partnership set-up, evidence, readiness assessments, the steering committee, the resource
library) and what it accepts for their writes.

Bodies are checked for their shape here (`KnownFieldsOnly`: an unknown field is a 400 naming it); the rules
of the work (dates, required reasons, who may) are the implementation services', with the web's messages."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.inputs import KnownFieldsOnly
from ipshub.api.serializers import PersonRefSerializer
from ipshub.catalog.models import Strategy
from ipshub.implementation.models import (
    Evidence,
    ItemStatus,
    PartnershipItem,
    PartnershipStatus,
    ReadinessAssessment,
    Resource,
    ResourceKind,
    ResourceTopic,
    SteeringMember,
    SteeringRole,
)
from ipshub.tenancy.models import Phase

# --- Evidence ---------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    added_by = PersonRefSerializer(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField(help_text="The uploaded file; null for evidence that is a link.")

    class Meta:
        model = Evidence
        fields = ["id", "title", "link", "original_name", "content_type", "size", "added_by", "added_at", "file_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, evidence: Evidence) -> str | None:
        return f"/api/v1/evidence/{evidence.pk}/file/" if evidence.file else None


EVIDENCE_FIELDS = ("title", "file", "link")
EVIDENCE_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 200, "description": "e.g. Signed service agreement."},
            "file": {
                "type": "string",
                "format": "binary",
                "description": "PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV, at most the upload limit "
                "(checked by name and by content). Give a file or a link, not both.",
            },
            "link": {"type": "string", "maxLength": 500, "description": "A full URL (https://...)."},
        },
        "required": ["title"],
        "additionalProperties": False,
    }
}


# --- The roadmap's strategies -------------------------------------------------------------------------


class StrategyProgressSerializer(serializers.Serializer[Any]):
    """One strategy of the current roadmap and where the program stands with it (not_started until recorded)."""

    strategy = serializers.IntegerField(source="strategy.pk", help_text="Id of the strategy.")
    key = serializers.CharField(source="strategy.key")
    stage = serializers.IntegerField(source="strategy.stage.number", help_text="The roadmap stage's number.")
    text = serializers.CharField(source="strategy.text")
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    reason = serializers.CharField(help_text="Why it does not apply (status not_applicable).")
    notes = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)
    updated_by = PersonRefSerializer(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    evidence = EvidenceSerializer(many=True)


def strategy_row(strategy: Strategy, progress: Any, evidence: list[Evidence]) -> dict[str, Any]:
    """The values StrategyProgressSerializer shows, for a strategy with or without recorded progress."""
    return {
        "strategy": strategy,
        "status": progress.status if progress else ItemStatus.NOT_STARTED,
        "reason": progress.reason if progress else "",
        "notes": progress.notes if progress else "",
        "started_on": progress.started_on if progress else None,
        "completed_on": progress.completed_on if progress else None,
        "updated_by": progress.updated_by if progress else None,
        "updated_at": progress.updated_at if progress else None,
        "evidence": evidence,
    }


STRATEGY_FIELDS = ("status", "reason", "notes", "started_on", "completed_on")


class StrategyUpdateSerializer(KnownFieldsOnly):
    """The program's progress on a strategy (the fields left out keep their value)."""

    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Required for not_applicable."
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    started_on = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Today when left empty and the status is done."
    )


# --- Partnership set-up ---------------------------------------------------------------------------------


class PartnershipItemSerializer(serializers.ModelSerializer[PartnershipItem]):
    program = ProgramRefSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.ChoiceField(choices=PartnershipStatus.choices, read_only=True)
    updated_by = PersonRefSerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = PartnershipItem
        fields = [
            "id",
            "program",
            "kind",
            "kind_label",
            "is_required",
            "status",
            "parties",
            "agreed_on",
            "notes",
            "waiver_reason",
            "updated_by",
            "updated_at",
            "evidence",
        ]


PARTNERSHIP_FIELDS = ("status", "parties", "agreed_on", "notes", "waiver_reason")


class PartnershipUpdateSerializer(KnownFieldsOnly):
    """A partnership set-up item (the fields left out keep their value)."""

    status = serializers.ChoiceField(choices=PartnershipStatus.choices, required=False)
    parties = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Who signed or agreed, one per line."
    )
    agreed_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    waiver_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Required when the item is waived."
    )


# --- The program's kick-off and phase -------------------------------------------------------------------


class KickoffSerializer(KnownFieldsOnly):
    kickoff_date = serializers.DateField(
        help_text="When it has come, the program starts implementation (once its partnership set-up is complete)."
    )


class PhaseOverrideSerializer(KnownFieldsOnly):
    to_phase = serializers.ChoiceField(choices=Phase.choices, help_text="The phase to move the program to.")
    effective_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000, help_text="Why the phase is overridden (kept and audited).")


# --- Readiness ----------------------------------------------------------------------------------------------

READINESS_TEXTS = (
    "barriers",
    "facilitators",
    "competing_programs",
    "mh_value",
    "dvr_value",
    "common_terms",
)
READINESS_LEADS = ("mh_lead", "dvr_lead", "provider_lead")


class ReadinessSerializer(serializers.ModelSerializer[ReadinessAssessment]):
    program = ProgramRefSerializer(read_only=True)
    recorded_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReadinessAssessment
        fields = [
            "id",
            "program",
            "held_on",
            "mh_leaders",
            "dvr_leaders",
            *READINESS_TEXTS,
            *READINESS_LEADS,
            "recorded_by",
            "recorded_at",
        ]


class ReadinessAnswerSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The leader question's key (GET /api/v1/catalog/questions/).")
    number = serializers.IntegerField()
    question = serializers.CharField()
    answer = serializers.CharField(help_text="Empty when it was not answered.")


class ReadinessDetailSerializer(ReadinessSerializer):
    answers = serializers.SerializerMethodField(help_text="Each leader question of the catalog with its answer.")

    class Meta(ReadinessSerializer.Meta):
        fields = [*ReadinessSerializer.Meta.fields, "answers"]

    @extend_schema_field(ReadinessAnswerSerializer(many=True))
    def get_answers(self, assessment: ReadinessAssessment) -> list[dict[str, Any]]:
        return [
            {"key": q.key, "number": q.number, "question": q.text, "answer": answer}
            for q, answer in self.context.get("answers", [])
        ]


class ReadinessWriteSerializer(KnownFieldsOnly):
    """A readiness assessment, recorded after the leaders' meeting (the program's leaders)."""

    held_on = serializers.DateField(help_text="The date of the meeting (not in the future).")
    mh_leaders = serializers.CharField(max_length=4000, help_text="Mental health leaders present.")
    dvr_leaders = serializers.CharField(max_length=4000, help_text="DVR leaders present.")
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10000),
        required=False,
        default=dict,
        help_text="Answers to the leader questions, by question key (GET /api/v1/catalog/questions/).",
    )
    barriers = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    facilitators = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    competing_programs = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    mh_lead = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    dvr_lead = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    provider_lead = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    mh_value = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    dvr_value = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    common_terms = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


# --- Steering committee ---------------------------------------------------------------------------------


class SteeringMemberSerializer(serializers.ModelSerializer[SteeringMember]):
    role = serializers.ChoiceField(choices=SteeringRole.choices, read_only=True)

    class Meta:
        model = SteeringMember
        fields = ["id", "name", "role", "affiliation", "joined_on", "added_at"]


class SteeringMemberWriteSerializer(KnownFieldsOnly):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=SteeringRole.choices)
    affiliation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="e.g. Pine Valley Foods, or 'parent'."
    )
    joined_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- The resource library -------------------------------------------------------------------------------


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    kind = serializers.ChoiceField(choices=ResourceKind.choices, read_only=True)
    topic = serializers.ChoiceField(choices=ResourceTopic.choices, read_only=True, help_text="Empty: general.")
    added_by = PersonRefSerializer(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField(
        help_text="The uploaded file, for the state team that curates it; null for a link. Anyone else reads it "
        "through a program: /api/v1/programs/{program}/resources/{id}/file/."
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "kind",
            "topic",
            "description",
            "stage_key",
            "tool_key",
            "link",
            "original_name",
            "content_type",
            "added_by",
            "added_at",
            "file_url",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, resource: Resource) -> str | None:
        curated: set[int] = self.context.get("curated", set())
        if not resource.file or resource.organization_id not in curated:
            return None
        return f"/api/v1/resources/{resource.pk}/file/"


RESOURCE_FIELDS = ("title", "kind", "stage_key", "tool_key", "topic", "description", "link", "file")
RESOURCE_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "kind": {"type": "string", "enum": ResourceKind.values},
            "stage_key": {"type": "string", "description": "The roadmap stage's key, e.g. ST01."},
            "tool_key": {"type": "string", "description": "One of the stage's tools (optional)."},
            "topic": {"type": "string", "enum": ResourceTopic.values, "description": "Empty: general."},
            "description": {"type": "string"},
            "link": {"type": "string", "maxLength": 500, "description": "A full URL (https://...)."},
            "file": {"type": "string", "format": "binary", "description": "Give a file or a link, not both."},
        },
        "required": ["title", "kind", "stage_key"],
        "additionalProperties": False,
    }
}
