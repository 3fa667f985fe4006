"""What an area's `bench.py` works with: the pages it names, and the generated people to name them as."""

from dataclasses import dataclass, field
from typing import Any

from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import OrgKind, Role


@dataclass(frozen=True)
class BenchPage:
    name: str
    path: str
    username: str
    api: bool = False  # an API page: measured with an API token instead of a session
    # What the person's session holds before the page is measured (a remembered search: lib/searches.py).
    session: dict[str, Any] = field(default_factory=dict)


class BenchContext:
    """Finds the people and objects of the generated data that the pages are measured as and on."""

    def __init__(self) -> None:
        # The busiest program of the first generated state stands for "a program" at every scale.
        program = Program.objects.order_by("state_id", "pk").first()
        if program is None:
            raise RuntimeError("No programs: run `ipshub seed --scale ...` first.")
        self.program: Program = program

    def person(self, role: str, *, program: Program | None = None) -> Person:
        program = program or self.program
        assert program is not None
        memberships = Membership.objects.filter(role=role, is_active=True)
        if role in (Role.STATE_LEAD, Role.STATE_TRAINER, Role.ADMINISTRATOR, Role.FIDELITY_REVIEWER):
            memberships = memberships.filter(organization__state=program.state, organization__kind=OrgKind.STATE_TEAM)
        elif role in (Role.DVR_COUNSELOR, Role.DVR_SUPERVISOR):
            memberships = memberships.filter(organization__in=program.dvr_offices.all())
        else:
            memberships = memberships.filter(organization__in=[program.mh_agency_id, program.employment_provider_id])
        membership = memberships.select_related("person").order_by("pk").first()
        if membership is None:
            raise RuntimeError(f"No {role} for {program}.")
        return membership.person
