"""An object of program P1 (state A) for every URL keyword of client services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.clients import services, signing
from tests.clients.case_file_factories import add_document, write_note
from tests.clients.factories import days_ago, dvr_terms, employer, enroll, signature_png, start_job
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    enrollment = enroll(world)
    bakery = employer(world)
    job = start_job(world.people["specialist"], enrollment, bakery)
    consent = services.consent_create(
        actor=world.people["specialist"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(10),
        scan=SimpleUploadedFile("release-scan.png", signature_png(), content_type="image/png"),
    )
    # A release prepared for the client and not yet signed: the hand-over page the client signs on.
    draft = signing.consent_draft_prepare(
        actor=world.people["specialist"], enrollment=enrollment, terms=dvr_terms(world)
    )
    return {
        "draft_id": draft.pk,
        "enrollment_id": enrollment.pk,
        "job_id": job.pk,
        "consent_id": consent.pk,
        "employer_id": bakery.pk,
        # The case file: a note shared with DVR and a DVR plan, so even DVR readers of P1 have them.
        "note_id": write_note(world.people["specialist"], enrollment, shareable=True).pk,
        "document_id": add_document(world.people["specialist"], enrollment).pk,
        # The supervisor dashboard's drill-down: a specialist of P1.
        "specialist_id": world.people["specialist"].pk,
    }
