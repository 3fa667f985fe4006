"""What the site search finds in implementation: the responsibilities assigned in the person's programs and
the resource library of their states. Three queries at most, whatever the data size."""

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.text import Truncator

from ipshub.implementation import access as impl_access
from ipshub.implementation.models import ItemStatus, Resource
from ipshub.lib.searches import SearchResult, name_match
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

RESPONSIBILITY_ORDER, RESOURCE_ORDER = 60, 80
OPEN = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)
# A recurring duty has one assignment a period: rows are fetched this many times over the limit, so that
# after keeping one per program and duty (the open one due first) the limit is still reached.
PERIODS_FETCHED = 4


def results(person: Person, query: str, limit: int) -> list[SearchResult]:
    return _responsibilities(person, query, limit) + _resources(person, query, limit)


def _responsibilities(person: Person, query: str, limit: int) -> list[SearchResult]:
    match = name_match(query, names=["responsibility__text"])
    rows = (
        impl_access.assignments_visible_to(person)
        .filter(match.condition)
        .annotate(search_rank=match.rank)
        .annotate(closed=Case(When(status__in=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("program", "responsibility")
        .order_by("search_rank", "closed", "due_on", "pk")[: limit * PERIODS_FETCHED]
    )
    found: list[SearchResult] = []
    seen: set[tuple[int, int]] = set()
    for assignment in rows:
        duty = (assignment.program_id, assignment.responsibility_id)
        if duty in seen:
            continue
        seen.add(duty)
        found.append(
            SearchResult(
                "Responsibility",
                Truncator(assignment.responsibility.local("text")).chars(120),
                reverse("implementation:assignment", args=[assignment.pk]),
                f"{assignment.program.name} · due {assignment.due_on:%b %-d, %Y} · {assignment.get_status_display()}",
                assignment.search_rank,
                RESPONSIBILITY_ORDER,
            )
        )
    return found[:limit]


def _resources(person: Person, query: str, limit: int) -> list[SearchResult]:
    match = name_match(query, names=["title"], also=["description"])
    rows = list(
        impl_access.resources_visible_to(person)
        .filter(match.condition)
        .annotate(search_rank=match.rank)
        .order_by("search_rank", "title", "pk")[:limit]
    )
    curated = impl_access.curated_state_team_ids(person)
    # Outside the state team a file is reached through one of the person's programs (as on the library page).
    needs_program = any(r.file and r.organization_id not in curated for r in rows)
    first_program = None
    if needs_program:
        first_program = access.programs_visible_to(person).order_by("pk").values_list("pk", flat=True).first()
    return [
        SearchResult(
            "Library resource",
            resource.title,
            _resource_url(resource, curated, first_program),
            resource.get_kind_display(),
            resource.search_rank,
            RESOURCE_ORDER,
        )
        for resource in rows
    ]


def _resource_url(resource: Resource, curated: set[int], first_program: int | None) -> str:
    if not resource.file:
        return resource.link
    if resource.organization_id in curated:
        return reverse("implementation:resource_file", args=[resource.pk])
    if first_program is not None:
        return reverse("implementation:program_resource", args=[first_program, resource.pk])
    return reverse("implementation:library") + f"?stage={resource.stage_key}"
