"""The access layer: every read of a tenant-owned object goes through here, with the acting person.

- `*_visible_to(person)` return querysets scoped to what the person may see.
- `get_*_for(person, id)` return one object or raise Http404: "not found" and "not yours" look the same.
- `require_*` checks raise PermissionDenied (403) for a member who may read but not write.
- `@scoped_view` marks a view as going through this layer; the URL-walk test refuses any view
  that is neither marked nor on its short, reviewed list of non-tenant pages.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

# The view marks live in lib (they need no model, and the catalog below tenancy uses them too); they are
# named here as well because the access layer is where a view author looks for them.
from ipshub.lib import compiled
from ipshub.lib.kept import keep, kept
from ipshub.lib.signed_in import non_tenant_view as non_tenant_view
from ipshub.lib.signed_in import scoped_view as scoped_view
from ipshub.tenancy.models import Membership, MinimumWage, Organization, Person, Program
from ipshub.tenancy.roles import ROLES_BY_KIND, STATEWIDE_ROLES, OrgKind, Role


@dataclass(frozen=True)
class Seat:
    """One active membership, flattened: what the access layer needs to know about it."""

    organization_id: int
    state_id: int
    kind: str
    role: str


def seats(person: Person) -> tuple[Seat, ...]:
    """The person's active memberships, loaded once per request (cached on the person object)."""
    cached: tuple[Seat, ...] | None = getattr(person, "_ipshub_seats", None)
    if cached is None:
        if not person.is_authenticated or not person.is_active:
            cached = ()
        else:
            rows = Membership.objects.filter(person=person, is_active=True, organization__is_active=True).values_list(
                "organization_id", "organization__state_id", "organization__kind", "role"
            )
            cached = tuple(Seat(*row) for row in rows)
        person._ipshub_seats = cached  # type: ignore[attr-defined]
    return cached


def seats_as_text_sql(person_id_column: str, vendor: str) -> str:
    """SQL for the person's seats as one text value ("org:state:kind:role,..."), as a subquery of another
    query that has the person's id in `person_id_column`. The session is loaded with it
    (accounts/sessions.py): a signed-in request then knows its person and seats from one query."""
    aggregate = "string_agg" if vendor == "postgresql" else "group_concat"
    m, o = Membership._meta.db_table, Organization._meta.db_table
    return (
        f"SELECT {aggregate}(m.organization_id || ':' || o.state_id || ':' || o.kind || ':' || m.role, ',') "
        f"FROM {m} m JOIN {o} o ON o.id = m.organization_id "
        f"WHERE m.person_id = {person_id_column} AND m.is_active AND o.is_active"
    )


def remember_seats(person: Person, text: str | None) -> None:
    """Keep the seats loaded by `seats_as_text_sql` on the person, as `seats` would have loaded them."""
    found = []
    for item in filter(None, (text or "").split(",")):
        organization_id, state_id, kind, role = item.split(":", 3)
        found.append(Seat(int(organization_id), int(state_id), kind, role))
    person._ipshub_seats = tuple(found) if person.is_active else ()  # type: ignore[attr-defined]


def forget_seats(person: Person) -> None:
    """Drop the cached memberships after a membership change in the same request, and every answer kept on
    the person from them (the visible programs here, an area's "sees any review"...: all named `_ipshub_*`)."""
    known = {"_ipshub_seats", "_ipshub_memberships", "_ipshub_programs", "_ipshub_sees_programs"}
    for cached in known | {name for name in vars(person) if name.startswith("_ipshub_")}:
        if hasattr(person, cached):
            delattr(person, cached)


def memberships(person: Person) -> list[Membership]:
    """The person's active memberships with their organizations (names, dates), loaded once per request
    (cached on the person object): the home page and the training reminders both show them."""
    cached: list[Membership] | None = getattr(person, "_ipshub_memberships", None)
    if cached is None:
        cached = []
        if person.is_authenticated:
            cached = list(Membership.objects.filter(person=person, is_active=True).select_related("organization"))
        person._ipshub_memberships = cached  # type: ignore[attr-defined]
    return cached


def roles_of(person: Person) -> set[str]:
    return {seat.role for seat in seats(person)}


def organization_ids(person: Person) -> set[int]:
    return {seat.organization_id for seat in seats(person)}


def state_ids_with_roles(person: Person, roles: tuple[str, ...]) -> set[int]:
    return {seat.state_id for seat in seats(person) if seat.role in roles and seat.kind == OrgKind.STATE_TEAM}


def statewide_state_ids(person: Person) -> set[int]:
    """States whose every program this person oversees (state team leads, trainers, administrators)."""
    return state_ids_with_roles(person, STATEWIDE_ROLES)


