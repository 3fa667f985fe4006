"""The preparation timeline follows the recorded work (#26): a step with a rule completes itself when its work
is recorded (dated, by whom, saying which work), reopens when the work is undone, and a person can still mark
a step done by hand with a note; the rules leave a step marked by hand alone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import preparation, services
from ipshub.fidelity.models import PrepTask, Review
from tests.fidelity import factories, prep_factories
from tests.fidelity.test_self_assessment import make

pytestmark = pytest.mark.django_db


def _step(review: Review, key: str) -> PrepTask:
    return review.prep_tasks.select_related("done_by").get(key=key)


def test_the_documents_step_completes_when_every_request_is_answered_and_reopens(world) -> None:
    review = factories.planned_review(world)
    requests = prep_factories.with_checklist(world, review, "Caseload list\nJob list")
    preparation.document_request_answer(actor=world.supervisor, request=requests[0], note="On the shared drive")
    assert not _step(review, "documents").is_done  # one of two answered
    preparation.document_request_answer(
        actor=world.director, request=requests[1], files=[SimpleUploadedFile("jobs.pdf", prep_factories.PDF)]
    )
    step = _step(review, "documents")
    assert step.is_done and step.done_by == world.director
    assert step.done_by_work == "All 2 documents requested are answered"
    assert AuditEvent.objects.filter(action="fidelity.prep_task_done_by_work").exists()
    # The file taken back: the request is no longer answered, and the step reopens.
    preparation.document_upload_remove(actor=world.director, upload=requests[1].uploads.get())
    step = _step(review, "documents")
    assert not step.is_done and step.done_by_work == ""
    # Answered again, then a new request added to the plan: open again until it is answered.
    preparation.document_request_answer(actor=world.director, request=requests[1], note="Paper file")
    assert _step(review, "documents").is_done
    prep_factories.with_checklist(world, review, "Caseload list\nJob list\nSupervision notes")
    assert not _step(review, "documents").is_done


def test_the_self_assessment_step_completes_from_one_recorded_since_scheduling(world) -> None:
    review = factories.planned_review(world)
    Review.objects.filter(pk=review.pk).update(created_at=review.created_at - datetime.timedelta(days=1))
    assessment = make(world)
    step = _step(review, "self_assessment")
    assert step.is_done and step.done_by == world.supervisor
    assert step.done_at == assessment.created_at
    assert step.done_by_work.startswith("Self-assessment of ")


def test_a_self_assessment_made_before_the_review_was_scheduled_does_not_count(world) -> None:
    make(world)
    review = factories.planned_review(world)
    assert not _step(review, "self_assessment").is_done


def test_the_chart_step_completes_when_the_worksheet_is_generated(world) -> None:
    review = factories.planned_review(world)
    preparation.chart_worksheet(actor=world.reviewer, review=review, how="view")
    step = _step(review, "chart_sample")
    assert step.is_done and step.done_by == world.reviewer and "worksheet generated" in step.done_by_work


def test_the_agenda_step_needs_the_agenda_and_an_invitation(world) -> None:
    review = factories.planned_review(world)
    services.agenda_use_standard(actor=world.state_lead, review=review)
    assert not _step(review, "agenda").is_done
    invitee = services.invitee_add(
        actor=world.state_lead, review=review, who="Client A, working", relation="client", invited_on=factories.days(0)
    )
    assert _step(review, "agenda").is_done
    services.invitee_delete(actor=world.state_lead, invitee=invitee)
    assert not _step(review, "agenda").is_done


def test_a_step_marked_by_hand_keeps_its_note_and_the_rules_leave_it_alone(world, client_for) -> None:
    review = factories.planned_review(world)
    requests = prep_factories.with_checklist(world, review, "Caseload list")
    task = _step(review, "documents")
    response = client_for(world.director).post(
        reverse("fidelity:prep_task_mark", args=[task.pk]), {"done": "yes", "note": "Handed over on paper"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.is_done and task.done_note == "Handed over on paper" and task.done_by_work == ""
    # An answer, then taken back: the step was done by hand, so it stays done.
    preparation.document_request_answer(
        actor=world.director, request=requests[0], files=[SimpleUploadedFile("a.pdf", prep_factories.PDF)]
    )
    preparation.document_upload_remove(actor=world.director, upload=requests[0].uploads.get())
    assert _step(review, "documents").is_done
    page = client_for(world.director).get(reverse("fidelity:review_preparation", args=[review.pk])).content.decode()
    assert "Note: Handed over on paper" in page
    with pytest.raises(ValidationError):
        preparation.prep_task_mark(actor=world.director, task=task, done=True, note="x" * 1001)
    preparation.prep_task_mark(actor=world.director, task=task, done=False)
    task.refresh_from_db()
    assert not task.is_done and task.done_note == ""
