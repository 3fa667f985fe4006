"""The supervisor dashboard and its drill-down per specialist: the figures, each blank one explained, the
quarters, the exports, a fixed number of queries, and nobody outside the program."""

import csv
import datetime
import io
import logging
import re

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.clients import services, supervision
from ipshub.clients.models import Enrollment, Status
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.clients.test_weeks import SUNDAY, at
from tests.world import World

pytestmark = pytest.mark.django_db

D = datetime.date
NOON = at(SUNDAY, 12)  # Sunday Dec 6, 2026: the default period is Sep 7 to Dec 6 (13 weeks, the last in progress)


def _dashboard(world: World) -> str:
    return reverse("clients:dashboard", kwargs={"program_id": world.programs["p1"].pk})


def _drill_down(world: World, who: str = "specialist") -> str:
    return reverse(
        "clients:dashboard_specialist",
        kwargs={"program_id": world.programs["p1"].pk, "specialist_id": world.people[who].pk},
    )


def _contacts(world: World, days: list[D], *, face_to_face: bool = True, enrollment=None) -> None:
    bakery = employer(world, name=f"Bakery {days[0]} {face_to_face} {enrollment}")
    for on in days:
        services.employer_contact_log(
            actor=world.specialist,
            program=world.programs["p1"],
            employer=bakery,
            enrollment=enrollment,
            contacted_on=on,
            face_to_face=face_to_face,
            purpose="client" if enrollment else "learn",
        )


def _story(world: World) -> dict[str, object]:
    """A specialist's period, in numbers a supervisor can check by hand."""
    long_ago = enroll(world, first="Avery", referred=200)
    start_job(world.specialist, long_ago, employer(world), started=120)  # day 90 was Nov 6: held
    recent = enroll(world, first="Blake", referred=40)
    _contacts(world, [days_ago(30)], enrollment=recent)  # first contact 10 days after referral
    start_job(world.specialist, recent, employer(world, name="Summit Print"), started=10)
    enroll(world, first="Casey", referred=20)  # referred, no employer contact yet
    services.education_add(
        actor=world.specialist, enrollment=recent, course="Forklift", institution="Tech", started_on=days_ago(15)
    )
    _contacts(world, [D(2026, 11, 23) + datetime.timedelta(days=k % 5) for k in range(6)])  # one week at 6
    _contacts(world, [D(2026, 11, 30), D(2026, 12, 1)])  # this week so far: 2 (plus the phone call below)
    _contacts(world, [D(2026, 12, 2)], face_to_face=False)
    enroll(world, first="Dana", referred=5, specialist=None, supervisor=None)  # not yet assigned
    return {"names": ["Avery", "Blake", "Casey", "Dana"]}


