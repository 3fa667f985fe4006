"""What the API shows of each object, and what it accepts for writes.

Read serializers are plain (no queries of their own: views select/prefetch what they need). Write
serializers only check shapes and resolve ids among the objects the person may choose; the rules are
the service functions', so the API says exactly what the web forms say.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipshub.api.inputs import KnownFieldsOnly
from ipshub.audit.models import AuditEvent
from ipshub.catalog import models as catalog
from ipshub.tenancy import selectors
from ipshub.tenancy.models import Membership, Organization, Person, Program, State


class StateRefSerializer(serializers.ModelSerializer[State]):
    class Meta:
        model = State
        fields = ["id", "code", "name"]


class OrganizationRefSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class PersonRefSerializer(serializers.ModelSerializer[Person]):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "username", "full_name"]


# --- Organizations --------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    state = StateRefSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "state",
            "is_tribal",
            "region",
            "county",
            "phone",
            "email",
            "is_active",
            "created_at",
        ]


# --- People ---------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organization = OrganizationRefSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "role", "role_label", "started_on"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    memberships = MembershipSerializer(source="active_memberships", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "full_name",
            "first_name",
            "last_name",
            "title",
            "email",
            "phone",
            "is_active",
            "language",
            "memberships",
        ]
        read_only_fields = ["language"]  # each person chooses their own: POST /api/v1/me/language/


# --- Programs -------------------------------------------------------------------------------------


class ProgramSerializer(serializers.ModelSerializer[Program]):
    state = StateRefSerializer(read_only=True)
    mh_agency = OrganizationRefSerializer(read_only=True)
    employment_provider = OrganizationRefSerializer(read_only=True, allow_null=True)
    dvr_offices = OrganizationRefSerializer(many=True, read_only=True)
    trainer = PersonRefSerializer(read_only=True, allow_null=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "state",
            "phase",
            "phase_label",
            "phase_since",
            "mh_agency",
            "employment_provider",
            "dvr_offices",
            "trainer",
            "region",
            "funding_source",
            "kickoff_date",
            "created_at",
        ]


def _choosable(message: str) -> Any:
    return {
        "does_not_exist": message + " (no id {pk_value} among those you can choose).",
        "incorrect_type": "Give the id as a whole number, not {data_type}.",
    }


class ProgramWriteSerializer(KnownFieldsOnly):
    """Open (POST) or change (PATCH) a program. Ids refer to organizations and trainers of a state whose
    programs you manage."""

    name = serializers.CharField(max_length=200)
    state = serializers.PrimaryKeyRelatedField(
        queryset=State.objects.none(),
        required=False,
        help_text="Needed only when you manage programs in more than one state.",
        error_messages=_choosable("Choose a state whose programs you manage"),
    )
    mh_agency = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        help_text="Id of the mental health agency.",
        error_messages=_choosable("Choose a mental health agency in your state"),
    )
    employment_provider = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        allow_null=True,
        required=False,
        help_text="Id of the employment service provider; null when the agency's own staff provide it.",
        error_messages=_choosable("Choose an employment service provider in your state"),
    )
    dvr_offices = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        many=True,
        required=False,
        help_text="Ids of the DVR offices.",
        error_messages=_choosable("Choose DVR offices in your state"),
    )
    trainer = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),
        allow_null=True,
        required=False,
        help_text="Id of the assigned state trainer.",
        error_messages=_choosable("Choose a state trainer of your state's IPS team"),
    )
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    funding_source = serializers.CharField(max_length=100, required=False, allow_blank=True)
    opened_on = serializers.DateField(
        required=False, help_text="When the program opened (new programs only); today if left out."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator describes the fields without a person
            return
        person = request.user
        states = selectors.program_manager_states(person)
        organizations = selectors.organizations_in(states)
        fields: Any = self.fields
        fields["state"].queryset = states
        fields["mh_agency"].queryset = organizations
        fields["employment_provider"].queryset = organizations
        fields["dvr_offices"].child_relation.queryset = organizations
        fields["trainer"].queryset = selectors.trainers_in(states)


# --- Catalog --------------------------------------------------------------------------------------


class StrategySerializer(serializers.ModelSerializer[catalog.Strategy]):
    class Meta:
        model = catalog.Strategy
        fields = ["key", "order", "text", "principle"]


class ToolSerializer(serializers.ModelSerializer[catalog.Tool]):
    class Meta:
        model = catalog.Tool
        fields = ["key", "order", "text", "kind"]


class StageSerializer(serializers.ModelSerializer[catalog.Stage]):
    strategies = StrategySerializer(many=True, read_only=True)
    tools = ToolSerializer(many=True, read_only=True)
    audiences = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = catalog.Stage
        fields = ["key", "number", "name", "short_name", "audiences", "strategies", "tools"]


class QuestionSerializer(serializers.ModelSerializer[catalog.LeaderQuestion]):
    class Meta:
        model = catalog.LeaderQuestion
        fields = ["key", "number", "text"]


class FulfilmentSerializer(serializers.Serializer[dict[str, object]]):
    """How the product knows the responsibility is done."""

    kind = serializers.ChoiceField(
        choices=["event", "record", "recurring", "confirmation"],
        help_text="event: something happens in the product; record: a record of a given kind exists; recurring: "
        "each period's records; confirmation: a person of the responsible party confirms it with a note.",
    )
    describe = serializers.CharField(help_text="One sentence: what closes it.")
    period = serializers.ChoiceField(
        choices=["month", "quarter", "year", "review"],
        allow_null=True,
        help_text="For work per period (a fresh assignment each month, quarter, year or fidelity review); else null.",
    )


class ResponsibilitySerializer(serializers.ModelSerializer[catalog.Responsibility]):
    phase = serializers.CharField(source="phase.key", read_only=True)
    party = serializers.CharField(source="party.key", read_only=True)
    fulfilment = serializers.SerializerMethodField()

    class Meta:
        model = catalog.Responsibility
        fields = ["key", "phase", "party", "order", "text", "due_days", "recurring", "fulfilment"]

    @extend_schema_field(FulfilmentSerializer)
    def get_fulfilment(self, item: catalog.Responsibility) -> dict[str, object]:
        rule = item.fulfilment
        return {"kind": rule.get("kind"), "describe": rule.get("describe"), "period": rule.get("period")}


# --- Audit ----------------------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    actor = serializers.CharField(source="actor_label", read_only=True)
    detail = serializers.DictField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "summary",
            "state",
            "ip",
            "path",
            "detail",
        ]


class TokenOwnerSerializer(serializers.Serializer[Any]):
    """GET /api/v1/me/: who the token acts as."""

    person = PersonSerializer(read_only=True)
    token = serializers.CharField(read_only=True, help_text="The token's name.")


class LanguageSerializer(KnownFieldsOnly):
    """POST /api/v1/me/language/: the language of one's own interface."""

    language = serializers.ChoiceField(
        choices=[("", "The browser's language"), *settings.LANGUAGES],
        allow_blank=True,
        help_text="A language code of the interface (en, es), or empty to follow the browser's Accept-Language.",
    )
