"""The access layer: who sees which programs, organizations and people."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ipshub.tenancy import access
from tests.world import World

pytestmark = pytest.mark.django_db


def visible_programs(world: World, persona: str) -> set[str]:
    return {p.name for p in access.programs_visible_to(world.people[persona])}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"Program P1", "Program P2"}),
        ("state_lead", {"Program P1", "Program P2"}),
        ("trainer", {"Program P1", "Program P2"}),
        ("reviewer", set()),
        ("director", {"Program P1"}),
        ("case_manager", {"Program P1"}),
        ("supervisor", {"Program P1"}),
        ("specialist", {"Program P1"}),
        ("counselor", {"Program P1"}),
        ("other_agency_director", {"Program P2"}),
        ("other_state_lead", {"Program PB"}),
        ("other_state_admin", {"Program PB"}),
        ("other_state_director", {"Program PB"}),
    ],
)
def test_programs_visible_by_role(world: World, persona: str, expected: set[str]) -> None:
    assert visible_programs(world, persona) == expected


def test_get_program_for_outsiders_is_404(world: World) -> None:
    p1 = world.programs["p1"]
    assert access.get_program_for(world.people["director"], p1.pk) == p1
    for outsider in ("other_agency_director", "other_state_lead", "other_state_admin", "reviewer"):
        with pytest.raises(Http404):
            access.get_program_for(world.people[outsider], p1.pk)


def test_inactive_membership_and_account_see_nothing(world: World) -> None:
    director = world.people["director"]
    director.memberships.update(is_active=False)
    access.forget_seats(director)
    assert not access.programs_visible_to(director).exists()
    specialist = world.people["specialist"]
    specialist.is_active = False
    assert not access.seats(specialist)


def test_organizations_visible_are_own_and_partners(world: World) -> None:
    names = {o.name for o in access.organizations_visible_to(world.people["director"])}
    assert names == {"A Pine County Human Services", "A Summit Employment", "A DVR Pine Office"}
    other_state = {o.name for o in access.organizations_visible_to(world.people["other_state_lead"])}
    assert all(name.startswith("B ") for name in other_state)


def test_people_visible_are_colleagues_only(world: World) -> None:
    seen = {p.username for p in access.people_visible_to(world.people["director"])}
    assert seen == {"director", "case_manager"}
    seen_by_admin = {p.username for p in access.people_visible_to(world.people["admin"])}
    assert "other_state_lead" not in seen_by_admin and "specialist" in seen_by_admin


def test_directory_and_program_management_rights(world: World) -> None:
    state_a = world.state_a.pk
    assert access.can_manage_directory(world.people["admin"], state_a)
    assert not access.can_manage_directory(world.people["other_state_admin"], state_a)
    assert not access.can_manage_directory(world.people["state_lead"], state_a)
    assert access.can_manage_programs(world.people["state_lead"], state_a)
    with pytest.raises(PermissionDenied):
        access.require_program_manager(world.people["trainer"], state_a)
