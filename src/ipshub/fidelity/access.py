"""Fidelity reviewers' temporary, read-only access to a program's client records.

The client services access layer asks `reviewer_program_ids(person)` which programs a reviewer may
read right now; it is empty outside a review window. (Filled in by the fidelity area.)
"""

import datetime

from ipshub.tenancy.models import Person


def reviewer_program_ids(person: Person, at: datetime.datetime | None = None) -> set[int]:
    """Programs whose client records `person` may read (never change or export) at `at` (default now)."""
    return set()