def administered_state_ids(person: Person) -> set[int]:
    return state_ids_with_roles(person, (Role.ADMINISTRATOR,))


def is_platform_admin(person: Person) -> bool:
    return bool(person.is_authenticated and person.is_active and person.is_superuser)


# --- Programs -------------------------------------------------------------------------------------


def programs_visible_to(person: Person) -> QuerySet[Program]:
    """The programs the person sees. Built once per request from the seats and kept on the person object (as
    the seats are; `forget_seats` drops both): a page asks this many times, mostly as a subquery, and building
    the query costs far more than copying it. Each caller gets its own copy."""
    cached: QuerySet[Program] | None = getattr(person, "_ipshub_programs", None)
    if cached is None:
        cached = _programs_visible_to(person)
        person._ipshub_programs = cached  # type: ignore[attr-defined]
    return cached.all()


def visible_program_ids(person: Person) -> RawSQL:
    """The ids of `programs_visible_to(person)` as a subquery compiled to SQL once per request (kept on the person,
    like the queryset). Django compiles a subquery again every time a query uses it, and the home page's reminders
    use it in every part of their UNIONs: compiling it once cut the page's Python work by a fifth. The SQL is the
    queryset's own, so the rows are the same; use it as `program_id__in=visible_program_ids(person)`."""

    def compile_once() -> RawSQL:
        # Unordered: an IN (...) needs no order, and the programs' default one (by name) put a sort in every use.
        sql, params = programs_visible_to(person).order_by().values("id").query.sql_with_params()
        return RawSQL(sql, params, output_field=IntegerField())

    return kept(person, "visible_program_ids", compile_once)


def person_rows(
    person: Person,
    name: str,
    moment: datetime.date | None,
    build: Callable[[], QuerySet[Any, Any]],
) -> list[tuple[Any, ...]]:
    """The rows of `build()`, a query for `person` at `moment` (a `values_list` queryset; `moment` is a day, a
    time such as "since", or None when the query depends on no time). Its SQL is built once per person, seats
    and moment (`lib.compiled`): what the person sees follows from exactly these, the seats loaded with every
    request. `name` names the query, unique across the areas, with anything else the build depends on."""
    # Today as well, whatever `moment`: a build may ask the access layer for what holds today (a consent in effect).
    shape = (name, moment, timezone.localdate(), person.pk, person.is_active, person.is_superuser, seats(person))
    return compiled.rows(shape, build)


# --- Issue 23: the statewide views' scope ---------------------------------------------------------


def sees_statewide(person: Person) -> bool:
    """Whether the person has the statewide views (state IPS team leads, trainers, administrators, and platform
    administrators): from the seats already loaded, no query."""
    return is_platform_admin(person) or bool(statewide_state_ids(person))


def require_statewide(person: Person) -> None:
    if not sees_statewide(person):
        raise PermissionDenied("The statewide views are for the state IPS team and its trainers.")


def statewide_programs(person: Person) -> QuerySet[Program]:
    """The programs of the states where the person sits on the state IPS team (a platform administrator: all)."""
    programs = programs_visible_to(person)
    if is_platform_admin(person):
        return programs
    return programs.filter(state_id__in=statewide_state_ids(person))


def sees_programs(person: Person) -> bool:
    """Whether the person sees any program (the navigation's Outcomes for partners). Asked once per request;
    a page that has read the person's programs says so first (`remember_sees_programs`)."""
    return kept(person, "sees_programs", lambda: programs_visible_to(person).exists())


def remember_sees_programs(person: Person, sees: bool) -> None:
    keep(person, "sees_programs", sees)


def _programs_visible_to(person: Person) -> QuerySet[Program]:
    if is_platform_admin(person):
        return Program.objects.all()
    orgs = organization_ids(person)
    states = statewide_state_ids(person)
    if not orgs and not states and not person.is_authenticated:
        return Program.objects.none()
    dvr_program_ids = Program.dvr_offices.through.objects.filter(organization_id__in=orgs).values("program_id")
    return Program.objects.filter(
        Q(state_id__in=states)
        | Q(mh_agency_id__in=orgs)
        | Q(employment_provider_id__in=orgs)
        | Q(id__in=dvr_program_ids)
        | Q(trainer_id=person.pk)
    )


def get_program_for(person: Person, program_id: int) -> Program:
    program = programs_visible_to(person).select_related("state", "mh_agency", "employment_provider", "trainer")
    try:
        return program.get(pk=program_id)
    except Program.DoesNotExist:
        raise Http404("No such program.") from None


def can_manage_programs(person: Person, state_id: int) -> bool:
    """State team leads and administrators open and edit programs in their state."""
    return is_platform_admin(person) or state_id in state_ids_with_roles(person, (Role.STATE_LEAD, Role.ADMINISTRATOR))


