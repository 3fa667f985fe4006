from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def paginate(
    request: HttpRequest, items: Any, per_page: int = PER_PAGE, *, keys_first: bool = False
) -> tuple[Page[Any], str]:
    """One page of `items` from ?page=, and the other query parameters to keep in page links.

    keys_first: page over primary keys, then load that page's rows (one more query). For big tables
    listed with select_related: otherwise PostgreSQL may join the whole related tables before it sorts
    and limits (60 ms for the employer contact log at national scale)."""
    if keys_first:
        page = Paginator(items.values_list("pk", flat=True), per_page).get_page(request.GET.get("page"))
        page.object_list = rows_in_order(items, list(page.object_list))
    else:
        page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    prefix = f"{params.urlencode()}&" if params else ""
    return page, prefix


def rows_in_order(items: Any, keys: list[Any]) -> list[Any]:
    """The rows of `items` (a queryset, with its select_related/prefetch) whose keys are `keys`, in that order."""
    rows = {row.pk: row for row in items.order_by().filter(pk__in=keys)}
    return [rows[key] for key in keys if key in rows]
