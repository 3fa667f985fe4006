"""Global search within what the person may see: the foundation's programs, organizations and people,
plus each area's `search.py` (clients, employers...). Every provider reads through the access layer."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from ipshub.lib.contributions import area_modules
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

MIN_LENGTH = 2
PER_KIND = 10


@dataclass(frozen=True)
class SearchResult:
    kind: str  # shown as the group heading, e.g. "Programs"
    title: str
    url: str
    detail: str = ""


def search(person: Person, query: str) -> list[SearchResult]:
    query = query.strip()
    if len(query) < MIN_LENGTH:
        return []
    results = [
        SearchResult("Programs", p.name, reverse("tenancy:program_detail", args=[p.pk]), p.get_phase_display())
        for p in access.programs_visible_to(person)
        .filter(Q(name__icontains=query) | Q(region__icontains=query))
        .order_by("name")[:PER_KIND]
    ]
    results += [
        SearchResult("Organizations", o.name, reverse("tenancy:organization_detail", args=[o.pk]), o.get_kind_display())
        for o in access.organizations_visible_to(person).filter(name__icontains=query).order_by("name")[:PER_KIND]
    ]
    results += [
        SearchResult("People", str(p), reverse("tenancy:person_detail", args=[p.pk]), p.title)
        for p in access.people_visible_to(person)
        .filter(Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(username__icontains=query))
        .order_by("last_name", "first_name")[:PER_KIND]
    ]
    for area in area_modules("search", optional=True):
        results += area.results(person, query, PER_KIND)
    return results
