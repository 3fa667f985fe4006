from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.tenancy import access
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    if not access.seats(person) and not access.is_platform_admin(person):
        return []
    result = [NavItem(_("Collaboration"), reverse("collaboration:index"), "collaboration")]
    # Issue 23: the state team's and trainers' views across their state's programs (a role check, no query).
    # Their pages live under /statewide/ (fidelity's schedule among them), the section this item marks.
    if access.sees_statewide(person):
        result.append(NavItem(_("Statewide"), reverse("collaboration:statewide"), "statewide"))
    return result
