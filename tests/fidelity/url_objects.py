from tests.fidelity import factories
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    review = factories.delivered_review(world)
    from ipshub.fidelity import self_assessment_services, services

    action = services.action_create(
        actor=world.people["state_lead"],
        review=review,
        title="Plan employer contacts",
        items=list(review.scale.items.filter(number=17)),
        owner=world.people["supervisor"],
        due_on=factories.days(30),
    )
    invitee = services.invitee_add(
        actor=world.people["state_lead"],
        review=review,
        who="Client A, job seeker",
        relation="client",
        invited_on=factories.days(-3),
    )
    # Self-assessment (issue #26, branch fidself).
    assessment = self_assessment_services.self_assessment_create(
        actor=world.people["supervisor"],
        program=review.program,
        assessed_on=factories.days(-1),
        entries=[self_assessment_services.SelfScoreEntry(item=review.scale.items.get(number=1), score="4")],
    )
    # Review preparation (issue #26): a checklist request with a file, a timeline step.
    from django.core.files.base import ContentFile

    from ipshub.fidelity.models import DocumentRequest, DocumentUpload

    # On P1's next review, still open (the delivered one's checklist and timeline take no more answers).
    upcoming = factories.planned_review(world, visit_in=20)
    request = DocumentRequest.objects.create(review=upcoming, position=1, title="IPS caseload list", note="Attached")
    upload = DocumentUpload(request=request, original_name="caseload.pdf", content_type="application/pdf", size=9)
    upload.file.save("walk.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    upload.save()
    task = upcoming.prep_tasks.get(key="kickoff")
    return {
        "review_id": review.pk,
        "action_id": action.pk,
        "invitee_id": invitee.pk,
        "item_number": 1,  # #26: an item of the review's scale (the score page saves one item at a time)
        "self_assessment_id": assessment.pk,
        "document_request_id": request.pk,
        "document_upload_id": upload.pk,
        "task_id": task.pk,
    }
