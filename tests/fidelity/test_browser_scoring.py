"""Scoring that cannot lose work (#26), in the demo: the second reviewer (`reviewer2`, part way through Lake
County IPS's baseline) scores on a tablet, the network is cut mid-way and comes back, nothing is lost; they
submit, and the lead reviewer completes consensus. axe checks every page, and the page with items waiting."""

import re

import pytest
from playwright.sync_api import expect

from ipshub.demo.demo_state import DEMO_PASSWORD
from ipshub.fidelity.models import Review, ReviewerScore
from tests.browsing import DESK, check_axe, wider_than_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}
# The second reviewer's scores of the items the demo leaves to them (15 to 25; 16 cannot be rated).
REMAINING = {15: "3", 17: "3", 18: "3", 19: "4", 20: "3", 21: "4", 22: "3", 23: "2", 24: "3", 25: "3"}


def _saved_numbers(review: Review) -> set[int]:
    rows = ReviewerScore.objects.filter(review=review, reviewer__username="reviewer2")
    return set(rows.values_list("item__number", flat=True))


def _status(page, number: int):  # type: ignore[no-untyped-def]
    return page.locator(f'fieldset[data-item="{number}"] [data-item-status]')


def test_scoring_survives_a_cut_network_and_consensus_completes(ui, demo) -> None:
    review = Review.objects.get(program__name="Lake County IPS")
    assert review.status == Review.Status.SCORING
    assert _saved_numbers(review) == set(range(1, 15))
    page = ui.page
    page.set_viewport_size(TABLET)

    # The second reviewer finds the review from the Fidelity list.
    ui.sign_in("reviewer2", DEMO_PASSWORD)
    ui.goto("/fidelity/")
    page.get_by_role("link", name=re.compile("Lake County IPS")).first.click()
    ui.checked()
    page.get_by_role("link", name="My scores").first.click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("My scores for Lake County IPS")
    progress = page.locator("[data-score-progress]")
    expect(progress).to_have_text("14 of 25 scored")
    sections = page.get_by_role("navigation", name="Sections of the scale")
    expect(sections).to_contain_text("Services")
    sections.get_by_role("link", name=re.compile("Services")).click()
    expect(page.locator("#section-services")).to_be_in_viewport()
    assert not wider_than_a_phone(page)

    # Item 15 saves as it is scored, and says so.
    ui.field("Score for item 15").select_option(REMAINING[15])
    expect(_status(page, 15)).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(progress).to_have_text("15 of 25 scored")

    # The network is cut: the items scored now wait in the page, which names them.
    page.context.set_offline(True)
    ui.field("Score for item 16").select_option(label="Cannot rate")
    ui.field("Why item 16 can't be rated").fill("Too few employer contacts logged to judge.")
    ui.field("Why item 16 can't be rated").blur()
    for number in (17, 18, 19):
        ui.field(f"Score for item {number}").select_option(REMAINING[number])
    ui.field("Notes (item 19)").fill("Job starts seen in two charts.")
    ui.field("Notes (item 19)").blur()
    announce = page.locator("[data-score-announce]")
    expect(announce).to_contain_text("Not saved yet: items 16, 17, 18, 19")
    expect(_status(page, 18)).to_have_text("Not saved yet (offline)")
    check_axe(page)  # the page with its warnings is checked too
    # The whole-page button, offline, keeps the page rather than losing it to a browser error.
    page.get_by_role("button", name="Save my scores").click()
    expect(announce).to_contain_text("The page was not sent")
    expect(ui.field("Notes (item 19)")).to_have_value("Job starts seen in two charts.")
    # Nothing already saved is lost; nothing new reached the server.
    assert _saved_numbers(review) == set(range(1, 16))

    # Back online: the waiting items save by themselves, in order, with their notes.
    page.context.set_offline(False)
    expect(progress).to_have_text("19 of 25 scored", timeout=20_000)
    expect(announce).not_to_contain_text("Not saved yet")
    expect(_status(page, 16)).to_have_text(re.compile(r"^Saved "))
    assert _saved_numbers(review) == set(range(1, 20))
    item_19 = ReviewerScore.objects.get(review=review, reviewer__username="reviewer2", item__number=19)
    assert (item_19.score, item_19.notes) == (4, "Job starts seen in two charts.")
    assert ReviewerScore.objects.get(
        review=review, reviewer__username="reviewer2", item__number=16
    ).cannot_rate_reason.startswith("Too few")

    # The rest, at a phone's width.
    page.set_viewport_size({"width": 390, "height": 844})
    for number in (20, 21, 22, 23, 24, 25):
        ui.field(f"Score for item {number}").select_option(REMAINING[number])
    expect(progress).to_have_text("25 of 25 scored", timeout=20_000)
    expect(announce).not_to_contain_text("Not saved yet")
    ui.goto(page.url.removeprefix(ui.base_url))  # read again from the server: every item is there
    expect(progress).to_have_text("25 of 25 scored")
    page.get_by_role("button", name="Submit my scores").click()
    ui.checked()
    expect(page.get_by_role("status")).to_contain_text("Your scores were submitted")
    review.refresh_from_db()
    assert review.status == Review.Status.CONSENSUS
    page.set_viewport_size(DESK)  # below it, signing out is in the menu
    page.get_by_role("button", name="Sign out").click()
    ui.checked()

    # The lead reviewer records consensus, on a tablet.
    page.set_viewport_size(TABLET)
    ui.sign_in("reviewer", DEMO_PASSWORD)
    ui.goto(f"/fidelity/reviews/{review.pk}/consensus/")
    expect(page.get_by_role("region", name=re.compile("^17\\. ")).first).to_contain_text("reviewers differ")
    lead = dict(
        ReviewerScore.objects.filter(review=review, reviewer__username="reviewer").values_list("item__number", "score")
    )
    for number in range(1, 26):
        if lead[number] is None:
            ui.field(f"Score for item {number}").select_option(label="Cannot rate")
            ui.field(f"Why item {number} can't be rated").fill("Both reviewers: too few contacts logged.")
        else:
            ui.field(f"Score for item {number}").select_option(str(lead[number]))
    page.get_by_role("button", name="Save consensus").click()
    ui.checked()
    page.get_by_role("button", name="Complete consensus").click()
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fidelity review report: Lake County IPS")
    review.refresh_from_db()
    assert review.status == Review.Status.REPORTING
