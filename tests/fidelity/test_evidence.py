"""Each indicator against hand-computed cases, including the edges of its cut points."""

import datetime

import pytest

from ipshub.fidelity import evidence as ev
from ipshub.fidelity.scales import DEFAULT_FILE, read_scale

D = datetime.date


@pytest.mark.parametrize(
    ("clients", "fte", "value", "score"),
    [
        (20, 1.0, 20.0, 5),
        (21, 1.0, 21.0, 4),
        (25, 1.0, 25.0, 4),
        (26, 1.0, 26.0, 3),
        (30, 1.0, 30.0, 3),
        (31, 1.0, 31.0, 2),
        (40, 1.0, 40.0, 2),
        (41, 1.0, 41.0, 1),
        (10, 0.5, 20.0, 5),  # a half-time specialist with 10 clients is at 20 per FTE
    ],
)
def test_caseload_size(clients: int, fte: float, value: float, score: int) -> None:
    result = ev.caseload_size([ev.SpecialistCaseload(clients, fte)])
    assert (result.value, result.score) == (value, score)


def test_caseload_pools_specialists() -> None:
    # (18 + 30 + 6) clients / (1 + 1 + 0.5) FTE = 54 / 2.5 = 21.6 → 4
    rows = [ev.SpecialistCaseload(18, 1), ev.SpecialistCaseload(30, 1), ev.SpecialistCaseload(6, 0.5)]
    result = ev.caseload_size(rows)
    assert (result.value, result.score) == (21.6, 4)


def test_caseload_without_staff_has_no_value() -> None:
    result = ev.caseload_size([])
    assert (result.value, result.score) == (None, None)


def test_rapid_job_search_averages_days_to_first_contact() -> None:
    pairs = [
        ev.EntryToEmployerContact(D(2026, 1, 1), D(2026, 1, 11)),  # 10 days
        ev.EntryToEmployerContact(D(2026, 1, 1), D(2026, 2, 20)),  # 50 days
        ev.EntryToEmployerContact(D(2026, 1, 1), None),  # still waiting: not averaged
    ]
    result = ev.rapid_job_search(pairs)
    assert (result.value, result.score) == (30.0, 5)
    assert "1 still without one" in result.basis


@pytest.mark.parametrize(
    ("wait", "score"), [(30, 5), (31, 4), (60, 4), (61, 3), (150, 3), (151, 2), (270, 2), (271, 1)]
)
def test_rapid_job_search_edges(wait: int, score: int) -> None:
    start = D(2025, 1, 1)
    result = ev.rapid_job_search([ev.EntryToEmployerContact(start, start + datetime.timedelta(days=wait))])
    assert result.score == score


def test_rapid_job_search_without_contacts() -> None:
    assert ev.rapid_job_search([ev.EntryToEmployerContact(D(2026, 1, 1), None)]).score is None


def test_employer_contacts_per_week() -> None:
    # 2 specialists, 4 weeks (28 days), 48 face-to-face contacts → 6 per specialist per week → 5.
    start, end = D(2026, 3, 2), D(2026, 3, 29)
    contacts = [ev.EmployerContact(1 + n % 2, start + datetime.timedelta(days=n % 28)) for n in range(48)]
    contacts += [ev.EmployerContact(1, start, face_to_face=False)]  # a phone call: not counted
    contacts += [ev.EmployerContact(1, end + datetime.timedelta(days=1))]  # outside the period
    contacts += [ev.EmployerContact(9, start)]  # someone not in the unit
    result = ev.employer_contacts_per_week(contacts, [1, 2], start, end)
    assert (result.value, result.score) == (6.0, 5)


@pytest.mark.parametrize(
    ("count", "score"), [(12, 5), (11, 4), (10, 4), (9, 3), (8, 3), (7, 2), (6, 2), (4, 2), (3, 1)]
)
def test_employer_contacts_edges(count: int, score: int) -> None:
    # one specialist, two weeks: count / 2 per week (6 → 5, 5.5 → 4, 5 → 4, 4.5 → 3, 4 → 3, 3 → 2, 2 → 2, 1.5 → 1)
    start = D(2026, 3, 2)
    contacts = [ev.EmployerContact(1, start) for _ in range(count)]
    assert ev.employer_contacts_per_week(contacts, [1], start, D(2026, 3, 15)).score == score


def _jobs(types: list[str], employers: list[str] | None = None, competitive: int | None = None) -> list[ev.Job]:
    employers = employers or [f"E{n}" for n in range(len(types))]
    competitive = len(types) if competitive is None else competitive
    return [ev.Job(t, e, n < competitive) for n, (t, e) in enumerate(zip(types, employers, strict=True))]


@pytest.mark.parametrize(
    ("distinct", "total", "score"),
    [(17, 20, 5), (16, 20, 4), (14, 20, 4), (13, 20, 3), (12, 20, 3), (11, 20, 2), (10, 20, 2), (9, 20, 1)],
)
def test_job_type_diversity_edges(distinct: int, total: int, score: int) -> None:
    # the published anchors: 85–100% → 5, 70–84% → 4, 60–69% → 3, 50–59% → 2, under 50% → 1
    # 17/20 = 85% → 5; 16/20 = 80% → 4; 14/20 = 70% → 4; 13/20 = 65% → 3; 12/20 = 60% → 3; 10/20 = 50% → 2
    types = [f"type {n}" for n in range(distinct)] + ["type 0"] * (total - distinct)
    assert ev.job_type_diversity(_jobs(types)).score == score


