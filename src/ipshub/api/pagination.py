from typing import Any

from rest_framework import pagination, serializers
from rest_framework.request import Request


def page_size_schema() -> dict[str, Any]:
    """The `page_size` query parameter's schema, for views that document it themselves."""
    return {"type": "integer", "minimum": 1, "maximum": PageNumberPagination.max_page_size}


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2&page_size=50`; every list answers {count, next, previous, results}. A page size that is not a
    whole number from 1 to 100 is a 400 naming `page_size` (DRF would quietly answer 25 rows instead, and a
    system that asked for 500 would think it had them all)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number}: {message}"

    def get_page_size(self, request: Request) -> int:
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not asked.isascii() or not asked.isdigit() or not 1 <= int(asked) <= self.max_page_size:
            raise serializers.ValidationError(
                {self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return int(asked)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = f"Number of results per page, 1 to {self.max_page_size} (25 if not given)."
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters
