from django.urls import reverse

from ipshub.tenancy import access
from ipshub.tenancy.models import Person
from ipshub.web.navigation import NavItem


def items(person: Person) -> list[NavItem]:
    if not access.seats(person) and not access.is_platform_admin(person):
        return []
    return [NavItem("Collaboration", reverse("collaboration:index"), "collaboration")]
