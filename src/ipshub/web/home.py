"""What a person's home page shows, by role, ranked by what needs them now: their own overdue work, then what
is due this week (both from every area's reminders, lib/due.py), then their caseload or their programs (the
areas' first panels and the programs table), then the rest. Built in a fixed number of queries."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Window
from django.utils import timezone

from ipshub.areakit.panels import Panel
from ipshub.catalog import selectors as catalog
from ipshub.catalog.models import Responsibility
from ipshub.lib.contributions import area_modules
from ipshub.lib.due import Closed, DueItem, all_closed_by_work, all_due_items
from ipshub.lib.kept import one_page
from ipshub.oversight import home as oversight_home
from ipshub.tenancy import access
from ipshub.tenancy.models import Person, Phase, Program
from ipshub.tenancy.roles import PARTY_BY_KIND, STATEWIDE_ROLES, OrgKind, Role

PROGRAMS_ON_HOME = 25
# Items shown per group of "Needs you now"; the full lists are a link away.
ITEMS_PER_GROUP = 5
CLOSED_SHOWN = 3
WEEK = 7


@dataclass
class PartyDuties:
    """A program the person works in, and what their party does in its current phase."""

    program: Program
    party_name: str
    responsibilities: list[Responsibility] = field(default_factory=list)


@dataclass
class Needs:
    """What needs the person now: their own overdue items (oldest first), what comes due in the next
    7 days, and what closed by itself this week in their programs."""

    overdue: list[DueItem] = field(default_factory=list)
    due_this_week: list[DueItem] = field(default_factory=list)
    closed: Closed = field(default_factory=Closed)

    @property
    def overdue_shown(self) -> list[DueItem]:
        return self.overdue[:ITEMS_PER_GROUP]

    @property
    def due_this_week_shown(self) -> list[DueItem]:
        return self.due_this_week[:ITEMS_PER_GROUP]


PHASE_LABELS = dict(Phase.choices)


@dataclass(frozen=True)
class ProgramRow:
    """A program as the home page lists it (plain values: no model row is built)."""

    pk: int
    name: str
    phase: str
    phase_since: datetime.date
    mh_agency_name: str
    trainer_name: str

    def get_phase_display(self) -> str:
        return str(PHASE_LABELS.get(self.phase, self.phase))


@dataclass
class HomePage:
    """The page itself: what needs the person now, then their caseload or programs. The rest (`MorePage`)
    comes in a second request once the page is shown (home.html), so the person's own work is never kept
    waiting by meetings, reviews and reports they did not ask for."""

    seats_text: list[str]
    programs: Sequence["ProgramRow"]
    program_total: int
    is_state_team: bool
    can_manage_directory: bool
    needs: Needs
    today: datetime.date
    panels: list[Panel] = field(default_factory=list)


@dataclass
class MorePage:
    """The rest of the home page: the areas' other panels (meetings, cadence, reviews, reports, DVR
    authorizations, break-glass uses), what the person's organization does in each program's phase, the catalog."""

    duties: list[PartyDuties]
    is_state_team: bool
    is_reviewer: bool
    panels: list[Panel] = field(default_factory=list)


def _first_panels(person: Person) -> list[Panel]:
    """The person's caseload or programs: each area's optional `home.first_panels(person)`."""
    found = [
        panel for area in area_modules("home") if hasattr(area, "first_panels") for panel in area.first_panels(person)
    ]
    return sorted(found, key=lambda p: p.order)


def _more_panels(person: Person) -> list[Panel]:
    """The areas' other panels (`home.panels(person)`), and oversight's break-glass panel for the state team."""
    found = [*(panel for area in area_modules("home") for panel in area.panels(person)), *oversight_home.panels(person)]
    return sorted(found, key=lambda p: p.order)


def home_for(person: Person) -> HomePage:
    with one_page():  # the areas' reminders and panels share what they read (the caseload: clients/my_caseload.py)
        return _home_for(person)


def _home_for(person: Person) -> HomePage:
    today = timezone.localdate()
    seats = access.seats(person)
    # The first programs by name, each row carrying how many there are in all (one query, built once a day).
    rows = access.person_rows(
        person,
        "web.home_programs",
        None,
        lambda: (
            access.programs_visible_to(person)
            .annotate(total=Window(Count("id")))
            .order_by("name")
            .values_list(
                "pk",
                "name",
                "phase",
                "phase_since",
                "mh_agency__name",
                "trainer__first_name",
                "trainer__last_name",
                "trainer__username",
                "total",
            )[:PROGRAMS_ON_HOME]
        ),
    )
    programs = [
        ProgramRow(pk, name, phase, since, agency or "", f"{first or ''} {last or ''}".strip() or (username or ""))
        for pk, name, phase, since, agency, first, last, username, _total in rows
    ]
    access.remember_sees_programs(person, bool(programs))  # the navigation's question, answered
    return HomePage(
        seats_text=[f"{m.get_role_display()} — {m.organization.name}" for m in access.memberships(person)],
        programs=programs,
        program_total=rows[0][-1] if rows else 0,
        is_state_team=any(s.role in STATEWIDE_ROLES for s in seats),
        can_manage_directory=access.can_manage_directory(person),
        needs=needs_for(person, today),
        today=today,
        panels=_first_panels(person),
    )


def more_for(person: Person) -> MorePage:
    seats = access.seats(person)
    return MorePage(
        duties=_duties(person, seats),
        is_state_team=any(s.role in STATEWIDE_ROLES for s in seats),
        is_reviewer=any(s.role == Role.FIDELITY_REVIEWER for s in seats),
        panels=_more_panels(person),
    )


def needs_for(person: Person, today: datetime.date) -> Needs:
    """The person's own items from every area, in two groups: overdue (the work is missing), then due within
    the week; and what the recorded work closed by itself in the last 7 days (from the start of that day: the
    same all day long, so its query is built once a day, `lib.compiled`)."""
    items = all_due_items(person, today, days=WEEK)
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=WEEK), datetime.time.min))
    return Needs(
        overdue=[i for i in items if i.is_overdue(today)],
        due_this_week=[i for i in items if not i.is_overdue(today)],
        closed=all_closed_by_work(person, since, limit=CLOSED_SHOWN),
    )


def _duties(person: Person, seats: tuple[access.Seat, ...]) -> list[PartyDuties]:
    """For each program the person's organization is a partner in (the first by name), the catalog's
    responsibilities of the person's party in the program's current phase."""
    org_ids = {s.organization_id for s in seats if s.kind != OrgKind.STATE_TEAM}
    if not org_ids:
        return []
    programs = list(access.programs_visible_to(person).order_by("name")[:PROGRAMS_ON_HOME])
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
    parties = {p.key: p.local("name") for p in catalog.parties()}
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
