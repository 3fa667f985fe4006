"""What "a week" is wherever employer contacts are counted against the standard of fidelity item 17: six
face-to-face employer contacts per employment specialist a week, tracked weekly.

A week is a calendar week, Monday to Sunday, of the date a contact happened (`EmployerContact.contacted_on`,
the date the specialist records). "This week" is the week holding today's date in the install's time zone
(IPSHUB_TIME_ZONE, `timezone.localdate()`); it is "in progress" until its Sunday is over, and averages and
"weeks that met the standard" count only whole weeks, so a Monday never drags a specialist's average down.

Every count by week goes through `monday_of` (and `week_of`, built on it) — home, the caseload, the contact
log, the confirmation after a contact, the supervisor dashboard and its drill-down, the API, the demo and
the scale generator — so they all agree. The weeks are folded in Python from counts per day, never by a
database's own idea of a week.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ipshub.clients.models import EmployerContact

FACE_TO_FACE_STANDARD = 6
HISTORY_WEEKS = 13

_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Week:
    """A calendar week, named by its Monday."""

    monday: datetime.date

    @property
    def sunday(self) -> datetime.date:
        return self.monday + 6 * _DAY

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.monday <= day <= self.sunday

    def shifted(self, weeks: int) -> "Week":
        return Week(self.monday + datetime.timedelta(weeks=weeks))

    @property
    def label(self) -> str:
        """'Nov 30 – Dec 6', as the week is named on every page."""
        return f"{self.monday:%b} {self.monday.day} – {self.sunday:%b} {self.sunday.day}"


def monday_of(day: datetime.date) -> datetime.date:
    """The one definition: a week runs Monday to Sunday; this is the Monday of the day's week."""
    return day - day.weekday() * _DAY


def week_of(day: datetime.date) -> Week:
    """The Monday-to-Sunday week holding the day."""
    return Week(monday_of(day))


def weeks_ending(last: Week, count: int = HISTORY_WEEKS) -> list[Week]:
    """`count` weeks, oldest first, the last being `last`."""
    return [last.shifted(-n) for n in range(count - 1, -1, -1)]


def whole_weeks(start: datetime.date, end: datetime.date) -> list[Week]:
    """The weeks lying wholly inside [start, end], oldest first."""
    first = week_of(start) if start.weekday() == 0 else week_of(start).shifted(1)
    weeks = []
    while first.sunday <= end:
        weeks.append(first)
        first = first.shifted(1)
    return weeks


@dataclass(frozen=True)
class WeekCount:
    week: Week
    face_to_face: int
    total: int
    in_progress: bool  # the week holding today: its count can still grow
    standard: int = FACE_TO_FACE_STANDARD

    @property
    def meets(self) -> bool:
        return self.face_to_face >= self.standard

    @property
    def to_go(self) -> int:
        return max(0, self.standard - self.face_to_face)


@dataclass(frozen=True)
class Bar:
    """One week's bar in the small chart (SVG units; the chart is drawn upside down from the baseline)."""

    x: int
    height: int
    count: WeekCount


CHART_HEIGHT = 60
BAR_STEP = 22
BAR_WIDTH = 16


@dataclass(frozen=True)
class WeekHistory:
    """Face-to-face employer contacts week by week, oldest first; the last week may be in progress."""

    weeks: tuple[WeekCount, ...]
    standard: int = FACE_TO_FACE_STANDARD

    @property
    def current(self) -> WeekCount:
        return self.weeks[-1]

    @property
    def whole(self) -> list[WeekCount]:
        return [w for w in self.weeks if not w.in_progress]

    @property
    def met(self) -> int:
        """Whole weeks with the standard met."""
        return sum(1 for w in self.whole if w.meets)

    @property
    def average(self) -> float | None:
        """Face-to-face contacts a week over the whole weeks (None when there is none)."""
        whole = self.whole
        return round(sum(w.face_to_face for w in whole) / len(whole), 1) if whole else None

    # The chart: bars scaled so the standard's line sits at the same height whatever the counts.
    @property
    def top(self) -> int:
        return max([self.standard + 2] + [w.face_to_face for w in self.weeks])

    @property
    def bars(self) -> list[Bar]:
        return [
            Bar(x=i * BAR_STEP, height=round(CHART_HEIGHT * w.face_to_face / self.top), count=w)
            for i, w in enumerate(self.weeks)
        ]

    @property
    def standard_y(self) -> int:
        return CHART_HEIGHT - round(CHART_HEIGHT * self.standard / self.top)

    @property
    def chart_width(self) -> int:
        return len(self.weeks) * BAR_STEP

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT


def history(
    daily: Iterable[tuple[datetime.date, int, int]], weeks: Sequence[Week], today: datetime.date
) -> WeekHistory:
    """Fold (day, face-to-face, all) counts into the given weeks."""
    # Keyed by each week's Monday (a date hashes faster than a Week: this runs for every specialist and period).
    f2f: dict[datetime.date, int] = defaultdict(int)
    total: dict[datetime.date, int] = defaultdict(int)
    for day, face_to_face, everything in daily:
        monday = monday_of(day)
        f2f[monday] += face_to_face
        total[monday] += everything
    return WeekHistory(
        tuple(WeekCount(w, f2f[w.monday], total[w.monday], in_progress=w.sunday >= today) for w in weeks),
    )


def daily_counts(
    contacts: QuerySet[EmployerContact], first: datetime.date, last: datetime.date
) -> list[tuple[int, datetime.date, int, int]]:
    """(specialist, day, face to face, all) for the contacts in [first, last] (one query; the weeks are folded
    in Python, by `week_of`, so no database's idea of a week ever counts)."""
    return [
        (row["specialist_id"], row["contacted_on"], row["f2f"], row["total"])
        for row in contacts.filter(contacted_on__gte=first, contacted_on__lte=last)
        .order_by()
        .values("specialist_id", "contacted_on")
        .annotate(total=Count("id"), f2f=Count("id", filter=Q(face_to_face=True)))
    ]


def empty_history(weeks: Sequence[Week], today: datetime.date) -> WeekHistory:
    return history((), weeks, today)


def history_of(contacts: QuerySet[EmployerContact], today: datetime.date, count: int = HISTORY_WEEKS) -> WeekHistory:
    """All these contacts together, over the `count` weeks to this week (one query)."""
    return history_from(history_query(contacts, today, count), today, count)


def history_query(
    contacts: QuerySet[EmployerContact], today: datetime.date, count: int = HISTORY_WEEKS
) -> QuerySet[Any, Any]:
    """The rows `history_from` reads: the contacts per day (day, face to face, all) over the `count` weeks."""
    weeks = weeks_ending(week_of(today), count)
    return (
        contacts.filter(contacted_on__gte=weeks[0].monday, contacted_on__lte=weeks[-1].sunday)
        .order_by()
        .values("contacted_on")
        .annotate(total=Count("id"), f2f=Count("id", filter=Q(face_to_face=True)))
        .values_list("contacted_on", "f2f", "total")
    )


def history_from(days: Iterable[tuple[Any, ...]], today: datetime.date, count: int = HISTORY_WEEKS) -> WeekHistory:
    return history([(day, f2f, total) for day, f2f, total in days], weeks_ending(week_of(today), count), today)
