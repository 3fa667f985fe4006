"""Phase gate, kick-off, validation and permissions of the implementation services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ipshub.catalog.models import Strategy
from ipshub.implementation import services
from ipshub.implementation.models import Assignment, ItemStatus, PartnershipItem, PartnershipStatus
from ipshub.tenancy.models import Phase
from ipshub.tenancy.services import program_change_phase, program_note_event
from tests.implementation.helpers import complete_partnership
from tests.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_first_referral_waits_for_the_partnership_set_up(world: World) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    assert program_note_event(actor=None, program=program, event="first_referral", on=datetime.date(2025, 2, 1)) is None
    program.refresh_from_db()
    assert program.phase == Phase.PRIOR
    assert len(services.partnership_gate(program, Phase.IMPLEMENTATION)) == 5
    with pytest.raises(ValidationError):
        program_change_phase(
            actor=None,
            program=program,
            to_phase=Phase.IMPLEMENTATION,
            effective_on=program.phase_since,
            reason="",
        )
    # Completing the set-up opens the gate, and the referral that was held back moves the program.
    complete_partnership(program, world.director)
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION and program.phase_since == datetime.date(2025, 2, 1)


def test_a_waiver_needs_a_reason_and_then_counts(world: World) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="billing")
    with pytest.raises(ValidationError) as error:
        services.partnership_item_update(actor=world.director, item=item, status=PartnershipStatus.WAIVED)
    assert "waiver_reason" in error.value.message_dict
    services.partnership_item_update(
        actor=world.director,
        item=item,
        status=PartnershipStatus.WAIVED,
        waiver_reason="Grant-funded: no billing.",
    )
    assert len(services.partnership_gate(program, Phase.IMPLEMENTATION)) == 4


def test_a_state_team_override_bypasses_the_gate(world: World) -> None:
    program = world.programs["p1"]
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=program.phase_since,
        reason="Agreements signed on paper",
        is_override=True,
    )
    assert program.phase == Phase.IMPLEMENTATION


def test_setting_the_kickoff_date_starts_implementation_when_set_up_is_done(world: World) -> None:
    program = world.programs["p1"]
    complete_partnership(program, world.director)
    change = services.program_kickoff_set(actor=world.trainer, program=program, kickoff_date=datetime.date(2025, 3, 3))
    assert change is not None and change.reason == "Kick-off date set"
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION and program.kickoff_date == datetime.date(2025, 3, 3)


def test_a_kickoff_in_the_future_waits(world: World) -> None:
    program = world.programs["p1"]
    complete_partnership(program, world.director)
    future = datetime.date.today() + datetime.timedelta(days=20)
    assert services.program_kickoff_set(actor=world.director, program=program, kickoff_date=future) is None
    assert services.kickoffs_due(future - datetime.timedelta(days=1)) == 0
    assert services.kickoffs_due(future) == 1


def test_a_due_date_before_the_program_exists_is_refused(world: World) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    assignment = Assignment.objects.filter(program=program, party_key="mh_agency").first()
    assert assignment is not None
    with pytest.raises(ValidationError) as error:
        services.assignment_update(
            actor=world.director,
            assignment=assignment,
            status=ItemStatus.IN_PROGRESS,
            due_on=datetime.date(2024, 1, 1),
        )
    assert "before the program was opened (January 6, 2025)" in error.value.message_dict["due_on"][0]
    services.assignment_update(
        actor=world.director,
        assignment=assignment,
        status=ItemStatus.DONE,
        due_on=datetime.date(2025, 6, 1),
        owner=world.case_manager,
        comment="Met the DVR director.",
    )
    assignment.refresh_from_db()
    assert assignment.completed_on is not None and assignment.owner == world.case_manager
    assert assignment.comments.count() == 1


def test_only_the_assigned_organization_updates_an_assignment(world: World) -> None:
    program = world.programs["p1"]
    services.program_setup_sync(program)
    mh_item = Assignment.objects.filter(program=program, party_key="mh_agency").first()
    assert mh_item is not None
    with pytest.raises(PermissionDenied):
        services.assignment_update(
            actor=world.counselor, assignment=mh_item, status=ItemStatus.DONE, due_on=mh_item.due_on
        )
    with pytest.raises(ValidationError) as error:
        services.assignment_update(
            actor=world.director,
            assignment=mh_item,
            status=ItemStatus.DONE,
            due_on=mh_item.due_on,
            owner=world.counselor,
        )
    assert "owner" in error.value.message_dict


def test_read_only_members_cannot_change_the_set_up(world: World) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.filter(program=program).first()
    assert item is not None
    for person in (world.counselor, world.specialist, world.case_manager):
        with pytest.raises(PermissionDenied):
            services.partnership_item_update(actor=person, item=item, status=PartnershipStatus.DONE)


def test_not_applicable_needs_a_reason(world: World) -> None:
    strategy = Strategy.objects.filter(stage__version__is_current=True).first()
    assert strategy is not None
    with pytest.raises(ValidationError) as error:
        services.strategy_progress_update(
            actor=world.trainer,
            program=world.programs["p1"],
            strategy=strategy,
            status=ItemStatus.NOT_APPLICABLE,
        )
    assert "reason" in error.value.message_dict


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("agreement.exe", b"MZ\x90\x00", "is not a type IPS Hub accepts"),
        (
            "agreement.pdf",
            b"<html><script>alert(1)</script></html>",
            "does not contain what a .pdf file should",
        ),
        ("sheet.xlsx", b"PK\x03\x04not really a zip", "does not contain what a .xlsx file should"),
        ("notes.txt", b"\x00\x01\x02binary", "does not contain what a .txt file should"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_uploads_of_the_wrong_type_are_refused(world: World, name: str, content: bytes, message: str) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="service_agreement")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            actor=world.director,
            program=program,
            partnership_item=item,
            title="Agreement",
            file=SimpleUploadedFile(name, content),
        )
    assert message in error.value.message_dict["file"][0]
    assert not item.evidence.exists()


@override_settings(UPLOAD_MAX_BYTES=2048)
def test_uploads_over_the_size_limit_are_refused(world: World) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="service_agreement")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            actor=world.director,
            program=program,
            partnership_item=item,
            title="Agreement",
            file=SimpleUploadedFile("big.pdf", PDF + b"0" * 4096),
        )
    assert "files can be at most 2 KB" in error.value.message_dict["file"][0]


def test_a_real_pdf_is_stored_under_media_root_with_a_random_name(world: World, settings) -> None:
    program = world.programs["p1"]
    services.partnership_items_ensure(program)
    item = PartnershipItem.objects.get(program=program, kind="service_agreement")
    evidence = services.evidence_add(
        actor=world.director,
        program=program,
        partnership_item=item,
        title="Signed agreement",
        file=SimpleUploadedFile("Signed agreement.pdf", PDF),
    )
    assert evidence.original_name == "Signed agreement.pdf"
    assert evidence.content_type == "application/pdf"
    assert "Signed" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
