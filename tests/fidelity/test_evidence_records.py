"""Fidelity evidence from hand-built client records: each indicator's value and score computed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.clients import services as clients
from ipshub.clients.models import Employer, Enrollment
from ipshub.fidelity import evidence_records as er
from ipshub.fidelity.scales import current_scale
from tests.clients import factories as cf
from tests.fidelity import factories
from tests.world import World

pytestmark = pytest.mark.django_db
D = datetime.date
FIRST, LAST = D(2025, 1, 1), D(2025, 3, 31)  # 90 days: 12.86 weeks


def _enroll(world: World, referred: datetime.date, *, assign: bool = True) -> Enrollment:
    enrollment = clients.referral_create(
        actor=world.case_manager,
        program=world.programs["p1"],
        first_name="Client",
        last_name=f"Referred {referred}",
        birth_date=D(1990, 5, 17),
        referral_date=referred,
        referral_source="case_manager",
    )
    if assign:
        clients.enrollment_assign(actor=world.supervisor, enrollment=enrollment, specialist=world.specialist)
    return enrollment


def _job(world: World, enrollment: Enrollment, employer: Employer, job_type: str, started: datetime.date, **kw) -> None:
    clients.job_start(
        actor=world.specialist,
        enrollment=enrollment,
        employer=employer,
        title="Job",
        job_type=job_type,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("16.50"),
        started_on=started,
        **kw,
    )


def _contact(world: World, on: datetime.date, employer: Employer, enrollment=None, face_to_face=True) -> None:
    clients.employer_contact_log(
        actor=world.specialist,
        program=world.programs["p1"],
        contacted_on=on,
        purpose="client" if enrollment else "learn",
        employer=employer,
        enrollment=enrollment,
        face_to_face=face_to_face,
    )


def _supports(world: World, enrollment: Enrollment, *dates: datetime.date) -> None:
    for on in dates:
        clients.support_contact_log(
            actor=world.specialist, enrollment=enrollment, contacted_on=on, kind="in_person", setting="community"
        )


@pytest.fixture
def records(world: World) -> dict[str, Enrollment]:
    """Program P1 around 2025 Q1 (the period):
    a referred 2024-10-01; b 2025-01-10; c 2025-02-01; g 2025-01-01 (the first day); d 2025-03-01, no
    specialist; e closed on the period's last day; f closed in 2024 and re-opened after the period."""
    a, b, c = _enroll(world, D(2024, 10, 1)), _enroll(world, D(2025, 1, 10)), _enroll(world, D(2025, 2, 1))
    g, d = _enroll(world, D(2025, 1, 1)), _enroll(world, D(2025, 3, 1), assign=False)
    e, f = _enroll(world, D(2024, 6, 1)), _enroll(world, D(2024, 5, 1))
    clients.enrollment_close(actor=world.supervisor, enrollment=e, on=LAST, reason="moved")
    clients.enrollment_close(actor=world.supervisor, enrollment=f, on=D(2024, 8, 1), reason="moved")
    clients.enrollment_reopen(actor=world.supervisor, enrollment=f, on=D(2025, 4, 10))
    bakery = cf.employer(world, name="Cedar Bakery")
    market = cf.employer(world, name="Main Street Market")
    # Employer contacts: about b after 20 days (and a phone call before, not counted), about g after 89 days,
    # about c only after the period; four general face-to-face visits in the period, one before it.
    _contact(world, D(2025, 1, 15), bakery, b, face_to_face=False)
    _contact(world, D(2025, 1, 30), bakery, b)
    _contact(world, D(2025, 3, 31), market, g)
    _contact(world, D(2025, 4, 15), market, c)
    for on in (D(2025, 1, 2), D(2025, 1, 20), D(2025, 2, 14), D(2025, 3, 3)):
        _contact(world, on, market)
    _contact(world, D(2024, 12, 31), market)
    # Jobs started in the period: food at the bakery (a), retail at the market (b), food at the bakery, not
    # competitive (g); one started before the period (a).
    _job(world, a, market, "office", D(2024, 12, 1))
    _job(world, a, bakery, "food", D(2025, 1, 5))
    _job(world, b, market, "retail", D(2025, 2, 10))
    _job(world, g, bakery, "food", D(2025, 3, 1), is_competitive=False)
    # Follow-along: a's job has a contact in every closed window; b's misses March 3–9; g's has none.
    _supports(world, a, D(2025, 1, 2), D(2025, 1, 6), D(2025, 1, 14), D(2025, 1, 21), D(2025, 1, 28), D(2025, 2, 10))
    _supports(world, b, D(2025, 2, 5), D(2025, 2, 11), D(2025, 2, 18), D(2025, 2, 25))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def _by_item(world: World, first: datetime.date = FIRST, last: datetime.date = LAST) -> dict[int, er.EvidenceRow]:
    estimate = er.program_estimate(world.programs["p1"], first, last, current_scale())
    return {row.number: row for row in estimate.rows}


