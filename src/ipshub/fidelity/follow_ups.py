"""A meeting follow-up (collaboration) can become an action in the program's fidelity action plan."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.hooks import FollowUp
from ipshub.fidelity import services
from ipshub.fidelity.models import Review
from ipshub.tenancy.models import Person


def to_action(*, actor: Person, follow_up: FollowUp) -> str:
    program = follow_up.meeting.series.program
    if program is None:
        raise ValidationError(_("Only a program's meetings feed its fidelity action plan."))
    review = (
        Review.objects.filter(program=program, status=Review.Status.DELIVERED).order_by("-report_date", "-pk").first()
    )
    if review is None:
        raise ValidationError(
            _("%(program)s has no delivered fidelity review whose action plan could take this.") % {"program": program}
        )
    owner = follow_up.owner
    try:
        services.check_action_owner(review, owner)
    except ValidationError:
        owner = None  # the follow-up's owner can't own a fidelity action: the plan's editors assign one
    due = follow_up.due_on or timezone.localdate() + datetime.timedelta(days=30)
    action = services.action_create(
        actor=actor,
        review=review,
        title=follow_up.text[:200],
        items=[],
        owner=owner,
        due_on=due,
    )
    return f"fidelity-action:{action.pk}"
