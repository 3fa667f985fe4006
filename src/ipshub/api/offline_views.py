"""Offline field work (issue #25): GET /offline/pack/ and POST /offline/sync/ (api/offline.py does the work).

The /field/ page calls these with the browser's session (and its CSRF token on the sync); a token works too. Both
answer only IPS supervisors and employment specialists something useful: anyone else gets an empty pack, and their
entries come back with problems, as an id they cannot see would."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import offline
from ipshub.api import offline_serializers as s
from ipshub.api.authentication import SignedInSessionAuthentication, TokenAuthentication
from ipshub.api.inputs import validated
from ipshub.api.views import ApiMixin


class _OfflineView(ApiMixin, APIView):
    # The token first: its 401 names the header (WWW-Authenticate) for a caller without either.
    authentication_classes = [TokenAuthentication, SignedInSessionAuthentication]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # client names: never kept by the browser's or a proxy's cache
        return response


class OfflinePack(_OfflineView):
    @extend_schema(
        responses={200: s.PackSerializer},
        summary="What a specialist's or supervisor's device keeps for field work offline: their caseload (names "
        "and what the forms need, nothing more), the programs' employers, the specialists they may mentor, and "
        "the forms' choices (a disclosure of the caseload, recorded)",
    )
    def get(self, request: Request) -> Response:
        return Response(s.PackSerializer(offline.pack(request)).data)


class OfflineSync(_OfflineView):
    @extend_schema(
        request=s.SyncSerializer,
        responses={200: s.SyncResultSerializer},
        summary="Turn entries logged offline into records, in order, each through the same service as its web "
        "form: saved, already saved, problems, a conflict to resolve, or discarded",
    )
    def post(self, request: Request) -> Response:
        entries = validated(s.SyncSerializer, request)["entries"]
        return Response({"results": [offline.sync_entry(request, entry).data() for entry in entries]})