def require_program_manager(person: Person, state_id: int) -> None:
    if not can_manage_programs(person, state_id):
        raise PermissionDenied("Only the state IPS team or an administrator can change programs.")


# --- Organizations --------------------------------------------------------------------------------


def organizations_visible_to(person: Person) -> QuerySet[Organization]:
    if is_platform_admin(person):
        return Organization.objects.all()
    # The partners of the person's programs, as subqueries: the queryset stays one query wherever it is used
    # (the change feed puts it inside its own).
    programs = programs_visible_to(person)
    return Organization.objects.filter(
        Q(state_id__in=statewide_state_ids(person))
        | Q(id__in=organization_ids(person))
        | Q(id__in=programs.values("mh_agency_id"))
        | Q(id__in=programs.exclude(employment_provider=None).values("employment_provider_id"))
        | Q(id__in=Program.dvr_offices.through.objects.filter(program__in=programs).values("organization_id"))
    )


def get_organization_for(person: Person, organization_id: int) -> Organization:
    try:
        return organizations_visible_to(person).select_related("state").get(pk=organization_id)
    except Organization.DoesNotExist:
        raise Http404("No such organization.") from None


# --- People and the directory ---------------------------------------------------------------------


def can_manage_directory(person: Person, state_id: int | None = None) -> bool:
    """Administrators manage organizations, people and memberships in their state."""
    if is_platform_admin(person):
        return True
    states = administered_state_ids(person)
    return bool(states) if state_id is None else state_id in states


def require_directory_admin(person: Person, state_id: int | None = None) -> None:
    if not can_manage_directory(person, state_id):
        raise PermissionDenied("Only an administrator can manage organizations, people and memberships.")


def manageable_states_q(person: Person) -> Q:
    return Q() if is_platform_admin(person) else Q(pk__in=administered_state_ids(person))


def people_visible_to(person: Person) -> QuerySet[Person]:
    """Colleagues in the person's organizations; everyone in a state for its state team."""
    if is_platform_admin(person):
        return Person.objects.all()
    states = statewide_state_ids(person)
    orgs = organization_ids(person)
    member_ids = Membership.objects.filter(Q(organization__state_id__in=states) | Q(organization_id__in=orgs)).values(
        "person_id"
    )
    return Person.objects.filter(Q(id__in=member_ids) | Q(pk=person.pk))


def memberships_visible_to(person: Person) -> QuerySet[Membership]:
    """The roles of the people the person sees (a directory entry's roles, as on its page)."""
    return Membership.objects.filter(person__in=people_visible_to(person))


def get_person_for(person: Person, person_id: int) -> Person:
    try:
        return people_visible_to(person).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


# --- State minimum wages --------------------------------------------------------------------------


def minimum_wage_state_ids(person: Person) -> set[int]:
    """The states whose minimum wages the person reads: every state they hold a seat in (the rates are
    public law; a specialist checks the one that judges a job)."""
    return {seat.state_id for seat in seats(person)}


def minimum_wages_visible_to(person: Person) -> QuerySet[MinimumWage]:
    if is_platform_admin(person):
        return MinimumWage.objects.all()
    return MinimumWage.objects.filter(state_id__in=minimum_wage_state_ids(person))


def get_minimum_wage_for(person: Person, minimum_wage_id: int) -> MinimumWage:
    """One rate, for its state's IPS team (who keep the rates; its edit page and API answer are theirs):
    404 for anyone else."""
    rows = MinimumWage.objects.all()
    if not is_platform_admin(person):
        rows = rows.filter(state_id__in=state_ids_with_roles(person, ROLES_BY_KIND[OrgKind.STATE_TEAM]))
    try:
        return rows.select_related("state").get(pk=minimum_wage_id)
    except MinimumWage.DoesNotExist:
        raise Http404("No such minimum wage.") from None


def can_manage_minimum_wages(person: Person, state_id: int | None = None) -> bool:
    """The state team's leads and administrators keep their state's minimum wages (as they keep programs)."""
    if is_platform_admin(person):
        return True
    states = state_ids_with_roles(person, (Role.STATE_LEAD, Role.ADMINISTRATOR))
    return bool(states) if state_id is None else state_id in states


def minimum_wage_managed_states_q(person: Person) -> Q:
    """The states whose minimum wages the person keeps, as a filter on State."""
    if is_platform_admin(person):
        return Q()
    return Q(pk__in=state_ids_with_roles(person, (Role.STATE_LEAD, Role.ADMINISTRATOR)))


def require_minimum_wage_manager(person: Person, state_id: int | None = None) -> None:
    if not can_manage_minimum_wages(person, state_id):
        raise PermissionDenied("Only the state IPS team's leads and administrators can change minimum wages.")
