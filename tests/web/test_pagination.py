"""Paging over keys first gives the same pages, in the same order, as paging over rows."""

import pytest
from django.test import RequestFactory

from ipshub.lib.pagination import paginate
from ipshub.tenancy.models import Organization
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["1", "2", "9"])
def test_keys_first_pages_match_row_pages(world: World, page: str) -> None:
    items = Organization.objects.select_related("state").order_by("-name", "-pk")
    request = RequestFactory().get("/", {"page": page, "mine": "1"})
    by_rows, prefix = paginate(request, items, per_page=3)
    by_keys, keys_prefix = paginate(request, items, per_page=3, keys_first=True)
    assert [o.pk for o in by_keys] == [o.pk for o in by_rows] != []
    assert by_keys.number == by_rows.number and by_keys.paginator.count == by_rows.paginator.count
    assert keys_prefix == prefix == "mine=1&"
    assert all(isinstance(o, Organization) for o in by_keys)
