"""A program's peer percentiles and the early warning in the API (issue #23; outcomes/peers.py and
outcomes/early_warning.py compute them, the web pages show the same)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.outcomes import early_warning, peers
from ipshub.tenancy.access import get_program_for


class StandingSerializer(serializers.Serializer[Any]):
    programs = serializers.IntegerField(help_text="Programs of the group with this figure (this one included).")
    suppressed = serializers.BooleanField(
        help_text=f"Fewer than {peers.MIN_PROGRAMS} programs: no percentile and no spread are given."
    )
    percentile = serializers.IntegerField(
        allow_null=True, help_text="The share of the group doing worse, ties counted half (higher is better)."
    )
    lower_quartile = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    upper_quartile = serializers.FloatField(allow_null=True)


class PeerMeasureSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    value = serializers.FloatField(allow_null=True, help_text="The program's own figure (null: none).")
    state = StandingSerializer(help_text="Among the programs of the program's state.")
    install = StandingSerializer(help_text="Among every program on the install, in every state.")


class NamedProgramSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


class PeersSerializer(serializers.Serializer[Any]):
    program = serializers.IntegerField()
    quarter = serializers.CharField(help_text="The quarter of the employment rate and the employer contacts.")
    activity_since = serializers.CharField(help_text="Days to first contact: clients referred since this quarter.")
    measures = PeerMeasureSerializer(many=True)
    state_programs = NamedProgramSerializer(
        many=True, allow_null=True, help_text="The state's programs by name: for the state team only (else null)."
    )


def _standing(standing: peers.Standing) -> dict[str, Any]:
    return {
        "programs": standing.contributing,
        "suppressed": standing.suppressed,
        "percentile": standing.percentile,
        "lower_quartile": standing.lower_quartile,
        "median": standing.median,
        "upper_quartile": standing.upper_quartile,
    }


class ProgramPeers(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: PeersSerializer},
        summary="Where a program stands among its state's programs and every program on the install (its IPS "
        "supervisors and mental health directors, the state team)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = get_program_for(self.person, program_id)
        peers.require_peer_viewer(self.person, program)
        found = peers.peers_of(self.person, program, timezone.localdate())
        measures = [
            {
                "key": measure.key,
                "name": measure.label,
                "higher_is_better": measure.higher_is_better,
                "value": in_state.value,
                "state": _standing(in_state),
                "install": _standing(everywhere),
            }
            for measure, in_state, everywhere in found.standings
        ]
        named = (
            None
            if found.named is None
            else [
                {"id": row.program_id, "name": row.name, "values": {m.key: v for m, v in row.cells}}
                for row in found.named
            ]
        )
        return Response(
            {
                "program": program.pk,
                "quarter": str(found.quarter),
                "activity_since": str(found.activity_since),
                "measures": measures,
                "state_programs": named,
            }
        )


class EarlyWarningSerializer(serializers.Serializer[Any]):
    program = serializers.IntegerField(source="program_id")
    name = serializers.CharField(source="program.name")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="The quarter predicted.")
    chance = serializers.FloatField(help_text="The chance of an employment rate below 31% in that quarter (0 to 1).")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="What raises the chance most, in words.")
    last_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class EarlyWarningList(ApiMixin, APIView):
    @extend_schema(
        responses={200: EarlyWarningSerializer(many=True)},
        summary="The early warning: the chance of each program the person leads or oversees falling below 31% "
        "next quarter, highest first (from the last refit; empty before the first)",
    )
    def get(self, request: Request) -> Response:
        model = early_warning.current_model()
        programs = peers.programs_led_or_overseen(self.person)
        scores = [] if model is None else early_warning.scores_for(model, programs)
        return Response(EarlyWarningSerializer(scores, many=True).data)
