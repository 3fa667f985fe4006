from django.urls import reverse

from ipshub.areakit.navigation import NavItem
from ipshub.tenancy.access import is_platform_admin, programs_visible_to, statewide_state_ids
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    # The state team's dashboard (access.dashboard_states) is decided from the memberships already loaded
    # for this request: no query for them; everyone else has Outcomes once they see a program.
    if is_platform_admin(person) or statewide_state_ids(person) or programs_visible_to(person).exists():
        return [NavItem("Outcomes", reverse("outcomes:dashboard"), "outcomes")]
    return []
