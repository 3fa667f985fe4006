from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.tenancy.access import is_platform_admin, sees_programs, statewide_state_ids
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    # The state team's dashboard (access.dashboard_states) is decided from the memberships already loaded
    # for this request: no query for them; everyone else has Outcomes once they see a program (asked once a
    # request; the home page knows it from its programs table).
    if is_platform_admin(person) or statewide_state_ids(person) or sees_programs(person):
        return [NavItem(_("Outcomes"), reverse("outcomes:dashboard"), "outcomes")]
    return []
