"""Every metric on hand-made client histories: quarter edges, several jobs, spanning jobs, re-opened cases."""

import datetime
import random
from decimal import Decimal

import pytest

from ipshub.areakit.records import ClientHistory, JobSpan, Span
from ipshub.outcomes.definitions import catalog, parse
from ipshub.outcomes.metrics import (
    Quarter,
    compute_quarter,
    compute_quarters,
    rate,
    shown,
    shown_rate,
)

D = datetime.date
Q1 = Quarter(2025, 1)  # 2025-01-01 .. 2025-03-31
WOS = catalog().latest("worked_over_served")
GROW = catalog().latest("out_of_work_at_entry")


def client(cid: int, *enrollments: Span, **kwargs) -> ClientHistory:  # type: ignore[no-untyped-def]
    return ClientHistory(client_id=cid, enrollments=tuple(enrollments), **kwargs)


def test_quarter_bounds() -> None:
    assert (Q1.first_day, Q1.last_day) == (D(2025, 1, 1), D(2025, 3, 31))
    assert Quarter(2024, 1).last_day == D(2024, 3, 31)
    assert Quarter(2025, 4).last_day == D(2025, 12, 31)
    assert Quarter(2025, 2).last_day == D(2025, 6, 30)
    assert Quarter.containing(D(2025, 4, 1)) == Quarter(2025, 2)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    with pytest.raises(ValueError):
        Quarter(2025, 5)


def test_served_counts_the_quarter_edges() -> None:
    histories = [
        client(1, Span(D(2024, 6, 1), D(2025, 1, 1))),  # leaves on the first day: served
        client(2, Span(D(2025, 3, 31))),  # enters on the last day: served
        client(3, Span(D(2024, 6, 1), D(2024, 12, 31))),  # left the day before: not served
        client(4, Span(D(2025, 4, 1))),  # enters the day after: not served
        client(5, Span(D(2020, 1, 1))),  # open for years: served
    ]
    figures = compute_quarter(histories, Q1, WOS)
    assert figures.served == 3


def test_worked_counts_people_once_with_several_jobs_and_counts_every_start() -> None:
    jobs = (
        JobSpan(D(2025, 1, 10), None, competitive=True, weekly_hours=Decimal(10), hourly_wage=Decimal(15)),
        JobSpan(D(2025, 2, 1), D(2025, 3, 31), competitive=True, weekly_hours=Decimal(20), hourly_wage=Decimal(17)),
    )
    histories = [client(1, Span(D(2024, 1, 1)), jobs=jobs), client(2, Span(D(2024, 1, 1)))]
    figures = compute_quarter(histories, Q1, WOS)
    assert (figures.served, figures.worked) == (2, 1)
    assert figures.job_starts == 2
    assert figures.job_endings == 1  # ends on the last day of the quarter
    assert figures.employment_rate == Decimal("50.0")
    assert figures.avg_weekly_hours == Decimal("15.00")
    assert figures.avg_hourly_wage == Decimal("16.00")


def test_a_job_spanning_quarters_counts_as_worked_in_each_but_starts_and_ends_once() -> None:
    history = client(1, Span(D(2024, 1, 1)), jobs=(JobSpan(D(2024, 11, 15), D(2025, 5, 2)),))
    by_quarter = compute_quarters([history], [Quarter(2024, 4), Q1, Quarter(2025, 2), Quarter(2025, 3)], WOS)
    assert [by_quarter[q].worked for q in sorted(by_quarter, key=lambda q: q.index)] == [1, 1, 1, 0]
    assert by_quarter[Quarter(2024, 4)].job_starts == 1 and by_quarter[Q1].job_starts == 0
    assert by_quarter[Quarter(2025, 2)].job_endings == 1 and by_quarter[Q1].job_endings == 0


def test_non_competitive_jobs_do_not_count() -> None:
    history = client(1, Span(D(2024, 1, 1)), jobs=(JobSpan(D(2025, 1, 5), competitive=False),))
    figures = compute_quarter([history], Q1, WOS)
    assert (figures.served, figures.worked, figures.job_starts) == (1, 0, 0)


