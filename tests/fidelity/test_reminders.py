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


def _prep_keys(person, today) -> set[str]:  # type: ignore[no-untyped-def]
    return {i.key for i in reminders.due_items(person, today) if i.kind == "review_preparation"}


def test_overdue_preparation_steps_are_due_for_the_people_who_do_them(world) -> None:
    from ipshub.fidelity import preparation

    review = factories.planned_review(world, visit_in=16)  # chart sample due 5 days ago, the agenda in 2
    steps = {t.key: t for t in review.prep_tasks.all()}
    today = factories.days(0)
    overdue = {f"fidelity-prep:{steps[k].pk}" for k in ("kickoff", "documents", "self_assessment", "chart_sample")}
    assert _prep_keys(world.state_lead, today) == overdue  # not the agenda, nor the visit
    program_steps = {f"fidelity-prep:{steps[k].pk}" for k in ("kickoff", "documents", "self_assessment")}
    assert _prep_keys(world.supervisor, today) == program_steps
    reviewer_steps = {f"fidelity-prep:{steps[k].pk}" for k in ("kickoff", "chart_sample")}
    assert _prep_keys(world.reviewer, today) == reviewer_steps
    for name in ("specialist", "other_agency_director", "other_state_lead"):
        assert _prep_keys(world.people[name], today) == set(), name
    [item] = [
        i for i in reminders.due_items(world.reviewer, today) if i.key == f"fidelity-prep:{steps['chart_sample'].pk}"
    ]
    assert item.is_overdue(today) and item.url.endswith(f"/fidelity/reviews/{review.pk}/preparation/#timeline")
    # Done by the work (the worksheet generated) or by hand: gone at once.
    preparation.chart_worksheet(actor=world.reviewer, review=review, how="view")
    preparation.prep_task_mark(actor=world.state_lead, task=steps["kickoff"], done=True, note="Call held")
    assert _prep_keys(world.reviewer, today) == set()
    assert f"fidelity-prep:{steps['kickoff'].pk}" not in _prep_keys(world.supervisor, today)
