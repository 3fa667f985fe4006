"""The review's arithmetic, as pure functions: totals, "cannot rate", bands, and the schedule rule."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

ITEM_COUNT = 25
BASELINE_DUE_DAYS = 60  # the baseline review falls due two months after implementation begins
GOOD_FIDELITY = 100  # below this the next review is due sooner
MONTHS_BELOW_GOOD = 6
MONTHS_AT_OR_ABOVE_GOOD = 12

# The reference bands; each scale version carries its own copy (FidelityScale.bands) a state may correct.
DEFAULT_BANDS: list[dict[str, Any]] = [
    {"min": 115, "max": 125, "label": "Exemplary fidelity"},
    {"min": 100, "max": 114, "label": "Good fidelity"},
    {"min": 74, "max": 99, "label": "Fair fidelity"},
    {"min": 25, "max": 73, "label": "Not supported employment"},
]


def band_for(total: int, bands: Sequence[dict[str, Any]] = DEFAULT_BANDS) -> str:
    for band in bands:
        if int(band["min"]) <= total <= int(band["max"]):
            return str(band["label"])
    return "Out of range"


@dataclass(frozen=True)
class Total:
    """What a set of item scores adds up to, with "cannot rate" made plain.

    - `rated_total`: the sum of the items that were rated.
    - `unrated`: how many items could not be rated (or have no score yet).
    - `estimate`: the rated items' average × the number of items, rounded — the total the program would
      have if the unrated items scored like the rated ones. With every item rated it equals the total.
    - `band`: the band of the estimate; `is_estimate` says whether it rests on a prorated total.
    - `lowest` / `highest`: the total if every unrated item scored 1, or 5: the band can only lie between.
    """

    rated_total: int
    rated: int
    unrated: int
    estimate: int | None
    band: str
    is_estimate: bool
    lowest: int
    highest: int


def total_of(scores: Iterable[int | None], bands: Sequence[dict[str, Any]] = DEFAULT_BANDS) -> Total:
    values = list(scores)
    if len(values) < ITEM_COUNT:
        values += [None] * (ITEM_COUNT - len(values))
    rated = [v for v in values if v is not None]
    unrated = len(values) - len(rated)
    rated_total = sum(rated)
    estimate = round(rated_total * len(values) / len(rated)) if rated else None
    return Total(
        rated_total=rated_total,
        rated=len(rated),
        unrated=unrated,
        estimate=estimate,
        band=band_for(estimate, bands) if estimate is not None else "Not rated",
        is_estimate=unrated > 0,
        lowest=rated_total + unrated,
        highest=rated_total + 5 * unrated,
    )


def next_review_due(report_date: datetime.date, total: int) -> datetime.date:
    """6 months after the report while the total is below 100, otherwise 12 months."""
    months = MONTHS_BELOW_GOOD if total < GOOD_FIDELITY else MONTHS_AT_OR_ABOVE_GOOD
    due: datetime.date = report_date + relativedelta(months=months)  # dateutil ships no types
    return due


def baseline_due(implementation_began: datetime.date) -> datetime.date:
    return implementation_began + datetime.timedelta(days=BASELINE_DUE_DAYS)


# A review's dates are days of a program's work: years far away are typing mistakes, and the two weeks counted
# around a visit (default_window) would run off the ends of the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def year_problem(day: datetime.date) -> str | None:
    """What is wrong with `day` as a review's date, or None."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"Use a date between the years {FIRST_YEAR} and {LAST_YEAR}."


def default_window(day_1: datetime.date, day_2: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Reviewers read records from two weeks before the visit (chart review) to two weeks after it."""
    return day_1 - datetime.timedelta(days=14), day_2 + datetime.timedelta(days=14)
