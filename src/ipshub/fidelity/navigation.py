from django.urls import reverse

from ipshub.areakit.navigation import NavItem
from ipshub.fidelity.access import ALWAYS_IN_NAVIGATION, sees_reviews
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    """The state team and reviewers always see Fidelity; partners once their program has a review."""
    if tenancy_access.roles_of(person) & ALWAYS_IN_NAVIGATION or sees_reviews(person):
        return [NavItem("Fidelity", reverse("fidelity:review_list"), "fidelity")]
    return []
