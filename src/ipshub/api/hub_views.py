"""A program's hub as data: `GET /api/v1/programs/{id}/hub/` answers what the hub page (web/program_hub.py)
shows, each area's panel with its figures, read through the same access layers (404 for outsiders)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.tenancy import access
from ipshub.web.program_hub import hub_for


class HubProgramSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    state = serializers.CharField(source="state.code")
    phase = serializers.CharField(help_text="The program's phase (as in the program's `phase`).")
    phase_label = serializers.CharField(source="get_phase_display")
    phase_since = serializers.DateField()


class HubPanelSerializer(serializers.Serializer[object]):
    key = serializers.CharField(
        help_text="The panel: implementation, caseload, fidelity, outcomes, meetings or technical_assistance "
        "(a panel the person may not see is left out)."
    )
    title = serializers.CharField()
    url = serializers.CharField(help_text="The area's web page for the program.")
    figures = serializers.JSONField(help_text="The panel's figures, as docs/api.md lists them for each panel.")


class ProgramHubSerializer(serializers.Serializer[object]):
    program = HubProgramSerializer()
    panels = HubPanelSerializer(many=True)


class ProgramHub(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: ProgramHubSerializer},
        summary="A program's hub: its phase and each area's figures (roadmap stage and open responsibilities, "
        "caseload counts, last fidelity total and next review, last quarters' employment rates, meetings, "
        "technical assistance), for everyone who sees the program",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_program_for(self.person, program_id)
        hub = hub_for(self.person, program)
        return Response(ProgramHubSerializer({"program": program, "panels": hub.panels}).data)
