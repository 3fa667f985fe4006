"""A steering committee follow-up becomes an action in the program's fidelity action plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipshub.collaboration import services
from ipshub.collaboration.models import MeetingKind
from ipshub.fidelity.models import ActionItem
from tests.collaboration.factories import meeting, series
from tests.fidelity.factories import delivered_review

pytestmark = pytest.mark.django_db


def test_follow_up_becomes_a_fidelity_action(world) -> None:
    steering = series(world, MeetingKind.STEERING)
    held = meeting(world, steering, timezone.localdate())
    follow_up = services.follow_up_add(
        actor=world.people["admin"],
        meeting=held,
        text="Track job starts monthly",
        owner=world.people["supervisor"],
        due_on=held.date + datetime.timedelta(days=20),
    )
    with pytest.raises(ValidationError, match="no delivered fidelity review"):
        services.follow_up_convert(actor=world.people["admin"], follow_up=follow_up, target="fidelity-action")
    review = delivered_review(world)
    services.follow_up_convert(actor=world.people["admin"], follow_up=follow_up, target="fidelity-action")
    action = ActionItem.objects.get(review=review, title="Track job starts monthly")
    assert follow_up.converted_to == f"fidelity-action:{action.pk}"
    assert action.due_on == follow_up.due_on
