"""The IPS supervisor answers a requested document with an upload, on a phone: a file that isn't what its name
says is refused beside the field with the note kept; the right file answers the request; the reviewer, inside
the window, downloads it. axe on every page."""

import pytest
from playwright.sync_api import expect

from ipshub.audit.models import AuditEvent
from ipshub.fidelity.models import DocumentRequest
from tests.fidelity import factories, prep_factories
from tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_supervisor_answers_a_request_with_a_file(ui, world, tmp_path) -> None:
    review = factories.planned_review(world, visit_in=3)  # the reviewers' window is open
    request = prep_factories.with_checklist(world, review)[0]
    ui.page.set_viewport_size({"width": 390, "height": 844})
    page = ui.sign_in("supervisor", PASSWORD)
    page = ui.goto(f"/fidelity/reviews/{review.pk}/preparation/")
    expect(page.get_by_role("heading", name="Preparation timeline")).to_be_visible()
    item = page.locator(f"#request-{request.pk}")
    item.get_by_text("Answer this request").click()
    wrong = tmp_path / "caseload.pdf"
    wrong.write_bytes(b"MZ this is not a PDF")
    item.get_by_label("File").set_input_files(str(wrong))
    item.get_by_label("Note for the reviewers").fill("Counts by specialist; names in the chart room.")
    item.get_by_role("button", name="Save the answer").click()
    ui.checked()
    item = page.locator(f"#request-{request.pk}")
    expect(item).to_contain_text("does not contain what a .pdf file should")
    expect(item.get_by_label("Note for the reviewers")).to_have_value("Counts by specialist; names in the chart room.")
    right = tmp_path / "caseload.pdf"
    right.write_bytes(prep_factories.PDF)
    item.get_by_label("File").set_input_files(str(right))
    item.get_by_role("button", name="Save the answer").click()
    ui.checked()
    expect(page.get_by_text("“IPS caseload list” is answered.")).to_be_visible()
    item = page.locator(f"#request-{request.pk}")
    expect(item).to_contain_text("Answered")
    expect(item.get_by_role("link", name="caseload.pdf")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert DocumentRequest.objects.get(pk=request.pk).is_answered
    page.locator("#timeline + p + table").get_by_role("button", name="Documents requested uploaded").click()
    ui.checked()
    expect(page.get_by_text("is marked done")).to_be_visible()

    page.context.clear_cookies()  # signed out
    page = ui.sign_in("reviewer", PASSWORD)
    page = ui.goto(f"/fidelity/reviews/{review.pk}/preparation/")
    with page.expect_download() as download:
        page.get_by_role("link", name="caseload.pdf").click()
    assert download.value.suggested_filename == "caseload.pdf"
    assert AuditEvent.objects.filter(action="fidelity.document_download", actor=world.reviewer).exists()
    page = ui.goto(f"/fidelity/reviews/{review.pk}/chart-worksheet/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("chart-review worksheet")
