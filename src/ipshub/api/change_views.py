"""`GET /api/v1/changes/?after=<cursor>`: the change feed (api/changes.py), a page at a time."""

from typing import Any

from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import changes
from ipshub.api.pagination import PageNumberPagination, page_size_schema
from ipshub.api.views import ApiMixin
from ipshub.clients import services as client_services

BAD_CURSOR = (
    "This cursor is not one the change feed gave out, or it was changed or cut short. Send a `cursor` "
    "exactly as an earlier answer gave it, or leave `after` out to read the feed from the beginning."
)


class ChangeSerializer(serializers.Serializer[Any]):
    cursor = serializers.CharField(help_text="Pass as `after` to read the changes after this one.")
    kind = serializers.ChoiceField(
        choices=sorted({kind.name for kind in (*changes.CLIENT_KINDS, *changes.RECORD_KINDS)}),
        help_text="What kind of record changed.",
    )
    id = serializers.IntegerField(help_text="The id of the record that changed.")
    action = serializers.CharField(help_text="What was done, as the audit trail names it, e.g. client.job_start.")
    at = serializers.DateTimeField(help_text="When it was done.")
    enrollment = serializers.IntegerField(
        allow_null=True,
        help_text="For a client's records: the client record (GET /api/v1/clients/{id}/) the change belongs "
        "to. Null for other kinds.",
    )


class ChangePageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(
        allow_null=True, help_text="The next page, when more changes wait now; null when you have them all."
    )
    cursor = serializers.CharField(
        help_text="Where to resume: pass as `after` next time (the last change's cursor, or the one you sent "
        "when there is nothing new)."
    )
    results = ChangeSerializer(many=True)


class ChangeList(ApiMixin, APIView):
    pagination = PageNumberPagination()

    @extend_schema(
        operation_id="changes_list",
        summary="What changed that you may see, in order (the change feed)",
        description="Writes recorded since the cursor, oldest first, of the records the token's person may "
        'see now: no names or other client data, only ids. See docs/api.md, "The change feed".',
        parameters=[
            OpenApiParameter(
                "after",
                OpenApiTypes.STR,
                description="A `cursor` from an earlier answer: the changes after it. Leave out to start at the "
                "beginning.",
            ),
            OpenApiParameter(
                "page_size",
                page_size_schema(),
                description=f"Changes per page, at most {PageNumberPagination.max_page_size} "
                f"(default {PageNumberPagination.page_size}).",
            ),
        ],
        responses={
            200: ChangePageSerializer,
            400: OpenApiResponse(description="The cursor in `after` is not one the feed gave out, or was altered."),
        },
    )
    def get(self, request: Request) -> Response:
        after = request.query_params.get("after")
        try:
            position = 0 if after is None else changes.position_of(after)
        except changes.BadCursor:
            raise exceptions.ValidationError({"after": [BAD_CURSOR]}) from None
        size = self.pagination.get_page_size(request) or PageNumberPagination.page_size
        found, more = changes.changes_after(self.person, position, size)
        # Reading the feed discloses which client records changed (their ids): recorded like a list.
        enrollments = sorted({c.enrollment for c in found if c.enrollment is not None})
        client_services.record_list(actor=self.person, action="client.list_changes", enrollment_ids=enrollments)
        cursor = found[-1].cursor if found else changes.cursor_for(position)
        next_url = None
        if more:
            query = urlencode({"after": cursor, "page_size": str(size)})
            next_url = request.build_absolute_uri(f"{request.path}?{query}")
        page = {"next": next_url, "cursor": cursor, "results": [change.__dict__ for change in found]}
        return Response(ChangePageSerializer(page).data)
