"""Outcomes computed from hand-made client records (the registered loader, the compute button)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ipshub.areakit.records import Span
from ipshub.audit.models import AuditEvent
from ipshub.clients import services as clients
from ipshub.clients.histories import enrollment_spans, load_histories
from ipshub.clients.models import Enrollment
from ipshub.outcomes import figures, services, sources
from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.metrics import Quarter, compute_quarter
from ipshub.outcomes.models import QuarterlyReport, Source
from tests.world import World

pytestmark = pytest.mark.django_db
CODE = "worked_over_served"
D = datetime.date


def _enroll(world: World, referred: datetime.date, program: str = "p1", referrer: str = "case_manager") -> Enrollment:
    enrollment = clients.referral_create(
        actor=world.people[referrer],
        program=world.programs[program],
        first_name="Client",
        last_name=f"Referred {referred}",
        birth_date=D(1990, 5, 17),
        referral_date=referred,
        referral_source="case_manager",
    )
    if program == "p1":
        clients.enrollment_assign(actor=world.supervisor, enrollment=enrollment, specialist=world.specialist)
    return enrollment


@pytest.fixture
def records(world: World) -> dict[str, Enrollment]:
    """Program P1's caseload around 2025 Q2 (April 1 – June 30):
    a: referred March 31 (Q1's last day); a job April 1 (Q2's first day) – July 15 (spans Q2 and Q3).
    b: referred April 1 (new in Q2); employer contact face to face on May 1 (30 days); a course from June 1.
    c: referred June 30 (new in Q2, its last day); only a phone employer contact.
    d: referred 2024-01-10, closed 2024-06-30, re-opened 2025-06-15 (served in Q2, not new).
    e: referred January 5, closed March 31 (served in Q1 only).
    f: referred July 1 (Q3).
    x: another program's client (P2)."""
    s = world.specialist
    a, b, c = _enroll(world, D(2025, 3, 31)), _enroll(world, D(2025, 4, 1)), _enroll(world, D(2025, 6, 30))
    d, e, f = _enroll(world, D(2024, 1, 10)), _enroll(world, D(2025, 1, 5)), _enroll(world, D(2025, 7, 1))
    bakery = clients.employer_create(actor=world.supervisor, program=world.programs["p1"], name="Cedar Bakery")
    job = clients.job_start(
        actor=s,
        enrollment=a,
        employer=bakery,
        title="Baker's assistant",
        job_type="food",
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("16.50"),
        started_on=D(2025, 4, 1),
    )
    clients.job_end(actor=s, job=job, ended_on=D(2025, 7, 15), end_reason="quit")
    program = world.programs["p1"]
    clients.employer_contact_log(
        actor=s, program=program, contacted_on=D(2025, 5, 1), purpose="client", employer=bakery, enrollment=b
    )
    clients.employer_contact_log(
        actor=s,
        program=program,
        contacted_on=D(2025, 7, 2),
        purpose="client",
        employer=bakery,
        enrollment=c,
        face_to_face=False,
    )
    clients.education_add(actor=s, enrollment=b, course="GED", institution="Pine College", started_on=D(2025, 6, 1))
    clients.enrollment_close(actor=world.supervisor, enrollment=d, on=D(2024, 6, 30), reason="moved")
    clients.enrollment_reopen(actor=world.supervisor, enrollment=d, on=D(2025, 6, 15))
    clients.enrollment_close(actor=world.supervisor, enrollment=e, on=D(2025, 3, 31), reason="moved")
    x = _enroll(world, D(2025, 4, 2), program="p2", referrer="other_agency_director")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "x": x}


def test_the_clients_area_contributes_the_client_records_loader() -> None:
    assert sources.history_loader() is load_histories


