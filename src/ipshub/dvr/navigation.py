from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.clients import access as clients_access
from ipshub.tenancy import access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role


def items(person: Person) -> list[NavItem]:
    roles = access.roles_of(person)
    if roles & {*clients_access.DVR_ROLES, Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST}:
        return [NavItem(_("DVR"), reverse("dvr:authorization_list"), "dvr")]
    if access.statewide_state_ids(person):
        return [NavItem(_("DVR"), reverse("dvr:authorization_list"), "dvr")]
    return []
