"""Review preparation (issue #26): the timeline, the documents checklist and who reads its answers, the
chart-review worksheet."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.fidelity import access, preparation, services
from ipshub.fidelity.models import DocumentRequest, DocumentUpload, PrepTask, Review
from tests.clients import factories as client_factories
from tests.fidelity import factories, prep_factories

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_admin", "other_state_lead")


def _schedule(world, due_in: int = 120) -> Review:
    return services.review_schedule(
        actor=world.state_lead, program=world.programs["p2"], kind=Review.Kind.BASELINE, due_on=factories.days(due_in)
    )


# --- Timeline -------------------------------------------------------------------------------------------


def test_scheduling_creates_the_timeline_counted_back_from_the_due_date(world) -> None:
    review = _schedule(world)
    tasks = {t.key: t for t in review.prep_tasks.all()}
    assert list(tasks) == ["kickoff", "documents", "self_assessment", "chart_sample", "agenda", "visit"]
    assert tasks["kickoff"].due_on == factories.days(120 - 70)
    assert tasks["visit"].due_on == factories.days(120)
    assert {t.party for t in tasks.values()} == {"program", "reviewers", "both"}


def test_moving_the_review_moves_the_open_steps_only(world) -> None:
    review = _schedule(world)
    kickoff = review.prep_tasks.get(key="kickoff")
    preparation.prep_task_mark(actor=world.state_lead, task=kickoff, done=True)
    services.review_reschedule(actor=world.state_lead, review=review, due_on=factories.days(134), reason="Staff away")
    tasks = {t.key: t for t in review.prep_tasks.all()}
    assert tasks["kickoff"].due_on == factories.days(50)  # done: stays
    assert tasks["documents"].due_on == factories.days(134 - 42)
    # Planning the visit counts the open steps back from the first visit day.
    services.review_set_team(
        actor=world.state_lead, review=review, lead=world.reviewer, second=factories.second_reviewer(world)
    )
    services.review_plan(
        actor=world.state_lead, review=review, visit_day_1=factories.days(100), visit_day_2=factories.days(101)
    )
    assert review.prep_tasks.get(key="agenda").due_on == factories.days(86)
    event = AuditEvent.objects.filter(action="fidelity.review_reschedule").latest("pk")
    assert event.detail["steps_moved"] == "5"


def test_marking_a_step_is_audited_and_limited(world) -> None:
    review = factories.planned_review(world)
    task = review.prep_tasks.get(key="documents")
    for name in ("supervisor", "director", "reviewer", "state_lead"):
        preparation.prep_task_mark(actor=world.people[name], task=task, done=True)
    task.refresh_from_db()
    assert task.is_done and task.done_by == world.supervisor  # the first to mark it
    preparation.prep_task_mark(actor=world.director, task=task, done=False)
    task.refresh_from_db()
    assert not task.is_done
    assert AuditEvent.objects.filter(action="fidelity.prep_task_done", object_id=str(task.pk)).count() == 4
    assert AuditEvent.objects.filter(action="fidelity.prep_task_reopen").count() == 1
    for name in ("specialist", "counselor"):
        with pytest.raises(PermissionDenied):
            preparation.prep_task_mark(actor=world.people[name], task=task, done=True)
    for name in OUTSIDERS:
        with pytest.raises(Http404):
            access.get_prep_task_for(world.people[name], task.pk)


def test_the_review_page_shows_done_and_overdue_steps(world, client_for) -> None:
    review = factories.planned_review(world, visit_in=20)  # the first steps are overdue
    preparation.prep_task_mark(actor=world.director, task=review.prep_tasks.get(key="kickoff"), done=True)
    page = client_for(world.director).get(reverse("fidelity:review_detail", args=[review.pk])).content.decode()
    assert "1 of 6 steps done" in page and "3 overdue" in page
    assert "Mark done" in page and "Mark not done" in page
    counselor = client_for(world.counselor).get(reverse("fidelity:review_detail", args=[review.pk])).content.decode()
    assert "1 of 6 steps done" in counselor and "Mark done" not in counselor


def test_marking_a_step_on_the_web(world, client_for) -> None:
    review = factories.planned_review(world)
    task = review.prep_tasks.get(key="agenda")
    url = reverse("fidelity:prep_task_mark", args=[task.pk])
    response = client_for(world.supervisor).post(url, {"done": "yes", "back": "overview"})
    assert response.status_code == 302 and response["Location"].endswith(f"/fidelity/reviews/{review.pk}/#timeline")
    assert PrepTask.objects.get(pk=task.pk).is_done
    assert client_for(world.supervisor).post(url, {"done": "maybe"}).status_code == 302  # a message, no 500
    assert client_for(world.specialist).post(url, {"done": "yes"}).status_code == 403
    for name in OUTSIDERS:
        assert client_for(world.people[name]).post(url, {"done": "no"}).status_code == 404


# --- Checklist -------------------------------------------------------------------------------------------


def test_the_checklist_follows_the_documents_requested(world) -> None:
    review = factories.planned_review(world)
    requests = prep_factories.with_checklist(world, review)
    assert [r.title for r in requests] == [
        "IPS caseload list",
        "Employer contact logs for the last month",
        "Job list for the last year",
    ]
    preparation.document_request_answer(actor=world.supervisor, request=requests[1], note="Kept on paper")
    prep_factories.with_checklist(world, review, "- Job list for the last year\n\nSteering committee minutes\n")
    titles = [r.title for r in review.document_requests.all()]
    # Listed ones in order, then the answered one no longer listed (the program's answer stays).
    assert titles == [
        "Job list for the last year",
        "Steering committee minutes",
        "Employer contact logs for the last month",
    ]


def test_answering_with_a_file_and_a_note(world) -> None:
    _review, request = prep_factories.answered(world)
    request.refresh_from_db()
    assert request.is_answered and request.answered_by == world.supervisor
    upload = request.uploads.get()
    assert upload.original_name == "SECRET-caseload.pdf" and upload.content_type == "application/pdf"
    event = AuditEvent.objects.get(action="fidelity.document_answer")
    assert event.detail["files"] == ["SECRET-caseload.pdf"]


def test_answers_are_checked(world) -> None:
    review = factories.planned_review(world)
    request = prep_factories.with_checklist(world, review)[0]
    with pytest.raises(ValidationError) as refused:
        preparation.document_request_answer(actor=world.director, request=request, note="  ")
    assert "Upload the document, or write a note" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        preparation.document_request_answer(
            actor=world.director, request=request, files=[SimpleUploadedFile("list.pdf", b"MZ\x90\x00 not a pdf")]
        )
    assert "does not contain what a .pdf file should" in str(refused.value)
    for name in ("state_lead", "reviewer", "specialist", "counselor"):
        with pytest.raises(PermissionDenied):
            preparation.document_request_answer(actor=world.people[name], request=request, note="Here")
    assert not DocumentUpload.objects.exists()


def test_an_answer_form_keeps_what_was_typed(world, client_for) -> None:
    review = factories.planned_review(world)
    request = prep_factories.with_checklist(world, review)[0]
    response = client_for(world.supervisor).post(
        reverse("fidelity:document_answer", args=[request.pk]),
        {"note": "typed note stays", "file": SimpleUploadedFile("list.pdf", b"not a pdf")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "typed note stays" in body and "does not contain what a .pdf file should" in body
    assert "Choose the file again" in body


def test_a_file_uploaded_in_error_is_taken_back(world, client_for) -> None:
    review, request = prep_factories.answered(world)
    upload = request.uploads.get()
    url = reverse("fidelity:document_remove", args=[upload.pk])
    for name in ("state_lead", "reviewer", "specialist"):
        assert client_for(world.people[name]).post(url).status_code in (403, 404), name
    for name in OUTSIDERS:
        assert client_for(world.people[name]).post(url).status_code == 404
    assert client_for(world.director).post(url).status_code == 302
    assert not DocumentUpload.objects.exists()
    request.refresh_from_db()
    assert request.is_answered  # the note still answers it
    assert AuditEvent.objects.filter(action="fidelity.document_remove", actor=world.director).exists()
    other = preparation.document_request_answer(
        actor=world.supervisor,
        request=review.document_requests.get(position=2),
        files=[SimpleUploadedFile("log.csv", b"week,contacts\n")],
    )
    preparation.document_upload_remove(actor=world.supervisor, upload=other.uploads.get())
    other.refresh_from_db()
    assert not other.is_answered


def _prep_page(client, review: Review) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("fidelity:review_preparation", args=[review.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_reviewers_read_the_answers_only_inside_their_window(world, client_for) -> None:
    """The done-when of issue #26: uploads invisible to reviewers before and after their window, and to
    people of other agencies and states."""
    review, request = prep_factories.answered(world, visit_in=30)  # the window opens in 16 days
    upload = request.uploads.get()
    download = reverse("fidelity:document_download", args=[upload.pk])
    reviewers = (world.reviewer, factories.second_reviewer(world))
    for reviewer in reviewers:  # before the window
        page = _prep_page(client_for(reviewer), review)
        assert "Answered" in page and "SECRET" not in page
        assert client_for(reviewer).get(download).status_code == 404
        assert (
            "SECRET"
            not in client_for(reviewer).get(reverse("fidelity:review_detail", args=[review.pk])).content.decode()
        )
    Review.objects.filter(pk=review.pk).update(window_opens=factories.days(-1), window_closes=factories.days(10))
    for reviewer in reviewers:  # inside
        page = _prep_page(client_for(reviewer), review)
        assert "SECRET-caseload.pdf" in page and "SECRET-NOTE" in page
        response = client_for(reviewer).get(download)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="fidelity.document_download", object_id=str(upload.pk)).count() == 2
    Review.objects.filter(pk=review.pk).update(window_opens=factories.days(-30), window_closes=factories.days(-1))
    for reviewer in reviewers:  # after
        assert "SECRET" not in _prep_page(client_for(reviewer), review)
        assert client_for(reviewer).get(download).status_code == 404
    for name in OUTSIDERS:
        outsider = client_for(world.people[name])
        assert outsider.get(reverse("fidelity:review_preparation", args=[review.pk])).status_code == 404
        assert outsider.get(download).status_code == 404
        answer = reverse("fidelity:document_answer", args=[request.pk])
        assert outsider.post(answer, {"note": "x"}).status_code == 404
    # The state team and other partners see which requests are answered, not the answers.
    for name in ("state_lead", "trainer", "admin", "specialist", "counselor"):
        assert "SECRET" not in _prep_page(client_for(world.people[name]), review), name
        assert client_for(world.people[name]).get(download).status_code == 404, name
    for name in ("director", "supervisor"):
        assert "SECRET-NOTE" in _prep_page(client_for(world.people[name]), review)
        assert client_for(world.people[name]).get(download).status_code == 200


def test_a_cancelled_review_closes_the_window(world) -> None:
    review, _request = prep_factories.answered(world, visit_in=3)
    assert access.can_read_prep_answers(world.reviewer, review)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.CANCELLED)
    review.refresh_from_db()
    assert not access.can_read_prep_answers(world.reviewer, review)


def test_preparation_page_query_count_does_not_grow(world, client_for, django_assert_num_queries) -> None:
    review, _request = prep_factories.answered(world)
    client = client_for(world.reviewer)
    url = reverse("fidelity:review_preparation", args=[review.pk])
    client.get(url)
    with django_assert_num_queries(PREPARATION_QUERIES):
        assert client.get(url).status_code == 200
    prep_factories.with_checklist(world, review, "\n".join(f"Document {n}" for n in range(30)))
    for other in DocumentRequest.objects.filter(review=review)[:5]:
        preparation.document_request_answer(
            actor=world.supervisor, request=other, files=[SimpleUploadedFile("a.pdf", prep_factories.PDF)] * 2
        )
    with django_assert_num_queries(PREPARATION_QUERIES):
        assert client.get(url).status_code == 200


PREPARATION_QUERIES = (
    11  # session, person and seats, the review, its team, the timeline, the checklist and files, audit
)


# --- Chart-review worksheet ----------------------------------------------------------------------------


def _clients(world, n: int, employer_name: str = "Cedar Bakery") -> list[int]:  # type: ignore[no-untyped-def]
    employer = client_factories.employer(world, name=employer_name)
    made = []
    for i in range(n):
        enrollment = client_factories.enroll(world, first=f"Chartclient{employer_name[:4]}{i}", referred=90 + i)
        if i % 2 == 0:
            client_factories.start_job(world.specialist, enrollment, employer, started=40)
        made.append(enrollment.pk)
    return made


def test_the_worksheet_for_reviewers_in_their_window(world, client_for) -> None:
    made = _clients(world, 3)
    review = factories.planned_review(world, visit_in=3)
    url = reverse("fidelity:chart_worksheet", args=[review.pk])
    response = client_for(world.reviewer).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Chartclient") == 3 and "Cedar Bakery" in page
    event = AuditEvent.objects.filter(action="fidelity.chart_worksheet").latest("pk")
    assert sorted(event.detail["enrollments"]) == sorted(made) and event.detail["how"] == "view"
    csv = client_for(world.reviewer).get(reverse("fidelity:chart_worksheet_csv", args=[review.pk]))
    assert csv["Content-Disposition"].startswith("attachment")
    text = csv.content.decode()
    assert text.startswith("Client,Record number") and text.count("Chartclient") == 3
    assert client_factories.days_ago(40).isoformat() in text
    pdf = client_for(world.reviewer).get(reverse("fidelity:chart_worksheet_pdf", args=[review.pk]))
    assert pdf.content.startswith(b"%PDF")
    hows = set(AuditEvent.objects.filter(action="fidelity.chart_worksheet").values_list("detail__how", flat=True))
    assert hows == {"view", "csv", "pdf"}


def test_the_worksheet_is_closed_outside_the_window_and_to_others(world, client_for) -> None:
    _clients(world, 2)
    review = factories.planned_review(world, visit_in=30)
    urls = [
        reverse(f"fidelity:{name}", args=[review.pk])
        for name in ("chart_worksheet", "chart_worksheet_csv", "chart_worksheet_pdf")
    ]
    for url in urls:
        for name in ("reviewer", "state_lead", "trainer", "admin", "specialist", "counselor", *OUTSIDERS):
            assert client_for(world.people[name]).get(url).status_code == 404, (name, url)
    Review.objects.filter(pk=review.pk).update(window_opens=factories.days(-30), window_closes=factories.days(-1))
    assert client_for(world.reviewer).get(urls[0]).status_code == 404
    # The program's leaders pull the charts.
    assert client_for(world.supervisor).get(urls[0]).status_code == 200
    assert not AuditEvent.objects.filter(action="fidelity.chart_worksheet", actor=world.reviewer).exists()


def test_the_sample_is_reproducible_and_capped(world) -> None:
    _clients(world, 13)
    review = factories.planned_review(world, visit_in=3)
    first = preparation.chart_sample(review)
    assert len(first) == preparation.CHART_SAMPLE_SIZE
    assert preparation.chart_sample(review) == first
    # A referral after the window opened does not change the sample.
    client_factories.enroll(world, first="Latecomer", referred=0)
    review.window_opens = review.window_opens - datetime.timedelta(days=1)
    Review.objects.filter(pk=review.pk).update(window_opens=review.window_opens)
    assert preparation.chart_sample(review) == first


def test_worksheet_query_count_does_not_grow(world, client_for, django_assert_num_queries) -> None:
    _clients(world, 2)
    review = factories.planned_review(world, visit_in=3)
    client = client_for(world.reviewer)
    url = reverse("fidelity:chart_worksheet", args=[review.pk])
    client.get(url)
    with django_assert_num_queries(WORKSHEET_QUERIES):
        client.get(url)
    _clients(world, 8, employer_name="Pine Hardware")
    with django_assert_num_queries(WORKSHEET_QUERIES):
        assert client.get(url).content.decode().count("Chartclient") == 10


# Session, person and seats, the review, the sample, three for its rows, the chart step, whether the person
# chooses the sample (a reviewer of the team), the audit event.
WORKSHEET_QUERIES = 13


def test_review_page_query_count_does_not_grow_with_the_preparation(
    world, client_for, django_assert_num_queries
) -> None:
    review, _request = prep_factories.answered(world)
    client = client_for(world.supervisor)
    url = reverse("fidelity:review_detail", args=[review.pk])
    client.get(url)
    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    prep_factories.with_checklist(world, review, "\n".join(f"Document {n}" for n in range(20)))
    for task in review.prep_tasks.all()[:3]:
        preparation.prep_task_mark(actor=world.director, task=task, done=True)
    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        assert "3 of 6 steps done" in client.get(url).content.decode()


REVIEW_PAGE_QUERIES = 12  # with the timeline, and the checklist and its files (three queries)


# --- The reviewers choose the chart sample's size (#26, branch fidfin) ---------------------------------------


def test_reviewers_choose_the_sample_size_on_the_worksheet_page(world, client_for) -> None:
    _clients(world, 12)
    review = factories.planned_review(world, visit_in=3)
    client = client_for(world.reviewer)
    url = reverse("fidelity:chart_worksheet", args=[review.pk])
    page = client.get(url).content.decode()
    assert 'name="sample_size"' in page and 'value="10"' in page
    ten = preparation.chart_sample(review)
    for bad in ("0", "51", "ten", ""):
        refused = client.post(url, {"sample_size": bad})
        assert refused.status_code == 400, bad
        body = refused.content.decode()
        assert "Please correct 1 problem" in body
        if bad:
            assert f'value="{bad}"' in body  # what was typed stays
    review.refresh_from_db()
    assert review.chart_sample_size == 10
    assert client.post(url, {"sample_size": "12"}).status_code == 302
    review.refresh_from_db()
    twelve = preparation.chart_sample(review)
    assert review.chart_sample_size == 12 and set(ten) <= set(twelve)  # the charts already pulled stay
    assert client.post(url, {"sample_size": "50"}).status_code == 302
    review.refresh_from_db()
    everyone = len(preparation.hooks.chart_candidates(review.program, datetime.date(2000, 1, 1), factories.days(30)))
    assert 12 <= everyone < 50 and len(preparation.chart_sample(review)) == everyone  # the whole caseload
    assert AuditEvent.objects.filter(action="fidelity.chart_sample_size").count() == 2
    # The program's leaders read the worksheet but don't choose the sample.
    leader = client_for(world.supervisor)
    assert 'name="sample_size"' not in leader.get(url).content.decode()
    assert leader.post(url, {"sample_size": "5"}).status_code == 403
