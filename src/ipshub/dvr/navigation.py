from ipshub.tenancy.models import Person
from ipshub.web.navigation import NavItem


def items(person: Person) -> list[NavItem]:
    return []
