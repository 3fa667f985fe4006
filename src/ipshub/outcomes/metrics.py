"""The quarterly outcome metrics, as pure functions over plain client histories.

Nothing here touches the database: the client records (another area) are turned into `ClientHistory`
values (areakit/records.py) by the loader the clients area contributes (areakit/hooks.py), and these
functions compute one program's figures for a quarter.

Decisions where the IPS literature leaves room (also in docs/outcomes.md):
- Served: on the caseload (any enrollment span) on at least one day of the quarter.
- Worked: served, and held a competitive job on at least one day of the quarter (several jobs count once).
- A job start or ending counts jobs, not people: two jobs started in a quarter are two starts.
- New client: the client's first-ever enrollment starts in the quarter; a re-opened case is not new.
  Their entry date is that first enrollment start; the rapid-job-search measure is the share of new
  clients whose first face-to-face employer contact came 0-30 days after entry.
- The "out of work at entry" definition counts only clients not working at entry, and only jobs with at
  least the definition's minimum weekly hours.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ipshub.areakit.records import ClientHistory, JobSpan
from ipshub.outcomes.definitions import MetricDefinition

SMALL_COUNT = 11
CONTACT_DAYS = 30


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError("A quarter is 1, 2, 3 or 4.")

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def index(self) -> int:
        """Quarters since year 0: consecutive quarters differ by one."""
        return self.year * 4 + self.quarter - 1

    @classmethod
    def from_index(cls, index: int) -> "Quarter":
        return cls(index // 4, index % 4 + 1)

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> "Quarter":
        return Quarter.from_index(self.index - 1)

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


@dataclass
class QuarterFigures:
    served: int = 0
    worked: int = 0
    in_education: int = 0
    job_starts: int = 0
    job_endings: int = 0
    new_clients: int = 0
    new_with_contact_30d: int = 0
    avg_weekly_hours: Decimal | None = None
    avg_hourly_wage: Decimal | None = None
    _hours: list[Decimal] = field(default_factory=list, repr=False)
    _wages: list[Decimal] = field(default_factory=list, repr=False)

    @property
    def employment_rate(self) -> Decimal | None:
        return rate(self.worked, self.served)

    @property
    def contact_30d_share(self) -> Decimal | None:
        return rate(self.new_with_contact_30d, self.new_clients)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nobody to divide by."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _counts_job(job: JobSpan, definition: MetricDefinition) -> bool:
    if not job.competitive:
        return False
    minimum = definition.min_weekly_hours
    return not minimum or (job.weekly_hours is not None and job.weekly_hours >= minimum)


def add_client(figures: QuarterFigures, history: ClientHistory, q: Quarter, definition: MetricDefinition) -> None:
    """Add one client's contribution for quarter `q` to `figures` (hours and wages are averaged at the end)."""
    first, last = q.first_day, q.last_day
    if definition.population == "out_of_work_at_entry" and history.working_at_entry:
        return
    if not history.enrollments:
        return
    entry = min(span.start for span in history.enrollments)
    if first <= entry <= last:
        figures.new_clients += 1
        contact = history.first_employer_contact
        if contact is not None and entry <= contact and (contact - entry).days <= CONTACT_DAYS:
            figures.new_with_contact_30d += 1
    if not any(span.overlaps(first, last) for span in history.enrollments):
        return
    figures.served += 1
    jobs = [job for job in history.jobs if _counts_job(job, definition)]
    held = [job for job in jobs if job.overlaps(first, last)]
    if held:
        figures.worked += 1
        figures._hours.extend(job.weekly_hours for job in held if job.weekly_hours is not None)
        figures._wages.extend(job.hourly_wage for job in held if job.hourly_wage is not None)
    figures.job_starts += sum(1 for job in jobs if first <= job.start <= last)
    figures.job_endings += sum(1 for job in jobs if job.end is not None and first <= job.end <= last)
    if any(span.overlaps(first, last) for span in history.education):
        figures.in_education += 1


def finish(figures: QuarterFigures) -> QuarterFigures:
    figures.avg_weekly_hours = _mean(figures._hours)
    figures.avg_hourly_wage = _mean(figures._wages)
    return figures


