"""The state dashboard's cache: a change of any kind shows at once, other states' entries stay, the "<11"
rule and the access checks hold on every request, and a cached hit runs a fixed, small number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.areakit.hooks import Hooks
from ipshub.areakit.records import ClientHistory, Span
from ipshub.lib.cache import prepare_cache
from ipshub.outcomes import cache as dashboard_cache
from ipshub.outcomes import services, sources
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.models import GoalMetric, QuarterlyReport
from ipshub.tenancy import services as tenancy_services
from ipshub.tenancy.models import Phase, Program
from tests.area_hooks import CLIENTS, with_hooks
from tests.world import World

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:dashboard") + "?end=2025-Q2&quarters=4"
# A cached hit: the session with its person and their seats (one query, accounts/sessions.py), the viewer's
# states (the access check), and one cache read (the state's version and the entry together).
HIT_QUERIES = 3


def get(client, url: str = URL) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The sign-out form's CSRF token is masked afresh on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()), len(queries)


def draft(world: World, program: Program, quarter: int, served: int, worked: int) -> QuarterlyReport:
    actor = world.admin if program.state_id == world.state_a.pk else world.other_state_admin
    return services.report_save(
        actor=actor,
        program=program,
        year=2025,
        quarter=quarter,
        definition_code=DEFAULT_CODE,
        figures={"served": served, "worked": worked},
    )


def accepted(world: World, program: Program, quarter: int, served: int, worked: int) -> QuarterlyReport:
    actor = world.admin if program.state_id == world.state_a.pk else world.other_state_admin
    report = services.report_submit(actor=actor, report=draft(world, program, quarter, served, worked))
    return services.report_accept(actor=actor, report=report)


def test_a_second_view_is_served_from_the_cache_in_a_fixed_number_of_queries(world, client_for) -> None:
    client = client_for(world.state_lead)
    accepted(world, world.programs["p1"], 1, 40, 20)
    first, missed = get(client)
    again, hit = get(client)
    assert again == first and "50.0%" in again
    assert hit == HIT_QUERIES < missed
    # The same at a larger size: more programs and reports change neither the page's cost nor the hit's.
    for i in range(12):
        program = Program.objects.create(
            state=world.state_a,
            name=f"Extra {i:02d}",
            mh_agency=world.orgs["mh2"],
            phase=Phase.ONGOING,
            phase_since=datetime.date(2015, 1, 1),
        )
        accepted(world, program, 1, 30, 12)
        accepted(world, program, 2, 30, 15)
    page, missed_large = get(client)
    assert "Extra 11" in page and missed_large == missed
    assert get(client) == (page, HIT_QUERIES)


def test_each_step_of_a_report_shows_at_once(world, client_for) -> None:
    client = client_for(world.state_lead)
    p1 = world.programs["p1"]
    get(client)
    report = draft(world, p1, 2, 40, 30)
    page, _ = get(client)
    assert "a draft is saved" in page and "Waiting for review" not in page
    services.report_submit(actor=world.state_lead, report=report)
    page, _ = get(client)
    assert "Waiting for review" in page and "Program P1, 2025 Q2" in page
    services.report_return(actor=world.state_lead, report=report, comment="Check worked.")
    page, _ = get(client)
    assert "Waiting for review" not in page and "Returned" in page
    services.report_update(actor=world.state_lead, report=report, figures={"served": 40, "worked": 12})
    services.report_submit(actor=world.state_lead, report=report)
    get(client)
    services.report_accept(actor=world.state_lead, report=report)
    page, _ = get(client)
    assert "Waiting for review" not in page and "30.0%" in page and "<td>12</td>" in page
    correction = services.report_correct(
        actor=world.state_lead, report=report, reason="Recount", figures={"served": 40, "worked": 20}
    )
    services.report_submit(actor=world.state_lead, report=correction)
    services.report_accept(actor=world.state_lead, report=correction)
    page, _ = get(client)
    assert "50.0%" in page and "30.0%" not in page


def test_an_upload_shows_at_once(world, client_for) -> None:
    client = client_for(world.state_lead)
    before, _ = get(client)
    assert "a draft is saved" not in before
    upload = services.upload_check(
        actor=world.supervisor,
        program=world.programs["p1"],
        filename="q.csv",
        content=b"year,quarter,served,worked\n2025,2,42,18\n",
    )
    assert get(client) == (before, HIT_QUERIES)  # checking a file changes nothing yet
    services.upload_commit(actor=world.supervisor, upload=upload, only_good_rows=False)
    page, queries = get(client)
    assert "a draft is saved" in page and queries > HIT_QUERIES


def test_a_recompute_replaces_the_cached_board(world, client_for) -> None:
    """`recompute_all` writes with one raw UPDATE (no signals): it bumps the states of its programs itself."""
    client = client_for(world.state_lead)
    p1 = world.programs["p1"]
    histories = {p1.pk: [ClientHistory(1, (Span(datetime.date(2024, 1, 1)),))]}

    def loader(program_ids, first, last):  # type: ignore[no-untyped-def]
        return histories

    with with_hooks(Hooks(history_loader=loader), without=(CLIENTS,)):
        services.report_compute(actor=world.supervisor, program=p1, year=2025, quarter=2, definition_code=DEFAULT_CODE)
        get(client)
        other = client_for(world.other_state_lead)
        get(other)
        assert get(client)[1] == HIT_QUERIES
        histories[p1.pk].append(ClientHistory(2, (Span(datetime.date(2024, 1, 1)),)))
        assert sources.recompute_all(loader) == 1
    assert get(client)[1] > HIT_QUERIES  # rendered afresh
    assert get(other)[1] == HIT_QUERIES  # the other state's entry was kept


def test_benchmarks_goals_and_programs_show_at_once(world, client_for) -> None:
    client = client_for(world.state_lead)
    p1 = world.programs["p1"]
    accepted(world, p1, 1, 40, 20)
    page, _ = get(client)
    assert "minimal 31%" in page.replace("\n", " ").replace("  ", "")

    services.benchmarks_set(
        actor=world.state_lead,
        state=world.state_a,
        definition_code=DEFAULT_CODE,
        minimal=Decimal(25),
        average=Decimal(40),
        excellent=Decimal(55),
    )
    page, _ = get(client)
    assert "minimal 25.0%" in page and "excellent 55.0%" in page and "minimal 31" not in page

    services.goal_set(
        actor=world.state_lead,
        program=p1,
        year=2025,
        quarter=0,
        metric=GoalMetric.EMPLOYMENT_RATE,
        target=Decimal(47),
    )
    page, _ = get(client)
    assert "Goal 47" in page
    goal = p1.outcome_goals.get()
    services.goal_delete(actor=world.state_lead, goal=goal)
    assert "Goal 47" not in get(client)[0]

    tenancy_services.program_update(
        actor=world.state_lead,
        program=p1,
        name="Riverside IPS",
        mh_agency=p1.mh_agency,
        employment_provider=p1.employment_provider,
        dvr_offices=list(p1.dvr_offices.all()),
        trainer=p1.trainer,
        region="Lakes",
        funding_source="Medicaid waiver",
    )
    page, _ = get(client)
    assert "Riverside IPS" in page and "Program P1" not in page
    assert "Region: Lakes" in page and "Funding: Medicaid waiver" in page
    assert "<caption>Lakes</caption>" in page  # the region groups follow too
    assert "Prior to implementation · Region: Lakes" in page

    tenancy_services.program_change_phase(
        actor=world.state_lead,
        program=p1,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=datetime.date.today(),
        reason="Started",
        is_override=True,
    )
    page, _ = get(client)
    assert "Implementation · Region: Lakes" in page and "Prior to implementation · Region: Lakes" not in page


def test_a_program_moved_to_another_state_leaves_both_boards(world, client_for) -> None:
    lead, other_lead = client_for(world.state_lead), client_for(world.other_state_lead)
    assert "Program P2" in get(lead)[0] and "Program P2" not in get(other_lead)[0]
    p2 = Program.objects.get(pk=world.programs["p2"].pk)
    p2.state = world.state_b
    p2.save(update_fields=["state"])
    assert "Program P2" not in get(lead)[0]
    assert "Program P2" in get(other_lead)[0]


def test_another_states_change_keeps_this_states_entry(world, client_for) -> None:
    client, other = client_for(world.state_lead), client_for(world.other_state_lead)
    accepted(world, world.programs["p1"], 1, 40, 20)
    page, _ = get(client)
    version = cache.get(dashboard_cache.version_key(world.state_a.pk))
    get(other)
    accepted(world, world.programs["pb"], 1, 30, 3)
    services.benchmarks_set(
        actor=world.other_state_lead,
        state=world.state_b,
        definition_code=DEFAULT_CODE,
        minimal=Decimal(20),
        average=Decimal(30),
        excellent=Decimal(40),
    )
    assert get(client) == (page, HIT_QUERIES)
    assert cache.get(dashboard_cache.version_key(world.state_a.pk)) == version
    other_page, queries = get(other)
    assert queries > HIT_QUERIES and "10.0%" in other_page and "Program P1" not in other_page


@pytest.mark.parametrize("first", ["state_lead", "trainer"])
def test_exact_figures_and_small_counts_are_cached_apart(world, client_for, first) -> None:
    """Whoever opens the page first, the lead sees exact figures and the trainer "<11", never each other's."""
    accepted(world, world.programs["p1"], 1, 40, 8)
    second = "trainer" if first == "state_lead" else "state_lead"
    pages = {}
    for name in (first, second, first, second):
        pages.setdefault(name, []).append(get(client_for(getattr(world, name)))[0])
    for page, again in pages.values():
        assert page == again
    lead, trainer = pages["state_lead"][0], pages["trainer"][0]
    assert "<td>8</td>" in lead and "20.0%" in lead and "ipshub-dot" in lead
    assert "<td>&lt;11</td>" in trainer and "<td>8</td>" not in trainer and "20.0%" not in trainer
    assert "ipshub-dot" not in trainer


