"""The people invited to a fidelity visit's interviews, through the API: read by the review's readers,
recorded by the program's leaders (or the state team), nothing for anyone else."""

import pytest

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import services
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


def _invitee(world: World, review) -> ReviewInvitee:
    return services.invitee_add(
        actor=world.director, review=review, who=WHO, relation="client", invited_on=days(-2), accepted=None
    )


def test_the_answer_of_someone_invited_is_recorded_and_a_mistake_removed(world: World, api) -> None:
    review = planned_review(world, visit_in=10)
    invitee = _invitee(world, review)
    url = f"/api/v1/fidelity-invitees/{invitee.pk}/"
    supervisor = api(world.supervisor)  # the program's IPS supervisor lists the invitations too
    response = supervisor.post(f"{url}answer/", {"accepted": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] is True and response.json()["id"] == invitee.pk
    assert AuditEvent.objects.filter(action="fidelity.invitee_answer", object_id=str(invitee.pk)).count() == 1
    response = supervisor.post(f"{url}answer/", {"accepted": None}, format="json")
    assert response.status_code == 200 and response.json()["accepted"] is None
    assert api(world.state_lead).delete(url).status_code == 204
    assert not ReviewInvitee.objects.filter(pk=invitee.pk).exists()
    assert AuditEvent.objects.filter(action="fidelity.invitee_delete", object_id=str(invitee.pk)).count() == 1
    assert_error(supervisor.delete(url), 404)


def test_answers_and_removals_refuse_bad_input_readers_and_outsiders(world: World, api) -> None:
    review = planned_review(world, visit_in=10)
    invitee = _invitee(world, review)
    url = f"/api/v1/fidelity-invitees/{invitee.pk}/"
    director = api(world.director)
    error = assert_error(director.post(f"{url}answer/", {"accepted": "maybe", "who": "Y"}, format="json"), 400)
    assert set(error["fields"]) == {"accepted", "who"}
    error = assert_error(director.post(f"{url}answer/", {}, format="json"), 400)
    assert set(error["fields"]) == {"accepted"}
    assert_error(director.delete(url, {"reason": "x"}, format="json"), 400)
    for reader in ("specialist", "counselor", "reviewer"):
        assert_error(api(world.people[reader]).post(f"{url}answer/", {"accepted": True}, format="json"), 403)
        assert_error(api(world.people[reader]).delete(url), 403)
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).post(f"{url}answer/", {"accepted": True}, format="json"), 404)
        assert_error(api(world.people[name]).delete(url), 404)
    # A cancelled review's invitations stay as they were, with the web page's message.
    services.review_cancel(actor=world.state_lead, review=review, reason="Program paused")
    error = assert_error(director.post(f"{url}answer/", {"accepted": False}, format="json"), 400)
    assert error["message"] == "This review was cancelled, so its invitations can't change."
    assert_error(director.delete(url), 400)
    invitee.refresh_from_db()
    assert invitee.accepted is None
    assert not AuditEvent.objects.filter(action__in=("fidelity.invitee_answer", "fidelity.invitee_delete")).exists()
