"""A DVR report submitted asks the counselor for a review (dvr/work.py): the quarter's review duty is due only
then, by the reminder's date, and closes with the counselor's decision; a returned report submitted again
asks again."""

import datetime

import pytest
from django.urls import reverse

from ipshub.dvr import rules, services, work
from ipshub.dvr.models import ReportReview
from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import ItemStatus, StatusSource
from tests.dvr.factories import authorize, hired, report_data, shared_client
from tests.fulfilment_checks import assignment, committed, links, quarter_key, today
from tests.implementation.helpers import to_ongoing

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(2000, 1, 1)


def test_each_submitted_report_asks_for_a_review_that_the_counselors_decision_answers(
    world, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    enrollment = shared_client(world)
    hired(world, enrollment)
    authorization = authorize(world, enrollment)
    assignments_reconcile([program.pk])
    key = quarter_key(today())
    found = assignment(program, "R-ONG-DVR-03", key)
    assert found.status == ItemStatus.NOT_APPLICABLE  # nothing asked yet
    specialist, counselor = world.specialist, world.counselor

    with committed(django_capture_on_commit_callbacks):
        services.report_submit(actor=specialist, authorization=authorization, data=report_data(authorization))
    found = assignment(program, "R-ONG-DVR-03", key)
    assert found.status == ItemStatus.NOT_STARTED
    assert found.due_on == today() + datetime.timedelta(days=rules.REVIEW_DAYS)

    with committed(django_capture_on_commit_callbacks):
        returned = services.report_review(
            actor=counselor, authorization=authorization, accept=False, comments="Add the wage."
        )
    found = assignment(program, "R-ONG-DVR-03", key)
    assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK)
    url = reverse("dvr:authorization_detail", kwargs={"authorization_id": authorization.pk})
    assert links(found) == [{"kind": "dvr_report_review", "id": returned.pk, "url": url, "on": today().isoformat()}]
    assert "returned for corrections" in found.fulfilled_by[0]["label"]

    # Corrected and submitted again: a new ask, waiting for the counselor.
    with committed(django_capture_on_commit_callbacks):
        services.report_submit(
            actor=specialist, authorization=authorization, data={**report_data(authorization), "summary": "Fixed."}
        )
    found = assignment(program, "R-ONG-DVR-03", key)
    assert found.is_open
    assert found.due_on == today() + datetime.timedelta(days=rules.REVIEW_DAYS)

    with committed(django_capture_on_commit_callbacks):
        accepted = services.report_review(actor=counselor, authorization=authorization, accept=True, comments="")
    found = assignment(program, "R-ONG-DVR-03", key)
    assert found.status == ItemStatus.DONE
    assert [link["id"] for link in links(found)] == [returned.pk, accepted.pk]
    assert ReportReview.objects.get(pk=accepted.pk).submitted_at is not None

    asks = list(work.review_asks([program.pk], LONG_AGO))
    assert [(a.id, a.answer.id if a.answer else None) for a in asks] == [
        (returned.report_id, returned.pk),
        (accepted.report_id, accepted.pk),
    ]
    other = [world.programs["p2"].pk, world.programs["pb"].pk]
    assert work.review_asks(other, LONG_AGO) == []
    assert list(work.report_reviews(other, LONG_AGO)) == []
