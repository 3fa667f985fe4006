"""Where a program stands among its peers: in its state and across every state on the install (issue #23).

Four measures, each a program's own figure:
- the quarterly employment rate of the last complete quarter (its accepted report, worked ÷ served);
- the fidelity total of its last delivered review (the fidelity area's `fidelity_totals` hook);
- face-to-face employer contacts per specialist per week in the last complete quarter, and
- the average days from referral to the first face-to-face employer contact of the clients referred in the
  last four complete quarters (both from the client records' `program_activity` hook).

The percentile is the share of contributing programs (the program itself included) that do worse, counting
ties as half ("better than 62% of programs"); for days to first contact fewer is better. A group of fewer than
`MIN_PROGRAMS` contributing programs shows no percentile and no spread: with so few, a figure would point at
a peer. Peers are never named, except that the state team (and platform administrators) see their own
state's programs by name; another state's programs are never named to anyone.

The figures run a fixed number of queries (the programs, the reports of the quarter, the fidelity totals and
the activity hook's), whatever the number of programs, and are kept in the cache for up to an hour.
"""

import datetime
from dataclasses import dataclass, field
from statistics import median

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop as _  # marked here, translated where shown

from ipshub.areakit import hooks
from ipshub.outcomes.access import PROGRAM_WRITER_ROLES
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport, Status
from ipshub.tenancy.access import is_platform_admin, programs_visible_to, seats, statewide_state_ids
from ipshub.tenancy.models import Person, Program

MIN_PROGRAMS = 5  # fewer contributing programs than this: no percentile, no spread
ACTIVITY_QUARTERS = 4  # days to first contact: the clients referred in the last four quarters


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # shown after the figure
    higher_is_better: bool = True
    decimals: int = 1


MEASURES = (
    Measure("employment_rate", _("Quarterly employment rate"), "%"),
    Measure("fidelity_total", _("Fidelity total (last review)"), _(" of 125"), decimals=0),
    Measure("contacts_per_week", _("Employer contacts per specialist per week"), ""),
    Measure(
        "days_to_first_contact", _("Days from referral to first employer contact"), _(" days"), higher_is_better=False
    ),
)


@dataclass(frozen=True)
class ProgramFigures:
    program_id: int
    state_id: int
    name: str
    values: dict[str, float | None]


@dataclass(frozen=True)
class Standing:
    """One measure in one group of programs (the state, or every state)."""

    measure: Measure
    scope: str  # "state" or "install"
    value: float | None
    contributing: int
    percentile: int | None = None  # None: suppressed, or the program has no figure
    lower_quartile: float | None = None
    median: float | None = None
    upper_quartile: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.contributing < MIN_PROGRAMS


@dataclass(frozen=True)
class NamedRow:
    program_id: int
    name: str
    cells: list[tuple[Measure, float | None]]


@dataclass
class Peers:
    program: Program
    quarter: Quarter
    activity_since: Quarter
    standings: list[tuple[Measure, Standing, Standing]] = field(default_factory=list)
    named: list[NamedRow] | None = None  # the state's programs by name, for the state team only


def may_see_peers(person: Person, program: Program) -> bool:
    """The program's IPS supervisors and mental health directors, its state's team, platform administrators."""
    if names_state_programs(person, program):
        return True
    orgs = {program.mh_agency_id, program.employment_provider_id}
    return any(seat.organization_id in orgs and seat.role in PROGRAM_WRITER_ROLES for seat in seats(person))


def names_state_programs(person: Person, program: Program) -> bool:
    return is_platform_admin(person) or program.state_id in statewide_state_ids(person)


def require_peer_viewer(person: Person, program: Program) -> None:
    if not may_see_peers(person, program):
        raise PermissionDenied(
            "Peer comparisons are for the program's IPS supervisors and mental health directors and the state team."
        )


CACHE_SECONDS = 3600


