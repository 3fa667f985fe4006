"""`lib.compiled`: the home pages' queries are built to SQL once per person, seats and day, then only executed.
What it keeps must never stand in for data: the rows come fresh from the database every time, a build that reads
the database or the clock is never kept, and no two people (or one person with other seats) share a kept query."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ipshub.fidelity.models import ActionItem
from ipshub.lib import compiled
from ipshub.tenancy import access
from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import Role
from ipshub.web.home import needs_for
from tests.fidelity.factories import delivered_review
from tests.world import PERSONAS, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    compiled.forget_all()
    compiled.uncacheable.clear()


def test_every_home_page_query_is_kept_for_every_persona(world: World, client_for) -> None:
    """No area's home-page query reads the database or the clock while it is built: each is kept (a build that
    did would be built again on every page, and its cost would come back unseen)."""
    for name in PERSONAS:
        client = client_for(world.people[name])
        assert client.get(reverse("home")).status_code == 200, name
        assert client.get(reverse("home_more")).status_code == 200, name
    assert compiled.uncacheable == {}
    assert len(compiled._kept) >= len(PERSONAS)


def _actions(person: Person) -> list[str]:
    return [i.title for i in needs_for(person, timezone.localdate()).overdue if i.kind == "action"]


def test_kept_queries_read_fresh_rows(world: World) -> None:
    """The second page runs the kept SQL, which still sees what was recorded in between."""
    supervisor = world.people["supervisor"]
    assert not _actions(supervisor)
    kept = len(compiled._kept)
    review = delivered_review(world)
    ActionItem.objects.create(
        review=review, title="Hire a second specialist", due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    supervisor = Person.objects.get(pk=supervisor.pk)  # a new request's person
    assert _actions(supervisor) == ["Fidelity action: Hire a second specialist"]
    assert len(compiled._kept) == kept  # the same kept queries, run again


def test_other_seats_other_query(world: World) -> None:
    """A person moved to the other agency sees that agency's items from their next page on, not the kept ones."""
    specialist = world.people["specialist"]
    needs_for(specialist, timezone.localdate())
    before = set(compiled._kept)
    Membership.objects.filter(person=specialist).update(organization=world.orgs["mh2"])
    specialist = Person.objects.get(pk=specialist.pk)
    assert {s.organization_id for s in access.seats(specialist)} == {world.orgs["mh2"].pk}
    needs_for(specialist, timezone.localdate())
    assert set(compiled._kept) - before, "the new seats made new keys"
    assert not any(key in before for key in set(compiled._kept) - before)


def test_a_build_that_reads_the_database_is_not_kept(world: World) -> None:
    """Its SQL would carry what it read (here, ids): run normally each time and counted."""

    def build():  # type: ignore[no-untyped-def]
        ids = list(Program.objects.values_list("pk", flat=True))  # a read while building
        return Program.objects.filter(pk__in=ids).order_by("pk").values_list("name")

    first = compiled.rows(("test.reads", 1), build)
    Program.objects.create(
        state=world.state_a,
        name="Zeta County IPS",
        mh_agency=world.orgs["mh1"],
        employment_provider=world.orgs["provider1"],
        phase_since=timezone.localdate(),
    )
    second = compiled.rows(("test.reads", 1), build)
    assert ("Zeta County IPS",) in second and ("Zeta County IPS",) not in first
    assert compiled.uncacheable == {"test.reads": 2}
    assert not compiled._kept


def test_a_build_that_reads_the_clock_is_not_kept(world: World) -> None:
    def build():  # type: ignore[no-untyped-def]
        return Person.objects.filter(date_joined__lte=timezone.now()).values_list("pk")

    assert compiled.rows(("test.clock",), build)
    assert compiled.uncacheable == {"test.clock": 1} and not compiled._kept


def test_dates_come_back_as_dates(world: World) -> None:
    """The database's values go through the fields' converters as the ORM's would (SQLite returns text)."""
    rows = access.person_rows(
        world.people["director"],
        "test.dates",
        None,
        lambda: Program.objects.filter(pk=world.programs["p1"].pk).values_list("phase_since"),
    )
    assert rows == [(world.programs["p1"].phase_since,)]
    assert isinstance(rows[0][0], datetime.date)


def test_the_same_query_for_two_people_is_kept_apart(world: World) -> None:
    """Keys name the person: two supervisors of one agency never share a kept query (their reviews differ)."""
    supervisor = world.people["supervisor"]
    other = Person.objects.create(username="supervisor2", first_name="Sam", last_name="Other")
    Membership.objects.create(person=other, organization=world.orgs["mh1"], role=Role.IPS_SUPERVISOR)
    needs_for(supervisor, timezone.localdate())
    needs_for(other, timezone.localdate())
    people = {key[3] for key in compiled._kept if len(key) > 3 and str(key[0]).endswith("due_items")}
    assert {supervisor.pk, other.pk} <= people
