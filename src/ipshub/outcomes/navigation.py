from django.urls import reverse

from ipshub.outcomes import access
from ipshub.tenancy.access import programs_visible_to
from ipshub.tenancy.models import Person
from ipshub.web.navigation import NavItem


def items(person: Person) -> list[NavItem]:
    if access.dashboard_states(person).exists() or programs_visible_to(person).exists():
        return [NavItem("Outcomes", reverse("outcomes:dashboard"), "outcomes")]
    return []