def test_a_reopened_case_is_served_once_and_is_not_a_new_client() -> None:
    history = client(
        1,
        Span(D(2023, 5, 1), D(2025, 1, 20)),
        Span(D(2025, 3, 1)),  # re-opened in the same quarter
        first_employer_contact=D(2023, 5, 20),
    )
    figures = compute_quarter([history], Q1, WOS)
    assert figures.served == 1
    assert figures.new_clients == 0
    # A gap quarter between two spans: not served then.
    gap = client(2, Span(D(2024, 1, 1), D(2024, 3, 31)), Span(D(2024, 7, 1)))
    by_quarter = compute_quarters([gap], [Quarter(2024, 1), Quarter(2024, 2), Quarter(2024, 3)], WOS)
    assert [by_quarter[Quarter(2024, n)].served for n in (1, 2, 3)] == [1, 0, 1]


def test_new_clients_and_employer_contact_within_30_days() -> None:
    histories = [
        client(1, Span(D(2025, 1, 1)), first_employer_contact=D(2025, 1, 31)),  # day 30: within
        client(2, Span(D(2025, 2, 1)), first_employer_contact=D(2025, 3, 4)),  # day 31: not within
        client(3, Span(D(2025, 3, 31))),  # no contact yet
        client(4, Span(D(2024, 12, 31)), first_employer_contact=D(2025, 1, 2)),  # entered last quarter
    ]
    figures = compute_quarter(histories, Q1, WOS)
    assert figures.new_clients == 3
    assert figures.new_with_contact_30d == 1
    assert figures.contact_30d_share == Decimal("33.3")


def test_education_counts_people_in_education_during_the_quarter() -> None:
    histories = [
        client(1, Span(D(2024, 1, 1)), education=(Span(D(2024, 9, 1), D(2025, 1, 1)),)),
        client(2, Span(D(2024, 1, 1)), education=(Span(D(2024, 9, 1), D(2024, 12, 20)),)),
    ]
    assert compute_quarter(histories, Q1, WOS).in_education == 1


def test_out_of_work_at_entry_definition_counts_only_those_clients_and_jobs_of_4_hours() -> None:
    histories = [
        client(1, Span(D(2024, 1, 1)), working_at_entry=True, jobs=(JobSpan(D(2024, 1, 1), weekly_hours=Decimal(30)),)),
        client(2, Span(D(2024, 1, 1)), jobs=(JobSpan(D(2025, 2, 1), weekly_hours=Decimal(3)),)),
        client(3, Span(D(2024, 1, 1)), jobs=(JobSpan(D(2025, 2, 1), weekly_hours=Decimal(4)),)),
        client(4, Span(D(2024, 1, 1))),
    ]
    grow = compute_quarter(histories, Q1, GROW)
    assert (grow.served, grow.worked, grow.job_starts) == (3, 1, 1)
    classic = compute_quarter(histories, Q1, WOS)
    assert (classic.served, classic.worked) == (4, 3)


def test_people_not_served_contribute_nothing() -> None:
    history = client(1, Span(D(2023, 1, 1), D(2023, 6, 30)), jobs=(JobSpan(D(2025, 1, 5)),))
    figures = compute_quarter([history], Q1, WOS)
    assert (figures.served, figures.worked, figures.job_starts) == (0, 0, 0)
    assert figures.employment_rate is None
    assert compute_quarter([client(2)], Q1, WOS).served == 0


def test_compute_quarters_matches_compute_quarter() -> None:
    histories = [
        client(
            1, Span(D(2023, 2, 1), D(2024, 5, 5)), Span(D(2024, 11, 1)), jobs=(JobSpan(D(2024, 3, 1), D(2025, 2, 1)),)
        ),
        client(2, Span(D(2024, 8, 1)), first_employer_contact=D(2024, 8, 20), education=(Span(D(2025, 1, 1)),)),
    ]
    quarters = [Quarter.from_index(Quarter(2023, 1).index + i) for i in range(10)]
    together = compute_quarters(histories, quarters, WOS)
    for q in quarters:
        alone = compute_quarter(histories, q, WOS)
        assert (together[q].served, together[q].worked, together[q].new_clients, together[q].in_education) == (
            alone.served,
            alone.worked,
            alone.new_clients,
            alone.in_education,
        ), q


