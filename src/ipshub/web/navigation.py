"""The navigation each person sees, from their roles."""

from dataclasses import dataclass

from django.urls import reverse

from ipshub.areas import area_modules
from ipshub.tenancy import access
from ipshub.tenancy.models import Person


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str  # the first path segment that marks this item as current


def navigation_for(person: Person) -> list[NavItem]:
    items = [NavItem("Home", reverse("home"), "")]
    if access.programs_visible_to(person).exists():
        items.append(NavItem("Programs", reverse("tenancy:program_list"), "programs"))
    for area in area_modules("navigation"):
        items.extend(area.items(person))
    items.append(NavItem("Catalog", reverse("catalog:index"), "catalog"))
    if access.can_manage_directory(person):
        items.append(NavItem("Directory", reverse("tenancy:organization_list"), "directory"))
        items.append(NavItem("Audit log", reverse("audit:event_list"), "audit"))
    return items