def test_job_types_compare_without_case_or_spaces() -> None:
    result = ev.job_type_diversity(_jobs(["Cashier", "cashier ", "Cook", "Stocker"]))
    assert (result.value, result.score) == (75.0, 4)


def test_employer_diversity() -> None:
    # 10 jobs with 9 different employers = 90% → 5; with 6 employers = 60% → 3; 5 = 50% → 2; 4 = 40% → 1
    types = [f"t{n}" for n in range(10)]
    assert ev.employer_diversity(_jobs(types, [f"E{n}" for n in range(9)] + ["E0"])).score == 5
    result = ev.employer_diversity(_jobs(types, [f"E{n % 6}" for n in range(10)]))
    assert (result.value, result.score) == (60.0, 3)
    assert ev.employer_diversity(_jobs(types, [f"E{n % 5}" for n in range(10)])).score == 2
    assert ev.employer_diversity(_jobs(types, [f"E{n % 4}" for n in range(10)])).score == 1


@pytest.mark.parametrize(
    ("competitive", "score"), [(95, 5), (94, 4), (85, 4), (84, 3), (75, 3), (74, 2), (64, 2), (63, 1)]
)
def test_competitive_jobs_edges(competitive: int, score: int) -> None:
    # of 100 jobs: 95% → 5, 85–94% → 4, 75–84% → 3, 64–74% → 2, under 64% → 1 (the published anchors)
    assert ev.competitive_jobs(_jobs([f"t{n}" for n in range(100)], competitive=competitive)).score == score


def test_no_jobs_no_score() -> None:
    for fn in (ev.job_type_diversity, ev.employer_diversity, ev.competitive_jobs):
        assert fn([]).score is None


def _contacts(start: D, offsets: list[int]) -> tuple[D, ...]:
    return tuple(start + datetime.timedelta(days=o) for o in offsets)


FULL_MONTH_ONE = [-3, 2, 9, 16, 23]  # before, within 3 days, and in weeks 2, 3 and 4


def test_follow_along_first_month_met() -> None:
    start = D(2026, 1, 5)
    job = ev.JobStartSupport(start, contact_dates=_contacts(start, FULL_MONTH_ONE))
    assert ev.follow_along_met(job, as_of=start + datetime.timedelta(days=29)) is True


def test_follow_along_missing_the_week_before_fails() -> None:
    start = D(2026, 1, 5)
    job = ev.JobStartSupport(start, contact_dates=_contacts(start, FULL_MONTH_ONE[1:]))
    assert ev.follow_along_met(job, as_of=start + datetime.timedelta(days=29)) is False


def test_follow_along_day_4_is_too_late_for_the_first_3_days() -> None:
    start = D(2026, 1, 5)
    job = ev.JobStartSupport(start, contact_dates=_contacts(start, [-3, 4, 9, 16, 23]))
    assert ev.follow_along_met(job, as_of=start + datetime.timedelta(days=29)) is False


def test_follow_along_monthly_after_month_one() -> None:
    start = D(2026, 1, 5)
    offsets = [*FULL_MONTH_ONE, 40, 70]  # months 2 (days 30–59) and 3 (60–89)
    job = ev.JobStartSupport(start, contact_dates=_contacts(start, offsets))
    assert ev.follow_along_met(job, as_of=start + datetime.timedelta(days=89)) is True
    assert ev.follow_along_met(job, as_of=start + datetime.timedelta(days=119)) is False  # month 4 missed
    ended = ev.JobStartSupport(start, start + datetime.timedelta(days=95), _contacts(start, offsets))
    assert ev.follow_along_met(ended, as_of=start + datetime.timedelta(days=200)) is True  # job ended


def test_follow_along_nothing_due_before_the_start() -> None:
    start = D(2026, 1, 5)
    assert ev.follow_along_met(ev.JobStartSupport(start), as_of=start - datetime.timedelta(days=3)) is None


def test_follow_along_timing_percent() -> None:
    start = D(2026, 1, 5)
    as_of = start + datetime.timedelta(days=29)
    good = ev.JobStartSupport(start, contact_dates=_contacts(start, FULL_MONTH_ONE))
    bad = ev.JobStartSupport(start)
    result = ev.follow_along_timing([good, good, good, bad], as_of)
    assert (result.value, result.score) == (75.0, 4)
    assert ev.follow_along_timing([good] * 9 + [bad], as_of).score == 5  # 90%
    assert ev.follow_along_timing([good, bad], as_of).score == 3  # 50%
    assert ev.follow_along_timing([good, bad, bad, bad], as_of).score == 2  # 25%
    assert ev.follow_along_timing([bad], as_of).score == 1


def test_cut_points_come_from_the_scale_file() -> None:
    items = {i["number"]: i for i in read_scale(DEFAULT_FILE)["items"]}
    assert items[1]["evidence"]["cuts"] == [20, 25, 30, 40]
    # A state that corrects item 21's anchors scores the same jobs with its own cut points.
    jobs = _jobs([f"t{n}" for n in range(10)], competitive=9)  # 90%
    assert ev.competitive_jobs(jobs).score == 4
    assert ev.competitive_jobs(jobs, cuts=[90, 80, 70, 60]).score == 5


def test_score_from_cuts_needs_four() -> None:
    with pytest.raises(ValueError, match="Four cut points"):
        ev.score_from_cuts(3, [1, 2], higher_is_better=True)