def test_access_is_checked_on_every_request(world, client_for) -> None:
    """The cache holds renderings, not decisions: another state's lead asking for state A gets their own
    state, and someone without the state dashboard gets their program list, however warm the cache is."""
    get(client_for(world.state_lead), URL + f"&state={world.state_a.pk}")
    other, _ = get(client_for(world.other_state_lead), URL + f"&state={world.state_a.pk}")
    assert "State B" in other and "Program P1" not in other
    specialist, _ = get(client_for(world.specialist), URL + f"&state={world.state_a.pk}")
    assert "Quarterly outcomes: State A" not in specialist


def test_the_window_grouping_and_page_are_part_of_the_key(world, client_for) -> None:
    client = client_for(world.state_lead)
    accepted(world, world.programs["p1"], 1, 40, 20)
    by_region, _ = get(client)
    by_funding, queries = get(client, URL + "&group=funding_source")
    assert by_region != by_funding and queries > HIT_QUERIES
    assert "By funding source" in by_funding and "By region" in by_region
    earlier, _ = get(client, reverse("outcomes:dashboard") + "?end=2024-Q4&quarters=4")
    assert "2025 Q1" not in earlier and "2025 Q1" in by_region
    # Bad values fall back to the defaults instead of making new entries.
    assert get(client, URL + "&group=nonsense&page=x&end=99999-Q1")[1] > 0


def test_the_cache_table_is_made_by_migrate_and_emptied(world) -> None:
    cache.set("ipshub-test", "kept")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE ipshub_cache")
    assert "ipshub_cache" not in connection.introspection.table_names()
    prepare_cache(sender=None, using="default", verbosity=0)
    assert "ipshub_cache" in connection.introspection.table_names()
    cache.set("ipshub-test", "again")
    assert cache.get("ipshub-test") == "again"
    prepare_cache(sender=None, using="default", verbosity=0)
    assert cache.get("ipshub-test") is None


def test_the_cached_board_is_kept_per_language(world, client_for) -> None:
    """The board names its metric definition, translated as data: a Spanish reader never gets the English entry."""
    from django.utils import translation

    client = client_for(world.state_lead)
    accepted(world, world.programs["p1"], 1, 40, 20)
    english, _ = get(client)
    with translation.override("es"):  # and the browser's language, for the language middleware
        spanish = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Quarterly employment rate (worked ÷ served) (v1)" in english
    assert "Tasa trimestral de empleo (trabajaron ÷ atendidos) (v1)" in spanish
