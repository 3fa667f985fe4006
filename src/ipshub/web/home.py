"""What a person's home page shows, by role: built in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.catalog import selectors as catalog
from ipshub.catalog.models import Responsibility
from ipshub.lib.contributions import area_modules
from ipshub.lib.due import DueItem, all_due_items
from ipshub.oversight import home as oversight_home
from ipshub.tenancy import access
from ipshub.tenancy.models import Person, Phase, Program
from ipshub.tenancy.roles import PARTY_BY_KIND, STATEWIDE_ROLES, OrgKind, Role

PROGRAMS_ON_HOME = 25


@dataclass
class PartyDuties:
    """A program the person works in, and what their party does in its current phase."""

    program: Program
    party_name: str
    responsibilities: list[Responsibility] = field(default_factory=list)


@dataclass
class HomePage:
    roles: list[str]
    seats_text: list[str]
    programs: list[Program]
    program_total: int
    phase_counts: dict[str, int]
    duties: list[PartyDuties]
    is_state_team: bool
    is_reviewer: bool
    can_manage_directory: bool
    panels: list[Panel] = field(default_factory=list)
    overdue: list[DueItem] = field(default_factory=list)
    due_this_week: list[DueItem] = field(default_factory=list)


def home_for(person: Person) -> HomePage:
    seats = access.seats(person)
    roles = sorted({s.role for s in seats}, key=lambda r: list(Role.values).index(r))
    memberships = person.memberships.filter(is_active=True).select_related("organization")
    programs_qs = access.programs_visible_to(person)
    phase_counts = {row["phase"]: row["n"] for row in programs_qs.values("phase").annotate(n=Count("id"))}
    programs = list(
        programs_qs.select_related("mh_agency", "employment_provider", "trainer").order_by("name")[:PROGRAMS_ON_HOME]
    )
    return HomePage(
        roles=[Role(r).label for r in roles],
        seats_text=[f"{m.get_role_display()} — {m.organization.name}" for m in memberships],
        programs=programs,
        program_total=sum(phase_counts.values()),
        phase_counts={phase.label: phase_counts[phase] for phase in Phase if phase in phase_counts},
        duties=_duties(person, programs, seats),
        is_state_team=any(s.role in STATEWIDE_ROLES for s in seats),
        is_reviewer=any(s.role == Role.FIDELITY_REVIEWER for s in seats),
        can_manage_directory=access.can_manage_directory(person),
        **_needs_today(person),
        panels=sorted(
            # The areas' panels, and oversight's break-glass panel for the state team.
            [
                *(panel for area in area_modules("home") for panel in area.panels(person)),
                *oversight_home.panels(person),
            ],
            key=lambda p: p.order,
        ),
    )


def _needs_today(person: Person) -> dict[str, list[DueItem]]:
    """What needs the person today: overdue items, and what comes due in the next 7 days."""
    today = timezone.localdate()
    items = all_due_items(person, today, days=7)
    return {
        "overdue": [i for i in items if i.is_overdue(today)],
        "due_this_week": [i for i in items if not i.is_overdue(today)],
    }


def _duties(person: Person, programs: list[Program], seats: tuple[access.Seat, ...]) -> list[PartyDuties]:
    """For each program the person's organization is a partner in, the catalog's responsibilities of
    the person's party in the program's current phase."""
    org_ids = {s.organization_id for s in seats if s.kind != OrgKind.STATE_TEAM}
    if not org_ids:
        return []
    dvr_links = set(
        Program.dvr_offices.through.objects.filter(
            program__in=[p.pk for p in programs], organization_id__in=org_ids
        ).values_list("program_id", flat=True)
    )
    wanted: list[tuple[Program, str]] = []
    for program in programs:
        if program.mh_agency_id in org_ids:
            wanted.append((program, PARTY_BY_KIND[OrgKind.MH_AGENCY]))
        if program.employment_provider_id in org_ids:
            wanted.append((program, PARTY_BY_KIND[OrgKind.EMPLOYMENT_PROVIDER]))
        if program.pk in dvr_links:
            wanted.append((program, PARTY_BY_KIND[OrgKind.DVR_OFFICE]))
    if not wanted:
        return []
    by_cell: dict[tuple[str, str], list[Responsibility]] = {}
    parties = {p.key: p.name for p in catalog.parties()}
    for item in Responsibility.objects.filter(version__is_current=True).select_related("phase", "party"):
        by_cell.setdefault((item.phase.key, item.party.key), []).append(item)
    return [
        PartyDuties(
            program=program,
            party_name=parties.get(party, party),
            responsibilities=by_cell.get((program.phase, party), []),
        )
        for program, party in wanted
    ]
