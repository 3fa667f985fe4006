"""Global search within what the person may see: the foundation's programs, organizations and people,
plus each area's `search.py` (clients, employers, responsibilities, meetings, library resources...). Every
provider reads through the access layer, ranks its rows in the database (lib/searches.py) and runs a fixed
number of queries, whatever the data size."""

from dataclasses import dataclass, field

from django.urls import reverse

from ipshub.lib.contributions import area_modules
from ipshub.lib.searches import SearchResult, name_match
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 10

# Where the foundation's kinds come among results that matched as well (the areas set their own).
PROGRAM_ORDER, ORGANIZATION_ORDER, PERSON_ORDER = 30, 40, 50


@dataclass
class Found:
    """What a search found: the results, best first, and the kinds that had more than PER_KIND."""

    results: list[SearchResult] = field(default_factory=list)
    more_of: list[str] = field(default_factory=list)

    def counts(self) -> list[tuple[str, int]]:
        """Each kind and how many of it are shown, in the order the kinds first appear."""
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.kind] = counts.get(result.kind, 0) + 1
        return list(counts.items())


def search(person: Person, query: str) -> Found:
    query = " ".join(query.split())[:MAX_LENGTH]
    if len(query) < MIN_LENGTH:
        return Found()
    # One more than is shown, to know which kinds have more.
    results = _foundation(person, query, PER_KIND + 1)
    for area in area_modules("search", optional=True):
        results += area.results(person, query, PER_KIND + 1)
    by_kind: dict[str, list[SearchResult]] = {}
    for result in results:
        by_kind.setdefault(result.kind, []).append(result)
    found = Found(more_of=[kind for kind, rows in by_kind.items() if len(rows) > PER_KIND])
    kept = [result for rows in by_kind.values() for result in rows[:PER_KIND]]
    # A stable sort: within a rank and kind, each provider's own order (name or recency) stands.
    found.results = sorted(kept, key=lambda r: (r.rank, r.order))
    return found


def _foundation(person: Person, query: str, limit: int) -> list[SearchResult]:
    match = name_match(query, names=["name"], also=["region"])
    programs = access.programs_visible_to(person).filter(match.condition).annotate(search_rank=match.rank)
    results = [
        SearchResult(
            "Program",
            p.name,
            reverse("tenancy:program_detail", args=[p.pk]),
            " · ".join(part for part in (p.region, p.get_phase_display()) if part),
            p.search_rank,
            PROGRAM_ORDER,
        )
        for p in programs.order_by("search_rank", "name", "pk")[:limit]
    ]
    match = name_match(query, names=["name"], also=["region"])
    organizations = access.organizations_visible_to(person).filter(match.condition).annotate(search_rank=match.rank)
    results += [
        SearchResult(
            "Organization",
            o.name,
            reverse("tenancy:organization_detail", args=[o.pk]),
            o.get_kind_display(),
            o.search_rank,
            ORGANIZATION_ORDER,
        )
        for o in organizations.order_by("search_rank", "name", "pk")[:limit]
    ]
    match = name_match(query, names=[("first_name", "last_name"), "last_name", "first_name", "username"])
    people = access.people_visible_to(person).filter(match.condition).annotate(search_rank=match.rank)
    results += [
        SearchResult(
            "Person",
            str(p),
            reverse("tenancy:person_detail", args=[p.pk]),
            p.title,
            p.search_rank,
            PERSON_ORDER,
        )
        for p in people.order_by("search_rank", "last_name", "first_name", "pk")[:limit]
    ]
    return results
