"""Reviews with a documents checklist and its answers, for the preparation tests (issue #26)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.fidelity import preparation, services
from ipshub.fidelity.models import DocumentRequest, Review
from tests.fidelity import factories
from tests.world import World

PDF = b"%PDF-1.4\n% caseload list\n"
DOCUMENTS = "IPS caseload list\nEmployer contact logs for the last month\nJob list for the last year"


def with_checklist(world: World, review: Review, documents: str = DOCUMENTS) -> list[DocumentRequest]:
    """The review's plan saved again with the documents requested (the checklist follows it)."""
    services.review_plan(
        actor=world.state_lead,
        review=review,
        visit_day_1=review.visit_day_1 or factories.days(3),
        visit_day_2=review.visit_day_2 or factories.days(4),
        window_opens=review.window_opens,
        window_closes=review.window_closes,
        documents_requested=documents,
    )
    return list(review.document_requests.all())


def answered(world: World, visit_in: int = 3, name: str = "SECRET-caseload.pdf") -> tuple[Review, DocumentRequest]:
    """A planned review whose first request the IPS supervisor answered with a file and a note."""
    review = factories.planned_review(world, visit_in=visit_in)
    request = with_checklist(world, review)[0]
    preparation.document_request_answer(
        actor=world.supervisor,
        request=request,
        note="SECRET-NOTE kept by the supervisor",
        files=[SimpleUploadedFile(name, PDF)],
    )
    return review, request