def install_figures(today: datetime.date) -> tuple[Quarter, Quarter, dict[int, ProgramFigures]]:
    """Every program's four figures, kept in the cache for up to an hour: they are the same for every viewer
    (who may see what is decided on each request) and take seconds at national scale (500 programs, millions
    of employer contacts), where the page should take milliseconds. The page says when they were computed."""
    key = f"outcomes:peers:{today.isoformat()}:{timezone.now():%H}"
    found: tuple[Quarter, Quarter, dict[int, ProgramFigures]] | None = cache.get(key)
    if found is None:
        found = _install_figures(today)
        cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def _install_figures(today: datetime.date) -> tuple[Quarter, Quarter, dict[int, ProgramFigures]]:
    """Every program's four figures (None where it has none), in a fixed number of queries."""
    quarter = Quarter.containing(today).previous()
    since = Quarter.from_index(quarter.index - ACTIVITY_QUARTERS + 1)
    programs = list(Program.objects.order_by("name", "pk").values_list("pk", "state_id", "name"))
    rates = {
        program_id: 100.0 * worked / served
        for program_id, served, worked in QuarterlyReport.objects.filter(
            year=quarter.year,
            quarter=quarter.quarter,
            definition_code=DEFAULT_CODE,
            is_current=True,
            status=Status.ACCEPTED,
            served__gt=0,
        ).values_list("program_id", "served", "worked")
    }
    totals = hooks.fidelity_totals(None)
    contacts: dict[int, float] = {}
    days: dict[int, list[int]] = {}
    for row in hooks.program_activity(None, since.first_day, quarter.last_day):
        if (row.year, row.quarter) == (quarter.year, quarter.quarter) and row.specialists:
            weeks = ((quarter.last_day - quarter.first_day).days + 1) / 7
            contacts[row.program_id] = row.employer_contacts / row.specialists / weeks
        pair = days.setdefault(row.program_id, [0, 0])
        pair[0] += row.days_to_first_contact
        pair[1] += row.with_first_contact
    figures = {
        pk: ProgramFigures(
            program_id=pk,
            state_id=state_id,
            name=name,
            values={
                "employment_rate": rates.get(pk),
                "fidelity_total": float(totals[pk].total) if pk in totals else None,
                "contacts_per_week": contacts.get(pk),
                "days_to_first_contact": days[pk][0] / days[pk][1] if pk in days and days[pk][1] else None,
            },
        )
        for pk, state_id, name in programs
    }
    return quarter, since, figures


def percentile_rank(value: float, others: list[float], higher_is_better: bool) -> int:
    """The share of `others` (the program included) doing worse than `value`, ties counted as half."""
    worse = sum(1 for other in others if (other < value if higher_is_better else other > value))
    ties = sum(1 for other in others if other == value)
    return round(100 * (worse + 0.5 * ties) / len(others))


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    half = len(ordered) // 2
    lower = ordered[:half]
    upper = ordered[half + (len(ordered) % 2) :]
    return median(lower or ordered), median(ordered), median(upper or ordered)


def standing(measure: Measure, scope: str, value: float | None, group: list[float]) -> Standing:
    if len(group) < MIN_PROGRAMS:
        return Standing(measure, scope, value, len(group))
    low, middle, high = _quartiles(group)
    rank = None if value is None else percentile_rank(value, group, measure.higher_is_better)
    return Standing(measure, scope, value, len(group), rank, low, middle, high)


def peers_of(person: Person, program: Program, today: datetime.date) -> Peers:
    quarter, since, figures = install_figures(today)
    own = figures.get(program.pk)
    result = Peers(program=program, quarter=quarter, activity_since=since)
    for measure in MEASURES:
        value = own.values[measure.key] if own else None
        everyone = [f.values[measure.key] for f in figures.values()]
        in_state = [f.values[measure.key] for f in figures.values() if f.state_id == program.state_id]
        result.standings.append(
            (
                measure,
                standing(measure, "state", value, [v for v in in_state if v is not None]),
                standing(measure, "install", value, [v for v in everyone if v is not None]),
            )
        )
    if names_state_programs(person, program):
        result.named = [
            NamedRow(f.program_id, f.name, [(m, f.values[m.key]) for m in MEASURES])
            for f in figures.values()
            if f.state_id == program.state_id
        ]
    return result


def programs_led_or_overseen(person: Person) -> QuerySet[Program]:
    """The programs whose peer standing and early warning the person sees: the state team's programs (every
    program of their states), and the programs an IPS supervisor or mental health director works in."""
    if is_platform_admin(person):
        return Program.objects.all()
    states = statewide_state_ids(person)
    orgs = {seat.organization_id for seat in seats(person) if seat.role in PROGRAM_WRITER_ROLES}
    return programs_visible_to(person).filter(
        Q(state_id__in=states) | Q(mh_agency_id__in=orgs) | Q(employment_provider_id__in=orgs)
    )
