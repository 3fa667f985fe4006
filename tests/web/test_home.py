"""Home pages rank what needs the person now: their own overdue work, then what is due this week, then their
caseload or programs; a line says what closed by itself this week. "Own" and "overdue" are the same rule on
the home page, "My responsibilities", the reminders page, the e-mail digest, the calendar feed and the boards.
The page runs the same queries whatever the data size."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipshub.areakit.bench import BenchContext
from ipshub.areakit.scale import Scale
from ipshub.clients.models import Enrollment
from ipshub.collaboration import calendar_feed, digest
from ipshub.demo.scale import generate
from ipshub.implementation import selectors
from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import Assignment, ItemStatus, StatusSource
from ipshub.tenancy.models import Person, Phase, PhaseChange, Program
from ipshub.tenancy.roles import Role
from ipshub.web.home import ITEMS_PER_GROUP, home_for, needs_for
from tests.implementation.helpers import to_ongoing
from tests.world import World

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _reconciled(*programs: Program) -> None:
    assignments_reconcile([p.pk for p in programs])
    assert Assignment.objects.filter(program__in=programs).exists()


def _open_all(program: Program, due_on: datetime.date) -> None:
    """Every assignment of the program open and due on `due_on` (as if its work were missing)."""
    Assignment.objects.filter(program=program).update(
        status=ItemStatus.NOT_STARTED, status_source="", due_on=due_on, owner=None
    )


def _party(program: Program, party: str) -> Assignment:
    found = Assignment.objects.filter(program=program, party_key=party).order_by("pk").first()
    assert found is not None, party
    return found


def _own_ids(person: Person) -> set[int]:
    return set(selectors.my_assignments(person).values_list("pk", flat=True))


def _party_ids(program: Program, party: str) -> set[int]:
    return set(Assignment.objects.filter(program=program, party_key=party, owner=None).values_list("pk", flat=True))


# --- Whose work it is -----------------------------------------------------------------------------------


def test_own_means_by_name_or_unowned_duties_of_the_organization_one_leads(world: World) -> None:
    p1, p2 = world.programs["p1"], world.programs["p2"]
    _reconciled(p1, p2)
    for program in (p1, p2):
        _open_all(program, _today() - datetime.timedelta(days=3))
    provider_duty = _party(p1, "employment_provider")
    provider_duty.owner = world.specialist
    provider_duty.save()

    # A specialist sees only what is theirs by name, not every duty of the provider.
    assert _own_ids(world.specialist) == {provider_duty.pk}
    assert _own_ids(world.counselor) == set()
    assert _own_ids(world.case_manager) == set()
    # Leaders see their organization's duties with nobody named (not one owned by a colleague).
    assert _own_ids(world.supervisor) == _party_ids(p1, "employment_provider")
    assert provider_duty.pk not in _own_ids(world.supervisor)
    assert _own_ids(world.director) == _party_ids(p1, "mh_agency")
    assert _own_ids(world.dvr_supervisor) == _party_ids(p1, "dvr")
    # The state team's lead answers for the state team's duties of every program of the state; the trainer
    # only for the programs they train; the other state sees nothing of this one.
    assert _own_ids(world.state_lead) == _party_ids(p1, "state_team") | _party_ids(p2, "state_team")
    assert _own_ids(world.trainer) == _party_ids(p1, "state_team")
    assert _own_ids(world.other_state_lead) == set()
    assert _own_ids(world.admin) == set()


def test_the_same_truth_on_home_my_responsibilities_reminders_digest_calendar_and_board(
    world: World, client_for
) -> None:
    p1 = world.programs["p1"]
    _reconciled(p1)
    today = _today()
    _open_all(p1, today + datetime.timedelta(days=60))
    late, soon, superseded, not_applicable, waived_late = Assignment.objects.filter(
        program=p1, party_key="mh_agency"
    ).order_by("pk")[:5]
    Assignment.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=20))
    Assignment.objects.filter(pk=soon.pk).update(due_on=today + datetime.timedelta(days=3))
    # Closed without the work (superseded, not applicable) never come due, however late their date.
    Assignment.objects.filter(pk=superseded.pk).update(
        status=ItemStatus.SUPERSEDED, status_source=StatusSource.PRODUCT, due_on=today - datetime.timedelta(days=400)
    )
    Assignment.objects.filter(pk=not_applicable.pk).update(
        status=ItemStatus.NOT_APPLICABLE, status_source=StatusSource.PERSON, due_on=today - datetime.timedelta(days=9)
    )
    Assignment.objects.filter(pk=waived_late.pk).update(
        status=ItemStatus.DONE, status_source=StatusSource.PERSON, due_on=today - datetime.timedelta(days=9)
    )
    director = world.director

    needs = needs_for(director, today)
    home_overdue = {i.key for i in needs.overdue if i.kind == "responsibility"}
    home_week = {i.key for i in needs.due_this_week if i.kind == "responsibility"}
    assert home_overdue == {f"responsibility:{late.pk}"}
    assert home_week == {f"responsibility:{soon.pk}"}

    mine = client_for(director).get(reverse("implementation:mine") + "?show=overdue")
    assert [a.pk for a in mine.context["page_obj"].object_list] == [late.pk]
    reminders = {i.key for i in digest.all_due_items(director, today) if i.kind == "responsibility"}
    assert reminders == home_overdue | home_week
    calendar = calendar_feed.calendar_for(director, today).decode()
    for pk in (late.pk, soon.pk):
        assert f"due-responsibility-{pk}@ipshub" in calendar
    for pk in (superseded.pk, not_applicable.pk, waived_late.pk):
        assert f"due-responsibility-{pk}@" not in calendar
    # The boards count every open assignment past its date, by the same rule.
    board = selectors.board(Program.objects.filter(pk=p1.pk), today)
    assert board.total_overdue == 1
    assert selectors.assignment_counts(p1, today)["overdue"] == 1


def test_home_ranks_own_overdue_then_due_this_week_then_caseload(world: World, client_for) -> None:
    p1 = world.programs["p1"]
    to_ongoing(p1, world.state_lead)
    _reconciled(p1)
    today = _today()
    _open_all(p1, today + datetime.timedelta(days=60))
    duties = list(Assignment.objects.filter(program=p1, party_key="employment_provider").order_by("pk"))
    overdue = duties[: ITEMS_PER_GROUP + 2]
    for n, duty in enumerate(overdue):
        Assignment.objects.filter(pk=duty.pk).update(due_on=today - datetime.timedelta(days=30 - n))
    this_week = duties[ITEMS_PER_GROUP + 2]
    Assignment.objects.filter(pk=this_week.pk).update(due_on=today + datetime.timedelta(days=2))

    page = client_for(world.supervisor).get(reverse("home")).content.decode()
    needs = page.index('id="needs-heading"')
    first_overdue = page.index(reverse("implementation:assignment", args=[overdue[0].pk]))
    week = page.index(reverse("implementation:assignment", args=[this_week.pk]))
    caseload = page.index('id="unit-panel"')
    assert needs < first_overdue < week < caseload
    # A handful per group, oldest first, and a link to the full lists.
    assert reverse("implementation:assignment", args=[overdue[ITEMS_PER_GROUP].pk]) not in page
    everything = needs_for(world.supervisor, today).overdue
    assert {f"responsibility:{a.pk}" for a in overdue} <= {i.key for i in everything}
    assert f"See all {len(everything)} overdue" in page
    assert reverse("implementation:mine") + "?show=overdue" in page


def test_closed_by_itself_this_week(world: World, client_for) -> None:
    p1, pb = world.programs["p1"], world.programs["pb"]
    _reconciled(p1, pb)
    now = timezone.now()
    # What the set-up's reconcile closed (the program opened, its trainer named) closed long ago here.
    Assignment.objects.filter(program__in=[p1, pb]).update(status_changed_at=now - datetime.timedelta(days=30))
    recent, older, by_hand = Assignment.objects.filter(program=p1).order_by("pk")[:3]
    link = {
        "kind": "meeting",
        "id": 1,
        "url": "/collaboration/meetings/1/",
        "on": "2026-11-03",
        "label": "IPS unit meeting",
    }
    for assignment, source, when in (
        (recent, StatusSource.WORK, now - datetime.timedelta(days=2)),
        (older, StatusSource.WORK, now - datetime.timedelta(days=9)),
        (by_hand, StatusSource.PERSON, now - datetime.timedelta(days=1)),
    ):
        Assignment.objects.filter(pk=assignment.pk).update(
            status=ItemStatus.DONE, status_source=source, status_changed_at=when, fulfilled_by=[link]
        )
    # Another state's program: not the person's.
    other = Assignment.objects.filter(program=pb).first()
    assert other is not None
    Assignment.objects.filter(pk=other.pk).update(
        status=ItemStatus.DONE, status_source=StatusSource.WORK, status_changed_at=now
    )

    needs = home_for(world.specialist).needs
    assert needs.closed.total == 1
    assert [i.url for i in needs.closed.items] == [reverse("implementation:assignment", args=[recent.pk])]
    assert needs.closed.items[0].closed_by == "IPS unit meeting"
    page = client_for(world.specialist).get(reverse("home")).content.decode()
    assert "Closed by itself this week: 1" in page
    assert reverse("implementation:assignment", args=[recent.pk]) in page


def test_nothing_due_says_so(world: World, client_for) -> None:
    page = client_for(world.counselor).get(reverse("home")).content.decode()
    assert "Nothing of yours is overdue or due this week." in page
    assert "Closed by itself this week: 0" in page


def test_nothing_older_than_its_period_benefits_planning_is_due_a_year_after_the_last_plan(world: World) -> None:
    from ipshub.clients import reminders as client_reminders
    from ipshub.clients import services as client_services
    from tests.clients.factories import days_ago, enroll

    today = _today()
    enrollment = enroll(world, referred=1000)
    never = [i for i in client_reminders.due_items(world.specialist, today) if i.kind == "client_benefits"]
    # Never offered: truly missing since a month after the start.
    assert [i.due_on for i in never] == [days_ago(1000 - 30)]
    client_services.benefits_planning_record(
        actor=world.specialist, enrollment=enrollment, reason="before_start", offered_on=days_ago(400)
    )
    again = [i for i in client_reminders.due_items(world.specialist, today) if i.kind == "client_benefits"]
    # Offered 400 days ago: due again since that plan's year ended (35 days ago), not since the start.
    assert [i.due_on for i in again] == [days_ago(35)]


# --- The same queries at every size --------------------------------------------------------------------


def _grow(world: World, n: int) -> None:
    """More programs of the same organizations, each with its assignments, open and overdue."""
    opened = world.programs["p1"].phase_since
    programs = []
    first = Program.objects.count()
    for i in range(first, first + n):
        program = Program.objects.create(
            state=world.state_a,
            name=f"Grown {i}",
            mh_agency=world.orgs["mh1"],
            employment_provider=world.orgs["provider1"],
            trainer=world.trainer,
            phase=Phase.PRIOR,
            phase_since=opened,
        )
        program.dvr_offices.set([world.orgs["dvr1"]])
        PhaseChange.objects.create(program=program, to_phase=Phase.PRIOR, effective_on=opened)
        programs.append(program)
    _reconciled(*programs)
    today = _today()
    for k, program in enumerate(programs):
        _open_all(program, today - datetime.timedelta(days=k + 1))
        Assignment.objects.filter(pk=_party(program, "employment_provider").pk).update(owner=world.specialist)
        done = _party(program, "dvr")
        Assignment.objects.filter(pk=done.pk).update(
            status=ItemStatus.DONE, status_source=StatusSource.WORK, status_changed_at=timezone.now()
        )


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director", "state_lead", "trainer"])
def test_home_runs_the_same_queries_with_more_programs_and_assignments(world: World, client_for, persona: str) -> None:
    _grow(world, 1)
    client = client_for(world.people[persona])
    url = reverse("home")
    client.get(url)  # warm caches (content types, the catalog)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), (
        f"{persona}: {len(small)} queries with 2 programs, {len(large)} with 14:\n"
        + "\n".join(q["sql"][:120] for q in large.captured_queries)
    )


def _generated_queries(scale: Scale) -> dict[str, list[str]]:
    """Queries of the home page and of its second part, for each kind of person, on generated data."""
    with transaction.atomic():
        generate(scale, progress=lambda _: None)
        ctx = BenchContext()
        enrollment = Enrollment.objects.filter(program=ctx.program, specialist__isnull=False).order_by("pk").first()
        assert enrollment is not None and enrollment.specialist is not None
        people = {
            "specialist": enrollment.specialist,
            "supervisor": ctx.person(Role.IPS_SUPERVISOR),
            "director": ctx.person(Role.MH_DIRECTOR),
            "state lead": ctx.person(Role.STATE_LEAD),
            "trainer": ctx.person(Role.STATE_TRAINER),
            "DVR supervisor": ctx.person(Role.DVR_SUPERVISOR),
        }
        counts = {}
        for name, person in people.items():
            client = Client()
            client.force_login(person)
            for page in ("home", "home_more"):
                url = reverse(page)
                client.get(url)  # warm caches (content types, the catalog)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                counts[f"{page} ({name})"] = [q["sql"][:100] for q in queries.captured_queries]
        transaction.set_rollback(True)
    return counts


def test_home_runs_the_same_queries_on_small_and_larger_generated_data() -> None:
    # Enough clients that each person's home shows some client on both (a disclosure is recorded, one more
    # write, only when a client is shown): 30 left the small data's specialist with no DVR authorization.
    small = _generated_queries(Scale("county", states=1, programs=2, clients=60, years=2))
    larger = _generated_queries(Scale("county", states=1, programs=5, clients=300, years=6))
    differ = {page: (small[page], larger[page]) for page in small if len(small[page]) != len(larger[page])}
    assert not differ, "\n\n".join(
        f"{page}: {len(a)} queries on the small data, {len(b)} on the larger:\n  "
        + "\n  ".join(a)
        + "\n --\n  "
        + "\n  ".join(b)
        for page, (a, b) in differ.items()
    )
