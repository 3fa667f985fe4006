"""The site search (web/search.py and each area's search.py): what each kind of person finds, in what order,
what it records, and that it runs the same queries whatever the data size."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from ipshub.audit.models import AuditEvent
from ipshub.clients import services as client_services
from ipshub.collaboration.models import MeetingKind
from ipshub.implementation import services as impl_services
from ipshub.implementation.models import Assignment, Resource
from ipshub.lib.searches import CONTAINS, EXACT, STARTS, WORD_STARTS
from tests.clients.factories import days_ago, employer, enroll
from tests.collaboration.factories import meeting, series
from tests.world import PASSWORD, World, build_world

OUTSIDERS = ("other_agency_specialist", "other_agency_director", "other_state_lead", "other_state_director")


def found(client_for, person, q: str):
    response = client_for(person).post(reverse("search"), {"q": q}, follow=True)
    assert response.status_code == 200
    return response.context["found"]


def titles(client_for, person, q: str, kind: str | None = None) -> list[str]:
    return [r.title for r in found(client_for, person, q).results if kind is None or r.kind == kind]


@pytest.mark.django_db
def test_search_finds_only_what_the_person_may_see(world: World, client_for) -> None:
    assert "Program P1" in titles(client_for, world.director, "program")
    assert "Program P1" not in titles(client_for, world.other_agency_director, "program")
    assert set(titles(client_for, world.other_state_lead, "program", "Program")) == {"Program PB"}
    assert "Director Tester" in titles(client_for, world.case_manager, "director")
    assert "Director Tester" not in titles(client_for, world.other_state_admin, "director")
    response = client_for(world.director).post(reverse("search"), {"q": "p"}, follow=True)
    assert "Type at least 2 letters." in response.content.decode()


@pytest.mark.django_db
def test_clients_are_found_within_the_caseload_and_every_result_is_recorded(world: World, client_for) -> None:
    mine = enroll(world, first="Lena", last="Fischer")
    unassigned = enroll(world, first="Marta", last="Fischerova", supervisor=None, specialist=None)
    other_program = enroll(
        world, program="p2", referrer="other_agency_director", supervisor=None, first="Otto", last="Fischer"
    )
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    answer = found(client_for, world.specialist, "fischer")
    clients = [r for r in answer.results if r.kind == "Client"]
    assert [r.title for r in clients] == ["Lena Fischer"]  # the specialist's own caseload only
    assert clients[0].url == reverse("clients:detail", args=[mine.pk])
    assert clients[0].rank == EXACT and "Program P1" in clients[0].detail
    event = AuditEvent.objects.filter(pk__gt=before, action="client.list_search").get()
    assert event.actor_id == world.specialist.pk and event.detail["enrollments"] == [mine.pk]
    # The supervisor sees the program's caseload, the agency's case manager the agency's clients.
    assert titles(client_for, world.supervisor, "fischer", "Client") == ["Lena Fischer", "Marta Fischerova"]
    assert titles(client_for, world.case_manager, "lena fisch", "Client") == ["Lena Fischer"]
    assert titles(client_for, world.other_agency_director, "fischer", "Client") == ["Otto Fischer"]
    # The state team sees no client-level records; a DVR counselor only under an active consent.
    assert titles(client_for, world.state_lead, "fischer", "Client") == []
    assert titles(client_for, world.counselor, "fischer", "Client") == []
    client_services.consent_create(
        actor=world.specialist,
        enrollment=mine,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    [shared] = [r for r in found(client_for, world.counselor, "fischer").results if r.kind == "Client"]
    assert shared.title == "Lena Fischer" and "shared with your DVR office" in shared.detail
    assert unassigned.pk and other_program.pk


@pytest.mark.django_db
def test_a_record_number_is_found_whole(world: World, client_for) -> None:
    enrollment = enroll(world, first="Ruth", last="Okafor")
    enrollment.client.record_number = "WM-1042"
    enrollment.client.save(update_fields=["record_number"])
    assert titles(client_for, world.supervisor, "wm-1042", "Client") == ["Ruth Okafor"]
    assert titles(client_for, world.supervisor, "wm-10", "Client") == []


@pytest.mark.django_db
def test_employers_rank_exact_then_starts_then_word_start_then_anywhere(world: World, client_for) -> None:
    for name in ("Redcedar Farms", "Red Cedar Diner", "Cedar Street Bakery", "Cedar"):
        employer(world, name=name)
    employer(world, program="p2", name="Cedar Harbor Foods", actor="other_agency_specialist")
    answer = found(client_for, world.specialist, "cedar")
    employers = [(r.title, r.rank) for r in answer.results if r.kind == "Employer"]
    assert employers == [
        ("Cedar", EXACT),
        ("Cedar Street Bakery", STARTS),
        ("Red Cedar Diner", WORD_STARTS),
        ("Redcedar Farms", CONTAINS),
    ]
    result = next(r for r in answer.results if r.title == "Cedar Street Bakery")
    assert result.url.startswith("/employers/") and "Program P1" in result.detail
    # Across kinds, the best matches come first.
    assert [r.rank for r in answer.results] == sorted(r.rank for r in answer.results)
    assert titles(client_for, world.other_agency_specialist, "cedar", "Employer") == ["Cedar Harbor Foods"]
    assert titles(client_for, world.other_state_lead, "bakery") == []


@pytest.mark.django_db
def test_programs_organizations_and_people(world: World, client_for) -> None:
    answer = found(client_for, world.specialist, "summit")
    assert ("Organization", "A Summit Employment") in [(r.kind, r.title) for r in answer.results]
    assert [r.title for r in found(client_for, world.supervisor, "specialist tes").results] == ["Specialist Tester"]
    assert titles(client_for, world.state_lead, "p2", "Program") == ["Program P2"]
    assert titles(client_for, world.other_state_director, "summit") == []


@pytest.mark.django_db
def test_responsibilities_of_the_persons_programs(world: World, client_for) -> None:
    p1 = world.programs["p1"]
    impl_services.program_setup_sync(p1)
    assignment = Assignment.objects.filter(program=p1).select_related("responsibility").order_by("pk").first()
    assert assignment is not None
    words = assignment.responsibility.text.split()[:4]
    term = " ".join(words)
    results = [r for r in found(client_for, world.director, term).results if r.kind == "Responsibility"]
    assert reverse("implementation:assignment", args=[assignment.pk]) in [r.url for r in results]
    assert all("Program P1" in r.detail or "Program P2" not in r.detail for r in results)
    duties = [(r.title, r.detail.split(" · ")[0]) for r in results]
    assert len(duties) == len(set(duties))  # one row per program and duty, whatever its periods
    for outsider in OUTSIDERS:
        assert "Program P1" not in " ".join(
            r.detail for r in found(client_for, world.people[outsider], term).results if r.kind == "Responsibility"
        )


@pytest.mark.django_db
def test_meeting_series_and_meetings(world: World, client_for) -> None:
    unit = series(world, MeetingKind.IPS_UNIT)
    held = meeting(world, unit, datetime.date.today() - datetime.timedelta(days=7), attendees=("specialist",))
    held.agenda = "Job leads at the Quillby hardware store"
    held.save(update_fields=["agenda"])
    meeting(world, unit, datetime.date.today() + datetime.timedelta(days=7))
    answer = found(client_for, world.specialist, "ips unit")
    [found_series] = [r for r in answer.results if r.kind == "Meeting series"]
    assert found_series.url == reverse("collaboration:series_detail", args=[unit.pk])
    assert "next meeting" in found_series.detail
    [found_meeting] = [r for r in found(client_for, world.specialist, "quillby").results if r.kind == "Meeting"]
    assert found_meeting.url == reverse("collaboration:meeting_detail", args=[held.pk])
    for outsider in OUTSIDERS:
        assert titles(client_for, world.people[outsider], "quillby") == []
        assert unit.title not in titles(client_for, world.people[outsider], "ips unit")


@pytest.mark.django_db
def test_library_resources_of_the_persons_state(world: World, client_for) -> None:
    impl_services.resource_create(
        actor=world.state_lead,
        organization=world.orgs["team_a"],
        title="Job development checklist",
        kind="link",
        stage_key="ST01",
        link="https://example.org/checklist",
    )
    upload = Resource(organization=world.orgs["team_a"], title="Job development field guide", kind="document")
    upload.stage_key = "ST01"
    upload.file.save("guide.txt", ContentFile(b"Guide"), save=False)
    upload.save()
    answer = {r.title: r for r in found(client_for, world.specialist, "job development").results}
    assert answer["Job development checklist"].url == "https://example.org/checklist"
    program_file = reverse("implementation:program_resource", args=[world.programs["p1"].pk, upload.pk])
    assert answer["Job development field guide"].url == program_file
    lead = {r.title: r for r in found(client_for, world.state_lead, "field guide").results}
    assert lead["Job development field guide"].url == reverse("implementation:resource_file", args=[upload.pk])
    assert titles(client_for, world.other_state_lead, "job development", "Library resource") == []


@pytest.mark.django_db
def test_other_agencies_and_states_find_nothing_of_program_p1(world: World, client_for) -> None:
    enroll(world, first="Zorvyn", last="Quillfeather")
    employer(world, name="Quillfeather Hardware")
    for outsider in OUTSIDERS:
        assert titles(client_for, world.people[outsider], "quillfeather") == [], outsider
    assert set(titles(client_for, world.supervisor, "quillfeather")) == {"Zorvyn Quillfeather", "Quillfeather Hardware"}


@pytest.mark.django_db
def test_odd_input_is_answered_plainly(world: World, client_for) -> None:
    enroll(world, first="Ann", last="O'Neil")
    assert titles(client_for, world.supervisor, "o'neil", "Client") == ["Ann O'Neil"]
    for q in ("%%", "__", "a" * 300, "   fi   ", "\\", "<script>"):
        response = client_for(world.supervisor).post(reverse("search"), {"q": q}, follow=True)
        assert response.status_code == 200, q
    assert client_for(world.supervisor).get(reverse("search") + "?s=nonsense").status_code == 200


def _fill(world: World, n: int) -> None:
    for k in range(n):
        enroll(world, first=f"Harlow{n}x{k}", last="Brightwater")
        employer(world, name=f"Brightwater Shop {n}x{k}")
    unit = series(world, MeetingKind.IPS_UNIT)
    unit.title = f"Brightwater unit meeting {n}"
    unit.save(update_fields=["title"])
    for k in range(n):
        meeting(world, unit, datetime.date.today() - datetime.timedelta(days=7 * (k + 1)), start=(9, 0))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["specialist", "supervisor", "state_lead", "counselor"])
def test_a_search_runs_a_fixed_number_of_queries(world: World, client_for, who: str) -> None:
    impl_services.program_setup_sync(world.programs["p1"])
    c = client_for(world.people[who])
    location = c.post(reverse("search"), {"q": "brightwater"})["Location"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(location).status_code == 200
        return len(captured)

    _fill(world, 2)
    small = queries()
    _fill(world, 25)
    assert queries() == small, small


def test_the_search_term_never_reaches_a_url(world: World, client_for) -> None:
    client = client_for(world.people["director"])
    response = client.post(reverse("search"), {"q": "Program P1"})
    assert response.status_code == 302
    location = response["Location"]
    assert "Program" not in location and "P1" not in location and "?s=" in location
    page = client.get(location).content.decode()
    assert "Program P1" in page  # the term is remembered in the session, behind the key
    assert client.get(reverse("search") + "?q=Program+P1").content.decode().count("Program P1") == 0
    stranger = client_for(world.people["other_state_lead"])
    assert "Program P1" not in stranger.get(location).content.decode()  # a key means nothing in another session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_slash_jumps_to_search_from_the_keyboard(ui) -> None:
    build_world()
    page = ui.sign_in("state_lead", PASSWORD)
    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.keyboard.type("harbor")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ui.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("link", name="A Harbor Behavioral Health")).to_be_visible()


@pytest.mark.django_db
def test_the_benchmarks_searches_find_what_they_search_for() -> None:
    """`ipshub bench` measures the search pages with the term preset in the session (lib/searches.py)."""
    from django.test import Client

    from ipshub.demo.bench_pages import bench_pages
    from ipshub.demo.scale import SCALES, generate
    from ipshub.tenancy.models import Person

    generate(SCALES["county"], progress=lambda _: None)
    searches = [page for page in bench_pages() if page.name.startswith("search")]
    assert {page.name for page in searches} >= {"search a client (specialist)", "search a program (state team)"}
    for page in searches:
        client = Client()
        client.force_login(Person.objects.get(username=page.username))
        session = client.session
        session.update(page.session)
        session.save()
        response = client.get(page.path)
        assert response.status_code == 200 and response.context["found"].results, page.name


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_specialist_finds_a_client_and_an_employer_at_desk_and_phone_width(browser, live_server) -> None:
    from tests.browsing import CheckedPage

    world = build_world()
    enroll(world, first="Lena", last="Fischer")
    enroll(world, first="Ana", last="Fischbach")
    employer(world, name="Cedar Street Bakery")
    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        ui = CheckedPage(context.new_page(), live_server.url)
        page = ui.sign_in("specialist", PASSWORD)
        if width < 1024:
            page.get_by_role("button", name="Menu").click()  # on a phone the search box is in the menu
        page.locator("#site-search").fill("fischer")
        with page.expect_navigation():
            page.locator("#site-search").press("Enter")
        ui.checked()
        assert "fischer" not in page.url.lower()
        _no_sideways_scroll(page)
        results = page.locator("[data-search-results] a")
        expect(results.first).to_have_accessible_name("Lena Fischer")  # the exact name first
        expect(results.first).to_have_accessible_description(re.compile(r"^Client Program P1"))
        # From the keyboard: down from the box to the first result, End and Home, up back to the box.
        page.locator("#search-page-q").focus()
        page.keyboard.press("ArrowDown")
        expect(results.first).to_be_focused()
        page.keyboard.press("End")
        expect(results.last).to_be_focused()
        page.keyboard.press("Home")
        expect(results.first).to_be_focused()
        page.keyboard.press("ArrowUp")
        expect(page.locator("#search-page-q")).to_be_focused()
        results.first.click()
        ui.checked()
        expect(page.get_by_role("heading", level=1)).to_have_text("Lena Fischer")
        page.go_back()
        page.locator("#search-page-q").fill("bakery")
        with page.expect_navigation():
            page.locator("#search-page-q").press("Enter")
        ui.checked()
        _no_sideways_scroll(page)
        bakery = page.get_by_role("link", name="Cedar Street Bakery")
        expect(bakery).to_have_accessible_description(re.compile(r"^Employer"))
        bakery.click()
        ui.checked()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cedar Street Bakery")
        context.close()
