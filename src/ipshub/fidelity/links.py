"""What a technical-assistance entry (collaboration) may say it addresses: the current scale's items and the
program's action-plan items (the `fidelity_links` hook, areakit/hooks.py). Two queries."""

from django.utils.translation import gettext

from ipshub.areakit.records import ActionItemRef, FidelityLinks
from ipshub.fidelity.models import ActionItem, FidelityItem, FidelityScale, Review
from ipshub.tenancy.models import Program


def program_links(program: Program) -> FidelityLinks:
    items = tuple(
        FidelityItem.objects.filter(scale__in=FidelityScale.objects.filter(is_current=True))
        .order_by("number")
        .values_list("number", "name")
    )
    actions = (
        ActionItem.objects.filter(review__program=program)
        .exclude(review__status=Review.Status.CANCELLED)
        .select_related("review")
        .prefetch_related("items")
        .order_by("-review__due_on", "due_on", "pk")
    )
    refs = tuple(
        ActionItemRef(
            id=action.pk,
            title=action.title,
            review=gettext("%(kind)s review due %(date)s")
            % {"kind": action.review.get_kind_display(), "date": f"{action.review.due_on:%Y-%m-%d}"},
            item_numbers=tuple(sorted(item.number for item in action.items.all())),
            status=action.get_status_display(),
        )
        for action in actions
    )
    return FidelityLinks(items=items or FidelityLinks().items, action_items=refs)