def _random_history(rng: random.Random, cid: int) -> ClientHistory:
    """A client with edge-heavy dates: quarter first and last days, open spans, re-openings, several jobs."""
    edges = [D(y, m, d) for y in (2023, 2024, 2025) for m, d in ((1, 1), (3, 31), (4, 1), (6, 30), (10, 1), (12, 31))]

    def day() -> datetime.date:
        return rng.choice(edges) if rng.random() < 0.5 else D(2023, 1, 1) + datetime.timedelta(rng.randrange(1100))

    def span(cls=Span, **kwargs):  # type: ignore[no-untyped-def]
        start = day()
        end = None if rng.random() < 0.3 else max(start, day()) if rng.random() < 0.9 else day()
        return cls(start, end, **kwargs)

    enrollments = tuple(sorted((span() for _ in range(rng.choice((0, 1, 1, 2, 3)))), key=lambda s: s.start))
    jobs = tuple(
        span(
            JobSpan,
            competitive=rng.random() < 0.85,
            weekly_hours=rng.choice((None, Decimal(3), Decimal(4), Decimal("20.5"))),
            hourly_wage=rng.choice((None, Decimal("15.25"), Decimal(18))),
        )
        for _ in range(rng.choice((0, 0, 1, 2, 3)))
    )
    contact = day() if rng.random() < 0.6 else None
    return ClientHistory(
        cid,
        enrollments,
        jobs=jobs,
        education=tuple(span() for _ in range(rng.choice((0, 0, 1, 2)))),
        first_employer_contact=contact,
        working_at_entry=rng.random() < 0.3,
    )


@pytest.mark.parametrize("definition", [WOS, GROW], ids=["worked_over_served", "out_of_work_at_entry"])
def test_compute_quarters_equals_compute_quarter_on_many_generated_histories(definition) -> None:  # type: ignore[no-untyped-def]
    """The fast one-pass computation (used by recompute) gives every figure exactly as the per-quarter one."""
    rng = random.Random(6)
    histories = [_random_history(rng, cid) for cid in range(400)]
    quarters = [Quarter.from_index(Quarter(2023, 1).index + i) for i in range(12) if i != 5]  # a gap, too
    together = compute_quarters(histories, quarters, definition)
    names = ("served", "worked", "in_education", "job_starts", "job_endings", "new_clients", "new_with_contact_30d")
    for q in quarters:
        alone = compute_quarter(histories, q, definition)
        for name in (*names, "avg_weekly_hours", "avg_hourly_wage"):
            assert getattr(together[q], name) == getattr(alone, name), (q, name)
    assert sum(together[q].served for q in quarters) > 300 and sum(together[q].job_starts for q in quarters) > 20


def test_small_count_rule() -> None:
    assert shown(0) == "<11"
    assert shown(10) == "<11"
    assert shown(11) == "11"
    assert shown(None) == "—"
    assert shown_rate(10, 40, rate(10, 40)) == "<11"  # the rate would reveal the small count
    assert shown_rate(12, 8, rate(8, 12)) == "<11"
    assert shown_rate(12, 40, rate(12, 40)) == "30.0%"
    assert rate(1, 3) == Decimal("33.3") and rate(2, 3) == Decimal("66.7") and rate(0, 0) is None


def test_definitions_are_versioned_data() -> None:
    codes = catalog().codes
    assert codes == ["worked_over_served", "out_of_work_at_entry"]
    assert catalog().default_benchmarks["worked_over_served"] == {
        "minimal": Decimal(31),
        "average": Decimal(41),
        "excellent": Decimal(50),
    }
    assert catalog().deadline_days == 30
    bad = "definitions:\n  - {code: a, version: 1, name: A, population: everyone, effective_from: 2020-01-01}\n"
    with pytest.raises(ValueError, match="population must be one of"):
        parse(bad)
    twice = (
        "definitions:\n"
        "  - {code: a, version: 1, name: A, population: all_served, effective_from: 2020-01-01}\n"
        "  - {code: a, version: 1, name: A, population: all_served, effective_from: 2020-01-01}\n"
    )
    with pytest.raises(ValueError, match="appears twice"):
        parse(twice)


def test_learning_community_sanity_figure() -> None:
    """Q2 2020: 369 programs served 21,096 people and 40.8% worked — the roll-up arithmetic reproduces it."""
    worked = 8607  # 40.8% of 21,096, as reported
    assert rate(worked, 21_096) == Decimal("40.8")
