"""Helpers for the implementation tests: move a world program through its phases as events would."""

import datetime

from ipshub.implementation import services
from ipshub.implementation.models import PartnershipItem, PartnershipStatus
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.services import program_note_event


def complete_partnership(program: Program, actor: Person) -> None:
    services.partnership_items_ensure(program)
    for item in PartnershipItem.objects.filter(program=program):
        services.partnership_item_update(
            actor=actor,
            item=item,
            status=PartnershipStatus.DONE,
            parties="Mental health agency\nDVR",
            agreed_on=program.phase_since,
        )


def to_ongoing(program: Program, actor: Person) -> None:
    complete_partnership(program, actor)
    assert program_note_event(
        actor=actor,
        program=program,
        event="first_referral",
        on=program.phase_since + datetime.timedelta(days=30),
    )
    assert program_note_event(
        actor=actor,
        program=program,
        event="first_fidelity_report",
        on=program.phase_since + datetime.timedelta(days=200),
    )
