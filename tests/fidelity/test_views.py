"""Pages: blind scoring, consensus side by side, the report on the web and in PDF, writes refused."""

import pytest
from django.urls import reverse

from ipshub.fidelity import pdf, services
from ipshub.fidelity.models import Review
from ipshub.fidelity.scales import current_scale
from tests.fidelity import factories

pytestmark = pytest.mark.django_db


def _url(name: str, review: Review) -> str:
    return reverse(f"fidelity:{name}", kwargs={"review_id": review.pk})


def test_reviewers_do_not_see_each_others_scores_before_consensus(world, client_for) -> None:
    review = factories.planned_review(world)
    services.scores_save(
        actor=world.reviewer,
        review=review,
        entries=factories.entries(review, factories.SCORES, notes="SECRET-NOTE-OF-LEAD"),
    )
    services.scores_submit(actor=world.reviewer, review=review)
    second = client_for(factories.second_reviewer(world))
    page = second.get(_url("review_score", review)).content.decode()
    assert "SECRET-NOTE-OF-LEAD" not in page
    consensus = second.get(_url("review_consensus", review)).content.decode()
    assert "SECRET-NOTE-OF-LEAD" not in consensus
    assert "once both have submitted" in consensus
    for name in ("state_lead", "admin", "director"):
        assert (
            "SECRET-NOTE-OF-LEAD"
            not in client_for(world.people[name]).get(_url("review_consensus", review)).content.decode()
        )


def test_consensus_shows_both_scores_side_by_side(world, client_for) -> None:
    review = factories.review_in_consensus(world)
    page = client_for(world.reviewer).get(_url("review_consensus", review)).content.decode()
    assert page.count("Reviewers' scores for item") == 25
    assert "Avery White" in page and "Reviewer Tester" in page
    assert "Save consensus" in page  # the lead records it
    other = client_for(factories.second_reviewer(world)).get(_url("review_consensus", review)).content.decode()
    assert "Save consensus" not in other
    # Program partners never see the individual scores.
    director = client_for(world.director).get(_url("review_consensus", review)).content.decode()
    assert "Reviewers' scores for item" not in director


