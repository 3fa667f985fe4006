"""The people invited to a fidelity visit's interviews, through the API: read by the review's readers,
recorded by the program's leaders (or the state team), nothing for anyone else."""

import pytest

from ipshub.fidelity.models import ReviewInvitee
from tests.api.test_api import assert_error
from tests.fidelity.factories import days, planned_review
from tests.world import World

pytestmark = pytest.mark.django_db

WHO = "Client A, job seeker, two years in services"
OUTSIDERS = ("other_agency_director", "other_state_director", "other_state_lead")


def test_the_api_lists_and_records_invitations(world: World, api) -> None:
    review = planned_review(world, visit_in=10)
    url = f"/api/v1/fidelity-reviews/{review.pk}/invitees/"
    client = api(world.director)
    created = client.post(url, {"who": WHO, "relation": "client", "invited_on": days(-2).isoformat()}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["who"] == WHO and created.json()["accepted"] is None
    listed = api(world.counselor).get(url)  # a partner of the program reads the list
    assert [row["who"] for row in listed.json()] == [WHO]
    bad = client.post(url, {"who": WHO, "relation": "", "invited_on": days(30).isoformat()}, format="json")
    error = assert_error(bad, 400)
    assert set(error["fields"]) == {"relation", "invited_on"}
    assert_error(
        api(world.specialist).post(url, {"who": WHO, "relation": "client", "invited_on": None}, format="json"), 403
    )
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).get(url), 404)
        assert_error(
            api(world.people[name]).post(
                url, {"who": "X", "relation": "client", "invited_on": "2026-01-01"}, format="json"
            ),
            404,
        )
    assert ReviewInvitee.objects.count() == 1