def test_spans_follow_closures_and_reopenings() -> None:
    events = [("engaged", "closed", D(2024, 6, 30)), ("closed", "accepted", D(2025, 6, 15))]
    assert enrollment_spans(D(2024, 1, 10), None, events) == (
        Span(D(2024, 1, 10), D(2024, 6, 30)),
        Span(D(2025, 6, 15)),
    )
    assert enrollment_spans(D(2024, 1, 10), D(2024, 3, 1), []) == (Span(D(2024, 1, 10), D(2024, 3, 1)),)


def test_histories_from_the_records(world: World, records: dict[str, Enrollment], django_assert_num_queries) -> None:
    p1, p2 = world.programs["p1"].pk, world.programs["p2"].pk
    with django_assert_num_queries(5):
        loaded = load_histories([p1, p2], D(2025, 4, 1), D(2025, 6, 30))
    by_client = {h.client_id: h for h in loaded[p1]}
    # f (referred after the period) and e (closed before it) are left out; x belongs to P2.
    assert set(by_client) == {records[k].client_id for k in "abcd"}
    assert [h.client_id for h in loaded[p2]] == [records["x"].client_id]
    d = by_client[records["d"].client_id]
    assert d.enrollments == (Span(D(2024, 1, 10), D(2024, 6, 30)), Span(D(2025, 6, 15)))
    b = by_client[records["b"].client_id]
    assert b.first_employer_contact == D(2025, 5, 1) and len(b.education) == 1
    assert by_client[records["c"].client_id].first_employer_contact is None  # phone contacts don't count
    a = by_client[records["a"].client_id]
    assert a.jobs[0].start == D(2025, 4, 1) and a.jobs[0].end == D(2025, 7, 15) and a.jobs[0].weekly_hours == 20


def test_the_same_queries_for_more_programs_and_clients(world: World, records, django_assert_num_queries) -> None:
    ids = [world.programs["p1"].pk]
    with django_assert_num_queries(5):
        load_histories(ids, D(2025, 1, 1), D(2025, 12, 31))
    for n in range(3):
        _enroll(world, D(2025, 2, 1 + n))
    with django_assert_num_queries(5):
        load_histories([*ids, world.programs["p2"].pk], D(2025, 1, 1), D(2025, 12, 31))


def _compute(world: World, year: int, quarter: int) -> QuarterlyReport:
    return services.report_compute(
        actor=world.supervisor, program=world.programs["p1"], year=year, quarter=quarter, definition_code=CODE
    )


def test_computed_quarters_match_the_definitions(world: World, records) -> None:
    q1, q2, q3 = _compute(world, 2025, 1), _compute(world, 2025, 2), _compute(world, 2025, 3)
    # Q1: a (referred on its last day) and e (closed on its last day); both new, neither contacted.
    assert (q1.served, q1.worked, q1.new_clients, q1.new_with_contact_30d, q1.job_starts) == (2, 0, 2, 0, 0)
    # Q2: a, b, c and the re-opened d are served (d is not new); a's job starts on the first day.
    assert (q2.served, q2.worked, q2.job_starts, q2.job_endings, q2.in_education) == (4, 1, 1, 0, 1)
    assert (q2.new_clients, q2.new_with_contact_30d) == (2, 1)
    assert q2.employment_rate == Decimal("25.0")
    assert (q2.avg_weekly_hours, q2.avg_hourly_wage) == (Decimal("20.00"), Decimal("16.50"))
    # Q3: the job spanning quarters still counts as worked and ends here; f is new.
    assert (q3.served, q3.worked, q3.job_starts, q3.job_endings, q3.new_clients) == (5, 1, 0, 1, 1)
    assert q2.source == Source.COMPUTED and q2.computed_at is not None


def test_recompute_all_uses_the_registered_loader(world: World, records) -> None:
    report = _compute(world, 2025, 2)
    _enroll(world, D(2025, 5, 5))
    assert sources.recompute_all(load_histories) == 1
    report.refresh_from_db()
    assert (report.served, report.new_clients) == (5, 3)


