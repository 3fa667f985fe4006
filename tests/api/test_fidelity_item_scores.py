"""#26 scoring that cannot lose work, through the API: the reviewer's scores operation takes any subset of the
items, so a tablet app (like the score page's script) saves one item at a time and keeps every other."""

import pytest

from ipshub.fidelity import services
from ipshub.fidelity.models import ReviewerScore
from tests.fidelity import factories
from tests.world import World

pytestmark = pytest.mark.django_db


def test_one_item_at_a_time_keeps_the_others(world: World, api) -> None:
    review = factories.planned_review(world)
    client = api(world.reviewer)
    url = f"/api/v1/fidelity-reviews/{review.pk}/scores/"
    first = client.post(url, {"items": [{"number": 1, "score": 4, "notes": "Caseload lists."}]}, format="json")
    assert first.status_code == 200, first.content
    second = client.post(url, {"items": [{"number": 2, "score": None, "reason": "No time logs."}]}, format="json")
    assert [row["number"] for row in second.json()["scores"]] == [1, 2]
    assert second.json()["scores"][0]["notes"] == "Caseload lists."
    refused = client.post(url, {"items": [{"number": 3, "score": None}]}, format="json")
    assert refused.status_code == 400 and "items.0.reason" in refused.content.decode()
    assert set(ReviewerScore.objects.values_list("item__number", flat=True)) == {1, 2}
    # After submitting, nothing changes any more.
    services.scores_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES))
    services.scores_submit(actor=world.reviewer, review=review)
    late = client.post(url, {"items": [{"number": 1, "score": 1}]}, format="json")
    assert late.status_code == 400
    assert ReviewerScore.objects.get(reviewer=world.reviewer, item__number=1).score == 4
    # Outsiders: not found.
    for name in ("other_agency_director", "other_state_lead"):
        assert (
            api(world.people[name]).post(url, {"items": [{"number": 1, "score": 5}]}, format="json").status_code == 404
        )
