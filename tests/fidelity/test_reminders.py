import pytest
from django.urls import reverse

from ipshub.fidelity import home, reminders, services
from ipshub.fidelity.models import Review
from tests.fidelity import factories

pytestmark = pytest.mark.django_db


def test_reviews_due_and_overdue_actions(world) -> None:
    review = factories.delivered_review(world)
    action = services.action_create(
        actor=world.state_lead,
        review=review,
        title="Track contacts",
        items=[],
        owner=world.supervisor,
        due_on=factories.days(-3),
    )
    today = factories.days(0)
    follow_up = Review.objects.get(program=world.programs["p1"], kind="follow_up")

    lead_items = {i.key: i for i in reminders.due_items(world.state_lead, today)}
    assert f"review:{follow_up.pk}" in lead_items
    assert lead_items[f"fidelity-action:{action.pk}"].is_overdue(today)

    owner_keys = {i.key for i in reminders.due_items(world.supervisor, today)}
    assert f"fidelity-action:{action.pk}" in owner_keys
    assert reminders.due_items(world.specialist, today) == []  # not the owner, not a program leader
    assert reminders.due_items(world.other_state_lead, today) == []
    # The reviewer is reminded of reviews they are on, not of the follow-up nobody is assigned to yet.
    assert {i.key for i in reminders.due_items(world.reviewer, today)} == set()

    services.action_update(
        actor=world.supervisor, action=action, status="done", due_on=action.due_on, owner=world.supervisor
    )
    assert f"fidelity-action:{action.pk}" not in {i.key for i in reminders.due_items(world.supervisor, today)}


def test_home_panel_and_navigation(world, client_for) -> None:
    factories.planned_review(world)
    assert home.panels(world.other_state_lead) == []
    [panel] = home.panels(world.director)
    assert panel.context["reviews"][0].program == world.programs["p1"]
    page = client_for(world.director).get(reverse("home")).content.decode()
    # The panel is in the rest of the home page, which the page loads once shown.
    assert "Fidelity reviews coming up" in client_for(world.director).get(reverse("home_more")).content.decode()
    assert 'href="/fidelity/"' in page
    assert 'href="/fidelity/"' not in client_for(world.other_agency_director).get(reverse("home")).content.decode()
