import datetime

import pytest

from ipshub.fidelity import rules
from ipshub.fidelity.scales import DEFAULT_FILE, read_scale


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (125, "Exemplary fidelity"),
        (115, "Exemplary fidelity"),
        (114, "Good fidelity"),
        (100, "Good fidelity"),
        (99, "Fair fidelity"),
        (74, "Fair fidelity"),
        (73, "Not supported employment"),
        (25, "Not supported employment"),
    ],
)
def test_band_edges(total: int, band: str) -> None:
    assert rules.band_for(total) == band


def test_bands_in_the_scale_file_match_the_reference() -> None:
    bands = read_scale(DEFAULT_FILE)["bands"]
    for total in (73, 74, 99, 100, 114, 115):
        assert rules.band_for(total, bands) == rules.band_for(total)


def test_total_with_every_item_rated() -> None:
    total = rules.total_of([4] * 25)
    assert (total.rated_total, total.unrated, total.estimate, total.is_estimate) == (100, 0, 100, False)
    assert total.band == "Good fidelity"
    assert total.lowest == total.highest == 100


def test_cannot_rate_prorates_and_says_so() -> None:
    # 23 items rated 4 (92) and two unrated: estimate 92 × 25 / 23 = 100, the range 94–102.
    total = rules.total_of([4] * 23 + [None, None])
    assert total.rated_total == 92
    assert total.rated == 23
    assert total.unrated == 2
    assert total.estimate == 100
    assert total.is_estimate
    assert total.band == "Good fidelity"
    assert (total.lowest, total.highest) == (94, 102)


def test_nothing_rated() -> None:
    total = rules.total_of([None] * 25)
    assert total.estimate is None
    assert total.band == "Not rated"


def test_missing_items_count_as_unrated() -> None:
    assert rules.total_of([5] * 20).unrated == 5


@pytest.mark.parametrize(
    ("total", "due"),
    [
        (99, datetime.date(2026, 7, 31)),  # below 100: 6 months
        (73, datetime.date(2026, 7, 31)),
        (100, datetime.date(2027, 1, 31)),  # 100 or more: 12 months
        (125, datetime.date(2027, 1, 31)),
    ],
)
def test_schedule_rule(total: int, due: datetime.date) -> None:
    assert rules.next_review_due(datetime.date(2026, 1, 31), total) == due


def test_six_months_from_the_end_of_august_lands_on_the_last_day_of_february() -> None:
    assert rules.next_review_due(datetime.date(2025, 8, 31), 80) == datetime.date(2026, 2, 28)


def test_baseline_due_two_months_after_implementation_begins() -> None:
    assert rules.baseline_due(datetime.date(2026, 1, 1)) == datetime.date(2026, 3, 2)


def test_scale_file_has_25_items_in_three_sections() -> None:
    data = read_scale(DEFAULT_FILE)
    assert len(data["items"]) == 25
    counts = {s: sum(1 for i in data["items"] if i["section"] == s) for s in data["sections"]}
    assert counts == {"Staffing": 3, "Organization": 8, "Services": 14}
    assert {i["number"] for i in data["items"] if i.get("evidence")} == {
        1,
        2,
        12,
        14,
        15,
        16,
        17,
        19,
        20,
        21,
        23,
        24,
        25,
    }
