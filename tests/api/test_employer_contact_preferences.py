"""The API's employer contacts carry the "follows the client's preferences" flag (#26, fidelity item 16)."""

import pytest

from tests.clients.test_follows_preferences import _contacts

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_flag(api, world) -> None:
    _contacts(world)
    rows = api(world.specialist).get("/api/v1/employer-contacts/").json()["results"]
    assert {row["outcome"]: row["follows_preferences"] for row in rows} == {
        "FOLLOWED-IT": True,
        "DID-NOT": False,
        "BLANK-FLAG": None,
    }
