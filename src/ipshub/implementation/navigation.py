from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.implementation import access as impl_access
from ipshub.tenancy import access
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    result = []
    if impl_access.sees_board(person):
        result.append(NavItem(_("State board"), reverse("implementation:board"), "implementation"))
    elif access.organization_ids(person):
        result.append(NavItem(_("My responsibilities"), reverse("implementation:mine"), "implementation"))
    return result