def test_scoring_form_keeps_what_was_typed_on_error(world, client_for) -> None:
    review = factories.planned_review(world)
    response = client_for(world.reviewer).post(
        _url("review_score", review), {"score_3": "cannot", "reason_3": "", "notes_3": "kept text"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "say why it can&#x27;t be rated" in body
    assert "kept text" in body


def test_consensus_post_by_the_second_reviewer_is_refused(world, client_for) -> None:
    review = factories.review_in_consensus(world)
    response = client_for(factories.second_reviewer(world)).post(_url("review_consensus", review), {})
    assert response.status_code == 403


def test_reviewers_and_partners_cannot_change_the_schedule_or_team(world, client_for) -> None:
    review = factories.planned_review(world)
    for name in ("reviewer", "director", "supervisor", "counselor", "trainer"):
        client = client_for(world.people[name])
        assert (
            client.post(_url("review_reschedule", review), {"due_on": "2030-01-01", "reason": "x"}).status_code == 403
        )
        assert client.post(_url("review_team", review), {}).status_code == 403
        assert client.post(_url("review_cancel", review), {"reason": "x"}).status_code == 403
    assert client_for(world.director).post(_url("review_plan", review), {}).status_code == 403


def test_draft_report_is_hidden_from_partners(world, client_for) -> None:
    review = factories.review_in_consensus(world)
    services.consensus_save(actor=world.reviewer, review=review, entries=factories.entries(review, factories.SCORES))
    services.consensus_complete(actor=world.reviewer, review=review)
    director = client_for(world.director)
    assert "once the review team delivers it" in director.get(_url("review_report", review)).content.decode()
    response = director.get(_url("review_report_pdf", review))
    assert response["Content-Type"].startswith("text/html")


def test_report_page_and_pdf(world, client_for) -> None:
    factories.delivered_review(world, on=-400)  # a previous review to compare with
    review = Review.objects.get(program=world.programs["p1"], kind="follow_up")
    services.review_set_team(
        actor=world.state_lead, review=review, lead=world.reviewer, second=factories.second_reviewer(world)
    )
    services.review_plan(
        actor=world.state_lead, review=review, visit_day_1=factories.days(-3), visit_day_2=factories.days(-2)
    )
    scores = [5] * 20 + [4] * 4 + [None]
    for person in (world.reviewer, factories.second_reviewer(world)):
        services.scores_save(actor=person, review=review, entries=factories.entries(review, scores))
        services.scores_submit(actor=person, review=review)
    review.refresh_from_db()
    services.consensus_save(
        actor=world.reviewer,
        review=review,
        entries=factories.entries(review, scores, strengths="Weekly unit meeting", recommendations="Log contacts"),
    )
    services.consensus_complete(actor=world.reviewer, review=review)
    services.report_save_overall(
        actor=world.reviewer, review=review, strengths="Excellent progress", recommendations="Keep going"
    )
    services.report_deliver(actor=world.reviewer, review=review, delivered_on=factories.days(0))

    page = client_for(world.director).get(_url("review_report", review)).content.decode()
    assert "<svg" in page and "Item scores, Program P1, compared with the review delivered" in page
    assert "Excellent progress" in page
    assert "116" in page  # 20×5 + 4×4 = 116 from 24 rated items; estimate round(116 × 25 / 24) = 121
    assert "121" in page and "Exemplary fidelity" in page and "estimated" in page
    assert "+1" in page  # item 1 went from 4 to 5

    response = client_for(world.director).get(_url("review_report_pdf", review))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf.document_text(pdf.report_document(review))
    for expected in (
        "Fidelity review report: Program P1",
        "Excellent progress",
        "Keep going",
        "Strengths and recommendations by item",
        "25. Assertive engagement and outreach by the integrated team",
        "Not rated: No records to review.",
        "Exemplary fidelity",
        "Reviewer Tester (lead)",
    ):
        assert expected in text, expected


def test_review_list_query_count_does_not_grow(world, client_for, django_assert_num_queries) -> None:
    client = client_for(world.state_lead)
    factories.planned_review(world)
    client.get(reverse("fidelity:review_list"))  # warm caches (content types, sessions)
    small = _count(client)
    scale = current_scale()
    Review.objects.bulk_create(
        Review(program=world.programs["p2"], scale=scale, kind="follow_up", due_on=factories.days(n)) for n in range(40)
    )
    with django_assert_num_queries(small):
        response = client.get(reverse("fidelity:review_list"))
    assert response.status_code == 200
    assert "41 reviews" in response.content.decode()


def _count(client) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("fidelity:review_list"))
    return len(ctx.captured_queries)


def test_overdue_filter(world, client_for) -> None:
    review = factories.planned_review(world)
    Review.objects.filter(pk=review.pk).update(due_on=factories.days(-5))
    page = client_for(world.state_lead).get(reverse("fidelity:review_list") + "?due=overdue").content.decode()
    assert "Program P1" in page and "overdue" in page
    page = client_for(world.state_lead).get(reverse("fidelity:review_list") + "?due=soon").content.decode()
    assert "Program P1" not in page


def test_bad_schedule_input_gets_a_message(world, client_for) -> None:
    response = client_for(world.state_lead).post(
        reverse("fidelity:review_schedule"),
        {"program": world.programs["p1"].pk, "kind": "baseline", "due_on": "soon"},
    )
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()


def test_a_visit_or_a_period_at_the_ends_of_the_calendar_is_refused_with_a_message(world, client_for) -> None:
    # Two weeks counted around a visit on 9999-12-31 ran off the calendar: a 500 before.
    review = factories.planned_review(world)
    planned = review.visit_day_1
    lead = client_for(world.state_lead)
    response = lead.post(_url("review_plan", review), {"visit_day_1": "9999-12-30", "visit_day_2": "9999-12-31"})
    assert response.status_code == 400
    assert "Use a date between the years 1900 and 2199." in response.content.decode()
    review.refresh_from_db()
    assert review.visit_day_1 == planned  # nothing saved
    estimate = reverse("fidelity:program_estimate", args=[review.program_id])
    response = lead.get(estimate, {"first_day": "0001-01-01", "last_day": "2026-01-01"})
    assert response.status_code == 400
    assert "Use a date between the years 1900 and 2199." in response.content.decode()
