from django.urls import reverse

from ipshub.areakit.navigation import NavItem
from ipshub.fidelity.access import reviews_visible_to
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role


def items(person: Person) -> list[NavItem]:
    """The state team and reviewers always see Fidelity; partners once their program has a review."""
    roles = tenancy_access.roles_of(person)
    statewide = {Role.STATE_LEAD, Role.STATE_TRAINER, Role.ADMINISTRATOR, Role.FIDELITY_REVIEWER}
    if roles & statewide or reviews_visible_to(person).exists():
        return [NavItem("Fidelity", reverse("fidelity:review_list"), "fidelity")]
    return []
