"""Payment rules and time frames, evaluated from the default catalog data (and edge days)."""

import datetime
from decimal import Decimal

import pytest

from ipshub.dvr import rules

CATALOG = {s["code"]: s for s in rules.validate_catalog(rules.default_catalog())}


def pay(code: str, **facts) -> Decimal:
    base = {"hours_per_week": None, "days_to_hire": None, "units": None}
    return rules.evaluate_payment(CATALOG[code]["payment"], {**base, **facts}).amount


def test_the_default_catalog_has_the_five_services() -> None:
    assert list(CATALOG) == [
        "career_profile",
        "job_development_plan",
        "placement",
        "job_retention",
        "extended_services",
    ]


def test_fixed_amounts() -> None:
    assert pay("career_profile") == Decimal("500.00")
    assert pay("job_development_plan", units=3) == Decimal("600.00")


def test_per_unit_amount_multiplies_units() -> None:
    assert pay("extended_services", units=Decimal("4")) == Decimal("180.00")
    assert pay("extended_services", units=0) == Decimal("0")
    assert pay("extended_services", units=Decimal("2.5")) == Decimal("112.50")


@pytest.mark.parametrize(
    ("hours", "days", "amount"),
    [
        ("20", 90, "1800.00"),  # both edges inclusive
        ("20", 91, "1500.00"),  # one day too late for the quick-hire tier
        ("19.9", 10, "1200.00"),
        ("10", 200, "1200.00"),
        ("9.9", 10, "900.00"),
        ("0", 0, "900.00"),
        ("40", 0, "1800.00"),
    ],
)
def test_placement_tiers_by_hours_and_days_to_hire(hours: str, days: int, amount: str) -> None:
    assert pay("placement", hours_per_week=Decimal(hours), days_to_hire=days) == Decimal(amount)


def test_a_missing_fact_never_meets_a_condition() -> None:
    assert pay("placement", hours_per_week=Decimal("30"), days_to_hire=None) == Decimal("1500.00")
    assert pay("placement") == Decimal("900.00")


def test_retention_tier_edges() -> None:
    assert pay("job_retention", hours_per_week=Decimal("10")) == Decimal("1000.00")
    assert pay("job_retention", hours_per_week=Decimal("9.5")) == Decimal("700.00")


def test_explanation_says_why() -> None:
    facts = {"hours_per_week": Decimal("25"), "days_to_hire": 30, "units": None}
    payment = rules.evaluate_payment(CATALOG["placement"]["payment"], facts)
    assert "hours per week at least 20" in payment.explanation
    assert "days to hire at most 90" in payment.explanation


def test_report_due_dates_count_from_the_start_day() -> None:
    start = datetime.date(2026, 1, 31)
    assert rules.report_due_on(CATALOG["career_profile"]["time_frame"], start) == datetime.date(2026, 3, 2)
    assert rules.report_due_on(CATALOG["placement"]["time_frame"], start) == datetime.date(2026, 5, 31)
    leap = datetime.date(2028, 2, 1)
    assert rules.report_due_on(CATALOG["job_development_plan"]["time_frame"], leap) == datetime.date(2028, 3, 2)


def test_plan_review_every_90_days_after_acceptance() -> None:
    frame = CATALOG["job_development_plan"]["time_frame"]
    assert rules.next_review_on(frame, datetime.date(2026, 1, 1)) == datetime.date(2026, 4, 1)
    assert rules.next_review_on(frame, None) is None
    assert rules.next_review_on(CATALOG["placement"]["time_frame"], datetime.date(2026, 1, 1)) is None


@pytest.mark.parametrize(("minutes", "units"), [(1, 0), (7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (60, 4)])
def test_fifteen_minute_units(minutes: int, units: int) -> None:
    assert rules.units_for_minutes(minutes) == units


S = "services: [{code: x, name: X, report:"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("services: []", "at least one service"),
        (
            S + " memo, time_frame: {due_days: 3}, payment: {kind: fixed, amount: 1}}]",
            "report must be one of",
        ),
        (
            S + " hire, time_frame: {due_days: 0}, payment: {kind: fixed, amount: 1}}]",
            "due_days",
        ),
        (
            S + " hire, time_frame: {due_days: 3}, payment: {kind: fixed, amount: lots}}]",
            "not a number",
        ),
        (
            S + " hire, time_frame: {due_days: 3}, payment: {kind: tiered, tiers: "
            "[{when: {hours_per_week: {at_least: 5}}, amount: 1}]}}]",
            "last tier must have no `when`",
        ),
        (
            S + " hire, time_frame: {due_days: 3}, payment: {kind: tiered, tiers: "
            "[{when: {age: {at_least: 5}}, amount: 1}, {amount: 2}]}}]",
            "unknown fact",
        ),
        (
            S + " hire, time_frame: {due_days: 3}, payment: {kind: bonus}}]",
            "payment needs a kind",
        ),
        ("services: [\n  - code: [", "not valid YAML"),
    ],
)
def test_bad_catalogs_are_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(rules.CatalogError, match=message.replace("`", ".").replace("[", ".")):
        rules.parse_catalog(text)
