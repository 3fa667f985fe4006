from tests.fidelity import factories
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    review = factories.delivered_review(world)
    from ipshub.fidelity import services

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
    return {
        "review_id": review.pk,
        "action_id": action.pk,
        "invitee_id": invitee.pk,
        "item_number": 1,  # #26: an item of the review's scale (the score page saves one item at a time)
    }
