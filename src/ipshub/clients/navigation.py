from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.clients import access
from ipshub.tenancy import access as tenancy
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role


def items(person: Person) -> list[NavItem]:
    roles = tenancy.roles_of(person)
    result = []
    if roles & set(access.IPS_ROLES + access.MH_STAFF_ROLES):
        result.append(NavItem(_("Caseload"), reverse("clients:caseload"), "clients"))
        result.append(NavItem(_("Employers"), reverse("clients:employer_list"), "employers"))
        if roles & set(access.IPS_ROLES):
            # The unit's job development week by week (fidelity item 17), for those who do it and supervise it.
            result.append(NavItem(_("Employer contacts"), reverse("clients:contact_log"), "employer-contacts"))
    elif roles & set(access.DVR_ROLES):
        result.append(NavItem(_("Shared clients"), reverse("clients:shared"), "clients"))
    if roles & {Role.IPS_SUPERVISOR, Role.MH_DIRECTOR}:
        result.append(NavItem(_("IPS dashboard"), reverse("clients:dashboard_index"), "ips-dashboard"))
    # The state team keeps the release of information clients sign (one state each, in practice).
    for state_id in sorted(tenancy.state_ids_with_roles(person, (Role.STATE_LEAD, Role.ADMINISTRATOR)))[:1]:
        result.append(NavItem(_("Release form"), reverse("clients:release_template", args=[state_id]), "release-form"))
    return result