def compute_quarter(histories: Iterable[ClientHistory], q: Quarter, definition: MetricDefinition) -> QuarterFigures:
    """One program's figures for one quarter under one definition."""
    figures = QuarterFigures()
    for history in histories:
        add_client(figures, history, q, definition)
    return finish(figures)


def _quarter_index(day: datetime.date) -> int:
    """`Quarter.containing(day).index` without building a Quarter (called for every date of every client)."""
    return day.year * 4 + (day.month - 1) // 3


def compute_quarters(
    histories: Iterable[ClientHistory], quarters: Iterable[Quarter], definition: MetricDefinition
) -> dict[Quarter, QuarterFigures]:
    """Figures for several quarters in one pass over the histories: the same figures as `compute_quarter`
    for each quarter (a test holds them equal), but each date is turned into a quarter number once, so
    the cost is one visit per client plus one per quarter their records touch (every program at national
    scale in seconds).

    Quarter numbers make the overlap tests set operations: a span [start, end] overlaps quarter i exactly
    when index(start) <= i <= index(end), since quarters tile the calendar."""
    wanted = {q.index: q for q in quarters}
    result = {q: QuarterFigures() for q in wanted.values()}
    if not wanted:
        return result
    figures = {index: result[q] for index, q in wanted.items()}
    lo, hi = min(wanted), max(wanted)
    out_of_work_only = definition.population == "out_of_work_at_entry"
    minimum = definition.min_weekly_hours

    def indexes(start: datetime.date, end: datetime.date | None, within: set[int]) -> set[int]:
        first = max(_quarter_index(start), lo)
        last = min(_quarter_index(end), hi) if end is not None else hi
        return {i for i in range(first, last + 1) if i in within}

    all_wanted = set(figures)
    for history in histories:
        if not history.enrollments or (out_of_work_only and history.working_at_entry):
            continue
        entry = min(span.start for span in history.enrollments)
        entry_figures = figures.get(_quarter_index(entry))
        if entry_figures is not None:
            entry_figures.new_clients += 1
            contact = history.first_employer_contact
            if contact is not None and entry <= contact and (contact - entry).days <= CONTACT_DAYS:
                entry_figures.new_with_contact_30d += 1
        served: set[int] = set()
        for span in history.enrollments:
            served |= indexes(span.start, span.end, all_wanted)
        if not served:
            continue
        worked: set[int] = set()
        for job in history.jobs:
            if not job.competitive or (minimum and (job.weekly_hours is None or job.weekly_hours < minimum)):
                continue
            for i in indexes(job.start, job.end, served):
                worked.add(i)
                if job.weekly_hours is not None:
                    figures[i]._hours.append(job.weekly_hours)
                if job.hourly_wage is not None:
                    figures[i]._wages.append(job.hourly_wage)
            started = _quarter_index(job.start)
            if started in served:
                figures[started].job_starts += 1
            if job.end is not None:
                ended = _quarter_index(job.end)
                if ended in served:
                    figures[ended].job_endings += 1
        learning: set[int] = set()
        for span in history.education:
            learning |= indexes(span.start, span.end, served)
        for i in served:
            figures[i].served += 1
        for i in worked:
            figures[i].worked += 1
        for i in learning:
            figures[i].in_education += 1
    for item in result.values():
        finish(item)
    return result


def shown(count: int | None) -> str:
    """A count as shared or published: counts under 11 become "<11" so no small group can be identified."""
    if count is None:
        return "—"
    return "<11" if count < SMALL_COUNT else str(count)


def shown_rate(numerator: int | None, denominator: int | None, value: Decimal | None) -> str:
    """A published rate: withheld when either count is under 11 (the rate and the other count would
    reveal the small one)."""
    if value is None or numerator is None or denominator is None:
        return "—"
    if numerator < SMALL_COUNT or denominator < SMALL_COUNT:
        return "<11"
    return f"{value}%"


def visible_rate(numerator: int | None, denominator: int | None, value: Decimal | None, exact: bool) -> Decimal | None:
    """A rate to draw in a chart: withheld (None, a gap in the line) under the same rule as `shown_rate`
    unless the viewer may see exact figures."""
    if exact or value is None:
        return value
    if numerator is None or denominator is None or numerator < SMALL_COUNT or denominator < SMALL_COUNT:
        return None
    return value
