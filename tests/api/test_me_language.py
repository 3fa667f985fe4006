"""POST /api/v1/me/language/: one's own interface language through the API (issue #24)."""

import pytest

from tests.world import World


@pytest.mark.django_db
def test_the_api_sets_and_shows_ones_own_language(world: World, api) -> None:
    client = api(world.people["specialist"])
    answer = client.post("/api/v1/me/language/", {"language": "es"}, format="json")
    assert answer.status_code == 200 and answer.json() == {"language": "es"}
    assert client.get("/api/v1/me/").json()["person"]["language"] == "es"
    refused = client.post("/api/v1/me/language/", {"language": "fr"}, format="json")
    assert refused.status_code == 400 and "language" in str(refused.json())
    unknown = client.post("/api/v1/me/language/", {"language": "es", "theme": "dark"}, format="json")
    assert unknown.status_code == 400 and "theme" in str(unknown.json())
