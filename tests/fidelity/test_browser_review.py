"""A review from scheduling to a delivered report and an action plan; two reviewers; axe on every page."""

import pytest
from playwright.sync_api import expect

from ipshub.fidelity.models import Review
from tests.fidelity import factories
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORES = [4, 5, 5, 4, 3, 4, 4, 3, 5, 3, 3, 2, 4, 4, 4, 3, 3, 3, 4, 4, 5, 4, 3, 3, 4]


def _sign_out(ui) -> None:  # type: ignore[no-untyped-def]
    ui.page.get_by_role("button", name="Sign out").click()
    ui.checked()


def _score_everything(ui, review_id: int, username: str, second_differs: bool) -> None:  # type: ignore[no-untyped-def]
    ui.sign_in(username, PASSWORD)
    page = ui.goto(f"/fidelity/reviews/{review_id}/score/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My scores for Program P1")
    for number, score in enumerate(SCORES, start=1):
        if number == 16 and second_differs:
            ui.field("Score for item 16").select_option(label="Cannot rate")
            ui.field("Why item 16 can't be rated").fill("The contact logs don't record preferences.")
            continue
        value = str(score - 1) if second_differs and number == 17 else str(score)
        ui.field("Score for item " + str(number)).select_option(value)
    ui.field("Notes (item 1)").fill(f"Caseload lists checked by {username}.")
    page.get_by_role("button", name="Save my scores").click()
    ui.checked()
    expect(page.get_by_role("status")).to_contain_text("Your scores were saved (25 items)")
    page.get_by_role("button", name="Submit my scores").click()
    ui.checked()
    expect(page.get_by_role("status")).to_contain_text("Your scores were submitted")
    _sign_out(ui)


def test_review_from_scheduling_to_action_plan(ui, transactional_db) -> None:
    world = build_world()
    factories.second_reviewer(world)

    # The state lead schedules the review and plans it with a team of two.
    page = ui.sign_in("state_lead", PASSWORD)
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Fidelity").click()
    ui.checked()
    page.get_by_role("link", name="Schedule a review").click()
    ui.checked()
    ui.field("Program").select_option(label="Program P1")
    ui.field("Kind of review").select_option(label="Baseline")
    ui.field("Due on").fill(factories.days(-1).isoformat())
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program P1: baseline fidelity review")
    review_id = Review.objects.get().pk
    page.get_by_role("link", name="Choose the team").click()
    ui.checked()
    ui.field("Lead reviewer").select_option(label="Reviewer Tester")
    ui.field("Second reviewer").select_option(label="Avery White")
    page.get_by_role("button", name="Save").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan the review of Program P1")
    ui.field("First visit day").fill(factories.days(-2).isoformat())
    ui.field("Second visit day").fill(factories.days(-1).isoformat())
    ui.field("Program contact person").fill("Supervisor Tester")
    page.get_by_role("button", name="Save the plan").click()
    ui.checked()
    page.get_by_role("button", name="Use the standard two-day agenda").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("IPS unit meeting")
    _sign_out(ui)

    # Each reviewer scores independently.
    _score_everything(ui, review_id, "reviewer", second_differs=False)
    _score_everything(ui, review_id, "reviewer2", second_differs=True)

    # The lead reviewer sees both side by side and records consensus.
    page = ui.sign_in("reviewer", PASSWORD)
    page = ui.goto(f"/fidelity/reviews/{review_id}/consensus/")
    item_17 = page.get_by_role("region", name="17. Job development — frequent employer contact")
    expect(item_17).to_contain_text("reviewers differ")
    expect(item_17.get_by_role("table")).to_contain_text("Avery White")
    for number, score in enumerate(SCORES, start=1):
        if number == 16:
            ui.field("Score for item 16").select_option(label="Cannot rate")
            ui.field("Why item 16 can't be rated").fill("No record of preferences in the contact logs.")
            continue
        ui.field(f"Score for item {number}").select_option(str(score))
    ui.field("Recommendations (item 12)").fill("Offer benefits planning before every job start.")
    ui.field("Recommendations (item 17)").fill("Plan six employer contacts a week per specialist.")
    ui.field("Strengths (item 9)").fill("Referrals come from everywhere, including self-referral.")
    page.get_by_role("button", name="Save consensus").click()
    ui.checked()
    expect(page.get_by_role("main")).to_contain_text("1 item could not be rated")
    page.get_by_role("button", name="Complete consensus").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fidelity review report: Program P1")
    expect(page.get_by_role("main")).to_contain_text("Prorated estimate")
    ui.field("Overall strengths").fill("Strong executive support and zero exclusion.")
    ui.field("Overall recommendations").fill("Benefits planning and employer contact.")
    page.get_by_role("button", name="Save the overall sections").click()
    ui.checked()
    page.get_by_role("button", name="Deliver the report").click()
    ui.checked()

    # The action plan from the recommendations.
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan: Program P1")
    ui.field("Owner of the new actions").select_option(label="Supervisor Tester")
    page.locator("#rec_due_on").fill(factories.days(60).isoformat())
    page.get_by_role("button", name="Add actions from the recommendations").click()
    ui.checked()
    expect(page.get_by_role("table")).to_contain_text("Offer benefits planning before every job start.")
    expect(page.get_by_role("table")).to_contain_text("Plan six employer contacts a week per specialist.")
    _sign_out(ui)

    # The program's director reads the delivered report, with its chart and data table.
    page = ui.sign_in("director", PASSWORD)
    page = ui.goto(f"/fidelity/reviews/{review_id}/report/")
    expect(page.locator("svg.fidelity-chart")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Caseload size")
    expect(page.get_by_role("main")).to_contain_text("A Pine County Human Services")
    review = Review.objects.get(pk=review_id)
    assert review.status == "delivered"
    assert Review.objects.filter(program=review.program, kind="follow_up").exists()