def test_the_drill_down_shows_a_specialists_figures(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        _story(world)
        response = client_for(world.supervisor).get(_drill_down(world))
    board = response.context["board"]
    m = board.figures
    assert board.period.start == D(2026, 9, 7) and board.period.end == SUNDAY and board.period.in_progress
    assert (m.caseload, m.working, m.in_education, m.job_starts, m.job_endings, m.closures) == (3, 2, 1, 1, 0, 0)
    assert (m.referred, m.first_contact_n, m.median_first_contact) == (2, 1, 10)
    assert (m.eligible_90, m.retained_90, m.retention_pct) == (1, 1, 100)
    # Face to face: 6 in the week of Nov 23 and one for Blake on Nov 6; 12 whole weeks, this week apart.
    assert (m.whole_weeks, m.weeks_met, m.this_week.face_to_face, m.f2f_contacts) == (12, 1, 2, 9)
    assert m.f2f_per_week == round(7 / 12, 1) and m.meets_contact_standard is False
    assert [w.face_to_face for w in board.history.weeks][-3:] == [0, 6, 2]
    assert board.open_today == 3 and sum(n for *_, n in board.status_mix) == 3
    mix = {label: n for _, label, n in board.status_mix}
    assert list(mix) == [s.label for s in Status if s != Status.CLOSED]
    assert mix[Status(Enrollment.objects.filter(specialist=world.specialist).first().status).label] == 3
    assert board.working_today == 2
    labels = ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026 (to Dec 6)"]
    assert [q.period.label for q in board.quarters] == labels
    assert [q.job_starts for q in board.quarters] == [0, 0, 0, 1, 1]  # Avery's job started Aug 8
    page = response.content.decode()
    assert "10 days" in page and "(1 client)" in page and "1 of 12 weeks reached 6" not in page
    assert "See the caseload" in page  # the supervisor may list the caseload itself
    assert not any(name in page for name in ("Avery", "Blake", "Casey"))  # figures only: no client is named


def test_every_blank_figure_says_why(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        _story(world)
        c = client_for(world.supervisor)
        # A quarter before anything happened: nothing open, nobody referred, no job reached day 90.
        quiet = c.get(_drill_down(world), {"start": "2025-01-06", "end": "2025-03-30"})
        # This week only: no whole week yet.
        short = c.get(_drill_down(world), {"start": "2026-12-01", "end": "2026-12-06"})
    m = quiet.context["board"].figures
    assert (m.pct_working, m.median_first_contact, m.retention_pct) == (None, None, None)
    assert m.caseload_note == "no open caseload"
    assert m.first_contact_note == "no referral in the period"
    assert m.retention_note == "no job reached day 90 in the period"
    page = quiet.content.decode()
    for note in ("no open caseload", "no referral in the period", "no job reached day 90 in the period"):
        assert note in page
    main = page[page.index("<main") : page.index("</main>")]
    assert "—" not in re.sub(r'<span class="clients-blank"><span aria-hidden="true">—</span> [^<]+</span>', "", main)
    m = short.context["board"].figures
    assert m.f2f_per_week is None and m.contacts_note == "no whole week (Monday to Sunday) in the period"
    assert m.retention_note == "no job in the period has reached day 90 yet"
    assert m.referred == 0 and m.first_contact_note == "no referral in the period"  # Dana is not theirs
    assert "no whole week (Monday to Sunday) in the period" in short.content.decode()


def test_the_dashboard_explains_its_blanks_and_never_flags_the_clients_not_yet_assigned(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        _story(world)
        response = client_for(world.supervisor).get(_dashboard(world))
    board = response.context["board"]
    unassigned = next(r for r in board.rows if r.is_unassigned)
    assert board.rows[-1] is unassigned and unassigned.caseload == 1
    assert unassigned.f2f_per_week is None and unassigned.meets_contact_standard is None
    assert unassigned.first_contact_note == "none of the 1 referred has had one yet"
    page = response.content.decode()
    unassigned_row = next(r for r in page.split("<tr") if "Not yet assigned" in r)
    assert "Below 6" not in unassigned_row and "Over 20" not in unassigned_row
    assert "no specialist yet" in unassigned_row and "none of the 1 referred has had one yet" in unassigned_row
    specialist_row = next(r for r in page.split("<tr") if "Specialist Tester" in r)
    assert "Below 6" in specialist_row and "1 of 12 weeks reached 6" in specialist_row
    assert "This week so far: 2 of 6" in specialist_row
    assert _drill_down(world) in specialist_row
    unit = board.unit
    assert unit.is_unit and unit.specialists == 1 and unit.caseload == 4 and unit.f2f_per_week == round(7 / 12, 1)
    assert unit.weeks_met is None and unit.weeks_met_note == "per specialist only"
    # Quarter by quarter for the unit: this quarter against the four before.
    assert [q.period.label for q in board.quarters][-1] == "Q4 2026 (to Dec 6)"
    assert "Quarter by quarter" in page and "Q4 2025" in page


def test_quarters_are_calendar_quarters_and_this_one_ends_today() -> None:
    today = D(2026, 12, 6)
    assert supervision.quarter_of(D(2026, 12, 31), D(2027, 2, 1)) == supervision.Period(
        D(2026, 10, 1), D(2026, 12, 31), "Q4 2026"
    )
    assert supervision.quarter_of(D(2027, 1, 1), today).label == "Q1 2027"
    current = supervision.quarter_of(today, today)
    assert (current.start, current.end, current.in_progress) == (D(2026, 10, 1), today, True)
    five = supervision.quarters_ending(D(2026, 2, 10), today)
    assert [q.label for q in five] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026"]
    assert supervision.default_start(today) == D(2026, 9, 7) and supervision.default_start(D(2026, 12, 9)) == D(
        2026, 9, 14
    )


def test_the_period_asked_for_is_checked_in_plain_words(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        c = client_for(world.supervisor)
        later = c.get(_dashboard(world), {"end": "2027-01-01"})
        backwards = c.get(_dashboard(world), {"start": "2026-12-01", "end": "2026-11-01"})
        nonsense = c.get(_drill_down(world), {"start": "soon"})
        ancient = c.get(_drill_down(world), {"start": "0001-01-01", "end": "0001-01-02"})
        decade = c.get(_dashboard(world), {"start": "2010-01-04"})
    assert {r.status_code for r in (later, backwards, nonsense, ancient, decade)} == {200}
    assert later.context["board"].period.end == SUNDAY
    assert "The end can&#x27;t be after today." in later.content.decode()
    assert "Showing Sep 7, 2026 to Dec 6, 2026 instead." in later.content.decode()
    assert backwards.context["board"].period.start == D(2026, 8, 3)
    assert "The start can&#x27;t be after the end." in backwards.content.decode()
    assert "The start “soon” is not a date: use YYYY-MM-DD." in nonsense.content.decode()
    assert ancient.context["board"].period.start == D(2026, 9, 7) and ancient.context["board"].period.end == SUNDAY
    assert "The start can&#x27;t be before 2000." in ancient.content.decode()
    assert decade.context["board"].period.start == D(2023, 12, 1)
    assert "A period is at most 3 years long. Showing Dec 1, 2023 to Dec 6, 2026 instead." in " ".join(
        decade.content.decode().split()
    )


def test_the_exports_hold_aggregate_figures_only(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        story = _story(world)
        c = client_for(world.supervisor)
        specialists = c.get(_dashboard(world), {"format": "csv"})
        by_week = c.get(_dashboard(world), {"format": "csv", "table": "weeks"})
        quarters = c.get(_dashboard(world), {"format": "csv", "table": "quarters"})
        workbook = c.get(_dashboard(world), {"format": "xlsx"})
    assert specialists["Content-Type"].startswith("text/csv")
    assert "ips-dashboard-program-p1-2026-09-07-to-2026-12-06-specialists.csv" in specialists["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(specialists.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Specialist", "Period start", "Period end", "Open caseload at end"]
    assert [r[0] for r in body] == ["Specialist Tester", "Not yet assigned", "Whole unit"]
    tester = dict(zip(header, body[0], strict=True))
    assert tester["Open caseload at end"] == "3" and tester["Job starts"] == "1"
    assert tester["Whole weeks with 6 or more"] == "1" and tester["This week so far (face to face)"] == "2"
    unassigned = dict(zip(header, body[1], strict=True))
    assert (
        unassigned["Face-to-face employer contacts"] == ""
        and "employer contacts: no specialist yet" in (unassigned["Blank figures explained"])
    )
    weeks = list(csv.reader(io.StringIO(by_week.content.decode())))
    assert len(weeks) == 1 + 13 and weeks[-1][-1] == "In progress" and weeks[-2][3] == "6"
    assert len(list(csv.reader(io.StringIO(quarters.content.decode())))) == 1 + 5
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames == ["Specialists", "Weeks", "Quarters"]
    everything = specialists.content + by_week.content + quarters.content
    for name in story["names"]:  # type: ignore[attr-defined]
        assert name.encode() not in everything
    cells = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    assert not any(name in cells for name in story["names"])  # type: ignore[attr-defined]


def _fill(world: World, n: int) -> None:
    bakery = employer(world, name=f"Bakery {n}")
    for k in range(n):
        assigned = k % 3 != 0
        e = enroll(
            world,
            referred=200,
            specialist="specialist" if assigned else None,
            supervisor="supervisor" if assigned else None,
        )
        if k % 3:
            job = start_job(world.specialist, e, bakery, started=100 + k)
            services.job_end(actor=world.specialist, job=job, ended_on=days_ago(3), end_reason="quit")
            services.employer_contact_log(
                actor=world.specialist,
                program=world.programs["p1"],
                employer=bakery,
                enrollment=e,
                contacted_on=days_ago(k % 40),
                purpose="client",
            )
            services.education_add(
                actor=world.specialist, enrollment=e, course="GED", institution="College", started_on=days_ago(9)
            )
        if k % 5 == 0 and k % 3:
            services.enrollment_close(actor=world.supervisor, enrollment=e, on=days_ago(1), reason="moved")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_and_the_drill_down_run_a_fixed_number_of_queries(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        c = client_for(world.supervisor)
        urls = [_dashboard(world), _drill_down(world), _dashboard(world) + "?format=xlsx"]
        _fill(world, 3)
        small = [_queries(c, url) for url in urls]
        _fill(world, 30)
        large = [_queries(c, url) for url in urls]
    assert small == large


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisor", 200),
        ("specialist", 200),
        ("director", 200),
        ("state_lead", 200),
        ("trainer", 200),
        ("other_agency_director", 404),
        ("other_agency_specialist", 404),
        ("other_state_lead", 404),
        ("other_state_director", 404),
        ("other_state_admin", 404),
    ],
)
def test_the_drill_down_follows_the_dashboards_rule(world, client_for, who: str, status: int) -> None:
    with time_machine.travel(NOON, tick=False):
        response = client_for(world.people[who]).get(_drill_down(world))
    assert response.status_code == status


def test_only_the_programs_own_specialists_can_be_drilled_into(world, client_for) -> None:
    with time_machine.travel(NOON, tick=False):
        c = client_for(world.supervisor)
        assert c.get(_drill_down(world, "supervisor")).status_code == 200  # the supervisor of the unit
        for outsider in ("other_agency_specialist", "case_manager", "counselor", "state_lead"):
            assert c.get(_drill_down(world, outsider)).status_code == 404
        missing = reverse(
            "clients:dashboard_specialist", kwargs={"program_id": world.programs["p1"].pk, "specialist_id": 999999}
        )
        assert c.get(missing).status_code == 404


def test_the_pages_define_every_variable_they_read(world, client_for, caplog) -> None:
    """An undefined template variable makes Django log the page's context at DEBUG: client data in the logs."""
    with time_machine.travel(NOON, tick=False), caplog.at_level(logging.DEBUG, logger="django.template"):
        _story(world)
        for who in ("specialist", "supervisor"):
            c = client_for(world.people[who])
            for url in (
                reverse("home"),
                reverse("clients:caseload"),
                reverse("clients:contact_log"),
                _dashboard(world),
                _drill_down(world),
                _drill_down(world) + "?start=2026-12-01",
            ):
                assert c.get(url).status_code == 200
    unresolved = [r.getMessage() for r in caplog.records if "while resolving variable" in r.getMessage()]
    assert not unresolved, unresolved
