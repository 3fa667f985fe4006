import datetime

from django.urls import reverse

from ipshub.fidelity.access import reviews_visible_to
from ipshub.fidelity.models import ActionItem, Review
from ipshub.lib.due import DueItem
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """Reviews coming due (for the state team, the review team and the program's leaders) and open
    actions of the action plans (for their owners, and for the state team and program leaders)."""
    items: list[DueItem] = []
    visible = reviews_visible_to(person)
    reviews = visible.filter(status__in=Review.OPEN_STATUSES).select_related("program")
    roles = tenancy_access.roles_of(person)
    if not roles & {Role.STATE_LEAD, Role.ADMINISTRATOR, Role.MH_DIRECTOR, Role.IPS_SUPERVISOR}:
        reviews = reviews.filter(team__person=person)
    for review in reviews:
        items.append(
            DueItem(
                kind="review",
                key=f"review:{review.pk}",
                title=f"{review.get_kind_display()} fidelity review of {review.program.name}",
                due_on=review.due_on,
                url=reverse("fidelity:review_detail", kwargs={"review_id": review.pk}),
                program_name=review.program.name,
            )
        )
    actions = ActionItem.objects.filter(
        status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
        review__in=visible.values("id"),
    )
    if not roles & {Role.STATE_LEAD, Role.ADMINISTRATOR, Role.MH_DIRECTOR, Role.IPS_SUPERVISOR}:
        actions = actions.filter(owner=person)
    for action in actions.select_related("review__program"):
        items.append(
            DueItem(
                kind="action",
                key=f"fidelity-action:{action.pk}",
                title=f"Fidelity action: {action.title}",
                due_on=action.due_on,
                url=reverse("fidelity:action_detail", kwargs={"action_id": action.pk}),
                program_name=action.review.program.name,
            )
        )
    return items
