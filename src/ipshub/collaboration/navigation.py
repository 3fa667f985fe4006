from django.urls import reverse

from ipshub.areakit.navigation import NavItem
from ipshub.tenancy import access
from ipshub.tenancy.models import Person


def items(person: Person) -> list[NavItem]:
    if not access.seats(person) and not access.is_platform_admin(person):
        return []
    return [NavItem("Collaboration", reverse("collaboration:index"), "collaboration")]