def test_each_indicator_from_the_records(world: World, records) -> None:
    rows = _by_item(world)
    assert list(rows) == [1, 2, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25]
    # 1: a, b, c, g on the caseload on March 31 (e closed that day, f re-opened later, d has no specialist).
    assert (rows[1].evidence.value, rows[1].evidence.score) == (4.0, 5)
    assert "1 clients without a specialist" in rows[1].evidence.basis
    # 15: g 89 days (Jan 1 → Mar 31), b 20 days (the phone call doesn't count) → 54.5 days; c and d wait.
    assert (rows[15].evidence.value, rows[15].evidence.score) == (54.5, 4)
    assert rows[15].evidence.basis == "2 clients with a first employer contact; 2 still without one"
    # 17: 6 face-to-face contacts in the period by 1 specialist over 90 days → 6 / (90 / 7) = 0.47 a week.
    assert (rows[17].evidence.value, rows[17].evidence.score) == (0.5, 1)
    assert rows[17].evidence.basis == "6 face-to-face contacts by 1 specialists over 90 days"
    # 19-21: three jobs started: food, retail, food; bakery, market, bakery; two competitive.
    assert (rows[19].evidence.value, rows[19].evidence.score) == (66.7, 3)
    assert (rows[20].evidence.value, rows[20].evidence.score) == (66.7, 3)
    assert (rows[21].evidence.value, rows[21].evidence.score) == (66.7, 2)
    # 23: a's job met every closed window; b's and g's did not → 33.3%.
    assert (rows[23].evidence.value, rows[23].evidence.score) == (33.3, 2)


def test_cut_points_come_from_the_scale(world: World, records) -> None:
    scale = current_scale()
    item = scale.items.get(number=21)
    item.evidence = {**item.evidence, "cuts": [70, 66, 60, 50]}
    item.save()
    rows = _by_item(world)
    assert rows[21].cuts == (70, 66, 60, 50) and rows[21].evidence.score == 4
    assert rows[21].cuts_text == "5: ≥70, 4: ≥66, 3: ≥60, 2: ≥50"
    assert rows[1].cuts_text == "5: ≤20, 4: ≤25, 3: ≤30, 2: ≤40"


def test_an_empty_period_measures_nothing(world: World, records) -> None:
    rows = _by_item(world, D(2020, 1, 1), D(2020, 3, 31))
    assert all(row.evidence.value is None and row.evidence.score is None for row in rows.values())


def test_a_fixed_number_of_queries(world: World, records, django_assert_num_queries) -> None:
    scale = current_scale()
    with django_assert_num_queries(14):
        er.program_estimate(world.programs["p1"], FIRST, LAST, scale)
    bakery = Employer.objects.get(name="Cedar Bakery")
    for n in range(4):
        extra = _enroll(world, D(2025, 1, 2 + n))
        _job(world, extra, bakery, "care", D(2025, 2, 1 + n))
        _supports(world, extra, D(2025, 2, 2 + n))
        _contact(world, D(2025, 2, 3 + n), bakery, extra)
    with django_assert_num_queries(14):
        er.program_estimate(world.programs["p1"], FIRST, LAST, scale)


