from ipshub.tenancy.models import Person
from ipshub.web.panels import Panel


def panels(person: Person) -> list[Panel]:
    return []
