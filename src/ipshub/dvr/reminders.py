import datetime

from ipshub.lib.due import DueItem
from ipshub.tenancy.models import Person


def due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """What this area has coming due or overdue for `person` (owned by them or their organization)."""
    return []
