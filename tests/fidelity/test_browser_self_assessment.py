"""The IPS supervisor scores a self-assessment on a phone: a wrong submit keeps what was typed and names every
problem; saved, the comparison shows the team's scores beside the records' and the last review's, with the
items that disagree most first; axe on every page, nothing wider than the phone."""

import pytest
from playwright.sync_api import expect

from ipshub.fidelity.models import SelfAssessment
from tests.browsing import wider_than_the_screen
from tests.fidelity import factories
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_supervisor_scores_and_compares_on_a_phone(ui, world) -> None:
    factories.delivered_review(world)  # item 12 agreed at 2, item 1 at 4
    program = world.programs["p1"]
    ui.page.set_viewport_size({"width": 390, "height": 844})
    page = ui.sign_in("supervisor", PASSWORD)
    page = ui.goto(f"/fidelity/programs/{program.pk}/self-assessments/")
    page.get_by_role("link", name="Start a new self-assessment").click()
    ui.checked()
    expect(page.get_by_role("heading", name="1. Caseload size")).to_have_count(0)  # a legend, not a heading
    expect(page.get_by_text("What earns each score").first).to_be_visible()
    ui.field("Who took part").fill("IPS supervisor and two specialists")
    ui.field("Our score for item 1").select_option("5")
    ui.field("Note (item 12)").fill("No benefits planner this year")
    # Each item saves as it is scored (the first one made the self-assessment); the button waits for the
    # items on their way, then sends the whole form: wait for its answer before checking the page.
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("choose a score for the note")
    ui.checked()
    expect(ui.field("Who took part")).to_have_value("IPS supervisor and two specialists")
    expect(ui.field("Our score for item 1")).to_have_value("5")
    ui.field("Our score for item 12").select_option("5")
    ui.field("Our score for item 9").select_option("1")
    expect(page.locator("[data-score-progress]")).to_have_text("3 of 25 scored")  # 1, 12 and 9 saved
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-assessment compared")
    ui.checked()
    expect(page.get_by_text("The self-assessment was saved.")).to_be_visible()
    disagreements = page.get_by_role("region", name="Where the scores disagree most")
    expect(disagreements).to_contain_text("9. ")  # self 1 vs review 5: four points apart, listed first
    expect(disagreements.get_by_role("listitem").first).to_contain_text("4 points apart")
    row = page.locator("#item-12")
    expect(row).to_contain_text("+3")
    assert not wider_than_the_screen(page)
    page.get_by_label("Order the items by").select_option(label="Largest difference first")
    page.get_by_role("button", name="Order").click()
    ui.checked()
    expect(page.locator("tbody tr").first).to_have_id("item-9")
    assert SelfAssessment.objects.get().scores.count() == 3
    # The index and the saved self-assessment, for the team and read only for the state team's trainer.
    page = ui.goto("/fidelity/self-assessments/")
    page.get_by_role("link", name=SelfAssessment.objects.get().assessed_on.strftime("%b %-d, %Y")).click()
    ui.checked()
    expect(ui.field("Our score for item 9")).to_have_value("1")
    assert not wider_than_the_screen(page)


def test_the_trainer_reads_without_a_form(ui, world) -> None:
    from ipshub.fidelity.scales import current_scale
    from ipshub.fidelity.self_assessment_services import SelfScoreEntry, self_assessment_create

    item = current_scale().items.get(number=1)
    assessment = self_assessment_create(
        actor=world.supervisor,
        program=world.programs["p1"],
        assessed_on=factories.days(-3),
        entries=[SelfScoreEntry(item=item, score="4", note="Caseloads around 22")],
    )
    ui.sign_in("trainer", PASSWORD)
    page = ui.goto(f"/fidelity/self-assessments/{assessment.pk}/")
    expect(ui.field("Our score for item 1")).to_be_disabled()
    expect(page.get_by_role("button", name="Save the self-assessment")).to_have_count(0)
    page = ui.goto(f"/fidelity/programs/{world.programs['p1'].pk}/comparison/")
    expect(page.get_by_role("main")).to_contain_text("No delivered review yet.")