def test_months_before() -> None:
    assert er.months_before(D(2025, 8, 31), 6) == D(2025, 3, 1)
    assert er.months_before(D(2025, 3, 31), 1) == D(2025, 3, 1)  # Feb 28 + 1 day
    assert er.months_before(D(2025, 1, 15), 6) == D(2024, 7, 16)
    assert er.review_period(D(2025, 6, 1), D(2025, 7, 1)) == (D(2024, 12, 1), D(2025, 5, 31))
    assert er.review_period(None, D(2025, 7, 1)) == (D(2025, 1, 2), D(2025, 7, 1))


# --- Pages -------------------------------------------------------------------------------------------------


def _recent_records(world: World) -> None:
    """Records in the last six months: one client referred 30 days ago, first employer contact 10 days ago."""
    enrollment = cf.enroll(world, referred=30)
    _contact(world, cf.days_ago(10), cf.employer(world), enrollment)


def test_estimate_page_for_program_leads_and_the_state_team(client, world: World, records) -> None:
    url = reverse("fidelity:program_estimate", args=[world.programs["p1"].pk])
    for name in ("supervisor", "director", "state_lead", "trainer", "admin"):
        client.force_login(world.people[name])
        assert client.get(url).status_code == 200, name
    page = client.get(url, {"first_day": "2025-01-01", "last_day": "2025-03-31"}).content.decode()
    assert "Running fidelity estimate" in page and "54.5" in page and "5: ≤30, 4: ≤60, 3: ≤150, 2: ≤270" in page


def test_estimate_page_is_hidden_from_everyone_else(client, world: World) -> None:
    url = reverse("fidelity:program_estimate", args=[world.programs["p1"].pk])
    names = ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_admin")
    for name in (*names, "other_state_director", "specialist", "counselor", "reviewer"):
        client.force_login(world.people[name])
        assert client.get(url).status_code == 404, name


def test_estimate_page_default_period_and_bad_dates(client, world: World) -> None:
    _recent_records(world)
    client.force_login(world.supervisor)
    url = reverse("fidelity:program_estimate", args=[world.programs["p1"].pk])
    page = client.get(url).content.decode()
    assert "Average days from entry to first employer contact" in page and "20.0" in page
    bad = client.get(url, {"first_day": "2025-03-31", "last_day": "2025-01-01"})
    assert bad.status_code == 400 and "swap the dates" in bad.content.decode()
    assert client.get(url, {"first_day": "not a date", "last_day": ""}).status_code == 400


def test_estimate_page_queries_do_not_grow(client, world: World, records) -> None:
    client.force_login(world.supervisor)
    url = reverse("fidelity:program_estimate", args=[world.programs["p1"].pk])
    query = {"first_day": "2025-01-01", "last_day": "2025-03-31"}
    client.get(url, query)
    with CaptureQueriesContext(connection) as small:
        client.get(url, query)
    for n in range(3):
        _job(world, _enroll(world, D(2025, 1, 5 + n)), Employer.objects.first(), "tech", D(2025, 2, 1))  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as large:
        client.get(url, query)
    assert len(large) == len(small)


def test_reviewers_see_the_evidence_beside_their_scoring(client, world: World) -> None:
    _recent_records(world)
    review = factories.planned_review(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("fidelity:review_score", args=[review.pk])).content.decode()
    assert "From the client records" in page
    assert "Average days from entry to first employer contact: 20.0, which implies a score of 5" in " ".join(
        page.split()
    )
    review = factories.review_in_consensus(world)
    page = client.get(reverse("fidelity:review_consensus", args=[review.pk])).content.decode()
    assert "which implies a score of 5" in " ".join(page.split())
    client.force_login(world.supervisor)  # partners don't score and don't see the side-by-side page's evidence
    assert (
        "From the client records" not in client.get(reverse("fidelity:review_score", args=[review.pk])).content.decode()
    )