def test_compute_button_makes_an_audited_draft(client, world: World, records) -> None:
    program = world.programs["p1"]
    client.force_login(world.supervisor)
    page = client.get(reverse("outcomes:program", args=[program.pk]))
    assert "Compute from client records" in page.content.decode()
    url = reverse("outcomes:report_compute", args=[program.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2025, "quarter": 2, "definition_code": CODE})
    report = QuarterlyReport.objects.get(program=program, year=2025, quarter=2)
    assert response.status_code == 302 and response["Location"] == reverse("outcomes:report_detail", args=[report.pk])
    assert (report.source, report.served) == (Source.COMPUTED, 4)
    assert AuditEvent.objects.filter(action="outcome_report.create", object_id=str(report.pk)).exists()
    bad = client.post(url, {"year": 1999, "quarter": 2, "definition_code": CODE})
    assert bad.status_code == 400 and "Year" in bad.content.decode()


def test_compute_is_for_the_programs_writers(client, world: World) -> None:
    url = reverse("outcomes:report_compute", args=[world.programs["p1"].pk])
    for name in ("other_agency_director", "other_state_lead", "other_state_admin"):
        client.force_login(world.people[name])
        assert client.post(url, {"year": 2025, "quarter": 2, "definition_code": CODE}).status_code == 404
    client.force_login(world.specialist)
    assert client.post(url, {"year": 2025, "quarter": 2, "definition_code": CODE}).status_code == 403
    assert not QuarterlyReport.objects.exists()


def test_recompute_in_program_groups_gives_the_per_report_figures(world: World, records) -> None:
    """`recompute_all` (grouped by program, one pass over several quarters, one UPDATE per group) gives
    every report exactly the figures the compute button gives it, for both definitions and two programs."""
    p1, p2 = world.programs["p1"], world.programs["p2"]
    reports = [
        services.report_compute(actor=world.admin, program=program, year=2025, quarter=q, definition_code=code)
        for program in (p1, p2)
        for code in ("worked_over_served", "out_of_work_at_entry")
        for q in (1, 2, 3)
    ]
    locked = reports[0]
    services.report_submit(actor=world.admin, report=locked)
    services.report_accept(actor=world.state_lead, report=locked)
    before = {f: getattr(locked, f) for f in figures.NAMES}
    served_before = {r.pk: r.served for r in reports}
    computed_before = reports[1].computed_at
    # The records change after the drafts were computed: new referrals in both programs, a job, a closure.
    late = _enroll(world, D(2025, 2, 3))
    _enroll(world, D(2025, 5, 5), program="p2", referrer="other_agency_director")
    bakery = clients.employer_create(actor=world.supervisor, program=p1, name="Birch Cafe")
    clients.job_start(
        actor=world.specialist,
        enrollment=late,
        employer=bakery,
        title="Barista",
        job_type="food",
        hours_per_week=Decimal("12"),
        hourly_wage=Decimal("17.25"),
        started_on=D(2025, 3, 3),
    )
    clients.enrollment_close(actor=world.supervisor, enrollment=records["b"], on=D(2025, 8, 1), reason="moved")
    progress: list[tuple[int, int]] = []
    assert sources.recompute_all(load_histories, programs_per_chunk=1, progress=lambda *p: progress.append(p)) == 11
    assert progress == [(5, 11), (11, 11)]
    locked.refresh_from_db()
    assert {f: getattr(locked, f) for f in figures.NAMES} == before  # accepted: never recomputed
    changed = 0
    for report in reports[1:]:
        report.refresh_from_db()
        q = Quarter(report.year, report.quarter)
        histories = load_histories([report.program_id], q.first_day, q.last_day)[report.program_id]
        expected = compute_quarter(histories, q, catalog().latest(report.definition_code))
        assert {f: getattr(report, f) for f in figures.NAMES} == {f: getattr(expected, f) for f in figures.NAMES}
        changed += report.served != served_before[report.pk]
    assert changed >= 4  # the new referrals reached both programs' reports
    assert reports[1].computed_at > computed_before
