"""Reads for the directory pages, scoped by the access layer's rules."""

from django.db.models import Prefetch, Q, QuerySet

from ipshub.tenancy import access
from ipshub.tenancy.models import Membership, Organization, Person, Phase, Program, State
from ipshub.tenancy.roles import OrgKind, Role

PHASE_CHOICES = Phase.choices


def manageable_states(person: Person) -> QuerySet[State]:
    return State.objects.filter(access.manageable_states_q(person))


def manageable_organizations(person: Person) -> QuerySet[Organization]:
    return Organization.objects.filter(state__in=manageable_states(person), is_active=True).select_related("state")


def program_manager_states(person: Person) -> QuerySet[State]:
    if access.is_platform_admin(person):
        return State.objects.all()
    return State.objects.filter(pk__in=access.state_ids_with_roles(person, (Role.STATE_LEAD, Role.ADMINISTRATOR)))


def organizations_in(states: QuerySet[State]) -> QuerySet[Organization]:
    return Organization.objects.filter(state__in=states, is_active=True)


def trainers_in(states: QuerySet[State]) -> QuerySet[Person]:
    return Person.objects.filter(
        memberships__role=Role.STATE_TRAINER,
        memberships__is_active=True,
        memberships__organization__kind=OrgKind.STATE_TEAM,
        memberships__organization__state__in=states,
    ).distinct()


def with_memberships(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.order_by("last_name", "first_name", "username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True).select_related("organization"),
            to_attr="active_memberships",
        )
    )


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("organization", "organization__state").order_by(
        "-is_active", "organization__name"
    )


def organization_members(organization: Organization) -> QuerySet[Membership]:
    return (
        organization.memberships.filter(is_active=True).select_related("person").order_by("role", "person__last_name")
    )


def organization_programs(organization: Organization) -> QuerySet[Program]:
    dvr_program_ids = Program.dvr_offices.through.objects.filter(organization=organization).values("program_id")
    return Program.objects.filter(
        Q(mh_agency=organization) | Q(employment_provider=organization) | Q(id__in=dvr_program_ids)
    ).order_by("name")


def program_parties(program_ids: list[int]) -> dict[int, dict[int, frozenset[str]]]:
    """For each program, the catalog parties each organization plays in it: {program: {org: parties}}.

    The mental health agency plays the provider's part too when the program has no employment provider; the
    state team organizations of the program's state are the state IPS team. Three queries, for any number of
    programs. Areas use it to say which parties a record shows present (a meeting's attendees, a trainee)."""
    programs = list(
        Program.objects.filter(pk__in=program_ids).values_list(
            "pk", "state_id", "mh_agency_id", "employment_provider_id"
        )
    )
    dvr = Program.dvr_offices.through.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "organization_id"
    )
    state_teams: dict[int, list[int]] = {}
    for org_id, state_id in Organization.objects.filter(
        kind=OrgKind.STATE_TEAM, state_id__in={p[1] for p in programs}
    ).values_list("pk", "state_id"):
        state_teams.setdefault(state_id, []).append(org_id)
    found: dict[int, dict[int, set[str]]] = {}
    for pk, state_id, mh_id, provider_id in programs:
        orgs = found.setdefault(pk, {})
        orgs.setdefault(mh_id, set()).add("mh_agency")
        orgs.setdefault(provider_id or mh_id, set()).add("employment_provider")
        for org_id in state_teams.get(state_id, []):
            orgs.setdefault(org_id, set()).add("state_team")
    for program_id, org_id in dvr:
        found.setdefault(program_id, {}).setdefault(org_id, set()).add("dvr")
    return {pk: {org: frozenset(parties) for org, parties in orgs.items()} for pk, orgs in found.items()}
