from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.fidelity.access import ALWAYS_IN_NAVIGATION, SELF_ASSESSMENT_ROLES, sees_reviews
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    """The state team and reviewers always see Fidelity; partners once their program has a review. A program's
    director, IPS supervisor and specialists score self-assessments at any time: before the first review they
    land on the self-assessments (a role check, no query)."""
    roles = tenancy_access.roles_of(person)
    if roles & ALWAYS_IN_NAVIGATION or sees_reviews(person):
        return [NavItem(_("Fidelity"), reverse("fidelity:review_list"), "fidelity")]
    if roles & set(SELF_ASSESSMENT_ROLES):
        return [NavItem(_("Fidelity"), reverse("fidelity:self_assessment_index"), "fidelity")]
    return []
