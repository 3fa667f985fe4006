"""The clients and family members a program invites to the fidelity visit's interviews (R-FID-MH-05): the
list and form on the review's page, and the services behind them (the API: tests/api/test_review_invitees.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import services
from ipshub.fidelity.models import Review, ReviewInvitee
from tests.fidelity.factories import days, planned_review
from tests.world import World

pytestmark = pytest.mark.django_db

WHO = "Client A, job seeker, two years in services"
OUTSIDERS = ("other_agency_director", "other_state_director", "other_state_lead")


def review_of(world: World) -> Review:
    return planned_review(world, visit_in=10)


def test_a_program_leader_lists_an_invitation_on_the_reviews_page(world: World, client_for) -> None:
    review = review_of(world)
    client = client_for(world.director)
    page = client.get(f"/fidelity/reviews/{review.pk}/")
    assert page.status_code == 200
    assert b'id="invitees"' in page.content and b"Add a person invited" in page.content
    response = client.post(
        f"/fidelity/reviews/{review.pk}/invitees/",
        {"who": WHO, "relation": "family_member", "invited_on": days(-1).isoformat(), "accepted": "yes"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#invitees")
    invitee = ReviewInvitee.objects.get(review=review)
    assert (invitee.who, invitee.relation, invitee.invited_on, invitee.accepted, invitee.recorded_by) == (
        WHO,
        "family_member",
        days(-1),
        True,
        world.director,
    )
    assert AuditEvent.objects.filter(action="fidelity.invitee_add", actor=world.director).exists()
    assert WHO.encode() in client.get(f"/fidelity/reviews/{review.pk}/").content
    # Their answer changes, then the invitation is removed.
    assert client.post(f"/fidelity/invitees/{invitee.pk}/answer/", {"accepted": "no"}).status_code == 302
    invitee.refresh_from_db()
    assert invitee.accepted is False
    assert client.post(f"/fidelity/invitees/{invitee.pk}/delete/").status_code == 302
    assert not ReviewInvitee.objects.exists()
    assert AuditEvent.objects.filter(action="fidelity.invitee_delete").exists()


def test_bad_input_keeps_what_was_typed_and_shows_every_error(world: World, client_for) -> None:
    review = review_of(world)
    beyond = days(30)  # in the future, and after the visit
    response = client_for(world.supervisor).post(
        f"/fidelity/reviews/{review.pk}/invitees/", {"who": WHO, "relation": "", "invited_on": beyond.isoformat()}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose whether a client or a family member was invited." in body
    assert "is in the future" in body
    assert f'value="{WHO}"' in body and f'value="{beyond.isoformat()}"' in body
    assert 'class="usa-error-message"' in body or "usa-alert--error" in body
    assert not ReviewInvitee.objects.exists()


def test_an_invitation_comes_before_the_visit(world: World) -> None:
    review = review_of(world)
    Review.objects.filter(pk=review.pk).update(visit_day_1=days(-5), visit_day_2=days(-4))
    review.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.invitee_add(actor=world.director, review=review, who=WHO, relation="client", invited_on=days(-1))
    assert "before the visit" in caught.value.message_dict["invited_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.invitee_add(actor=world.director, review=review, who=" ", relation="cousin", invited_on=None)
    assert set(caught.value.message_dict) == {"who", "relation", "invited_on"}


def test_only_the_programs_leaders_and_the_state_team_list_invitations(world: World, client_for) -> None:
    review = review_of(world)
    for name in ("case_manager", "specialist", "counselor", "reviewer"):
        with pytest.raises(PermissionDenied):
            services.invitee_add(
                actor=world.people[name], review=review, who=WHO, relation="client", invited_on=days(0)
            )
        page = client_for(world.people[name]).get(f"/fidelity/reviews/{review.pk}/")
        assert b"Add a person invited" not in page.content, name
    assert (
        client_for(world.specialist)
        .post(
            f"/fidelity/reviews/{review.pk}/invitees/", {"who": WHO, "relation": "client", "invited_on": "2026-01-01"}
        )
        .status_code
        == 403
    )
    services.invitee_add(actor=world.state_lead, review=review, who=WHO, relation="client", invited_on=days(0))


def test_people_of_another_agency_or_state_neither_see_nor_add(world: World, client_for) -> None:
    review = review_of(world)
    invitee = services.invitee_add(actor=world.director, review=review, who=WHO, relation="client", invited_on=days(0))
    for name in OUTSIDERS:
        client = client_for(world.people[name])
        assert client.get(f"/fidelity/reviews/{review.pk}/").status_code == 404, name
        response = client.post(
            f"/fidelity/reviews/{review.pk}/invitees/", {"who": "X", "relation": "client", "invited_on": "2026-01-01"}
        )
        assert response.status_code == 404, name
        assert client.post(f"/fidelity/invitees/{invitee.pk}/delete/").status_code == 404, name
        assert client.post(f"/fidelity/invitees/{invitee.pk}/answer/", {"accepted": "yes"}).status_code == 404, name
    assert list(ReviewInvitee.objects.values_list("who", "accepted")) == [(WHO, None)]


def test_a_cancelled_reviews_invitations_stay_as_they_were(world: World) -> None:
    review = review_of(world)
    invitee = services.invitee_add(actor=world.director, review=review, who=WHO, relation="client", invited_on=days(0))
    services.review_cancel(actor=world.state_lead, review=review, reason="Postponed")
    with pytest.raises(ValidationError):
        services.invitee_delete(actor=world.director, invitee=invitee)
