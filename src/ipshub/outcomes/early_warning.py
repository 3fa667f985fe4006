"""The early warning: each program's chance that its quarterly employment rate falls below 31% next quarter,
with the reasons that weigh most (issue #23).

What it is: a logistic regression (scikit-learn's `LogisticRegression`) fitted on this install's own history
of quarters. Each example is one program in one quarter: the indicators below, from that quarter's accepted
report and the client records, and whether the program's next accepted report was below the threshold. The
indicators are standardised (minus the install's mean, divided by its spread), so a coefficient says how much
one spread of that indicator moves the odds; a program's reasons are the indicators whose coefficient ×
standardised value raise its chance most.

What it is not: a verdict or a cause. It finds patterns in past quarters of this install; it knows nothing
of a program's staff changes, local economy or reporting delays, and a program with few clients moves a lot
by chance. It predicts only from accepted reports and what the client records hold.

The fit is stored (`EarlyWarningModel`: coefficients, the means and spreads, the quarters used) with every
program's prediction (`EarlyWarningScore`), so the page reads two tables whatever the install's size.
`ipshub early-warning --refit` (cron) fits again; `--backtest` trains on the quarters before each past quarter
and prints how well it would have warned.
"""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ipshub.areakit import hooks
from ipshub.audit.services import audit_record
from ipshub.outcomes.definitions import DEFAULT_CODE
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import EarlyWarningModel, EarlyWarningScore, QuarterlyReport, Status
from ipshub.tenancy.models import Person, Program

THRESHOLD = Decimal("31")  # the minimal benchmark of the IPS learning community
WARN_AT = 0.5  # the backtest counts a chance of 50% or more as a warning
REASONS = 3
FEW_SAMPLES = 100  # fitted on fewer program-quarters, the page says its figures mean little yet


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str = ""


INDICATORS = (
    Indicator("rate", "employment rate", "%"),
    Indicator("trend", "change in the employment rate since the quarter before", " points"),
    Indicator("contacts_per_week", "employer contacts per specialist per week"),
    Indicator("days_to_first_contact", "days from referral to first employer contact", " days"),
    Indicator("job_starts", "job starts per 10 people served"),
    Indicator("job_endings", "job endings per 10 people served"),
    Indicator("caseload", "clients per specialist"),
)


@dataclass(frozen=True)
class Example:
    program_id: int
    quarter: Quarter  # the quarter the indicators describe; the prediction is for the next one
    values: tuple[float | None, ...]
    rate: float
    below_next: bool | None  # None: the next quarter has no accepted report (yet)


@dataclass(frozen=True)
class _Report:
    rate: float
    served: int
    job_starts: int
    job_endings: int


def history(first: Quarter, last: Quarter, program_ids: list[int] | None = None) -> list[Example]:
    """One example per program and quarter of [first, last] with an accepted report, in a fixed number of
    queries (the reports, and the activity hook's)."""
    reports = QuarterlyReport.objects.filter(
        definition_code=DEFAULT_CODE, is_current=True, status=Status.ACCEPTED, served__gt=0
    ).filter(year__gte=first.year, year__lte=last.year + 1)
    if program_ids is not None:
        reports = reports.filter(program_id__in=program_ids)
    by_key: dict[tuple[int, int], _Report] = {}
    for program_id, year, number, served, worked, starts, endings in reports.values_list(
        "program_id", "year", "quarter", "served", "worked", "job_starts", "job_endings"
    ).order_by():
        by_key[(program_id, Quarter(year, number).index)] = _Report(100.0 * worked / served, served, starts, endings)
    activity = {
        (row.program_id, Quarter(row.year, row.quarter).index): row
        for row in hooks.program_activity(program_ids, first.first_day, last.last_day)
    }
    examples = []
    for (program_id, index), report in sorted(by_key.items()):
        if not first.index <= index <= last.index:
            continue
        quarter = Quarter.from_index(index)
        before = by_key.get((program_id, index - 1))
        after = by_key.get((program_id, index + 1))
        work = activity.get((program_id, index))
        weeks = ((quarter.last_day - quarter.first_day).days + 1) / 7
        values = (
            report.rate,
            None if before is None else report.rate - before.rate,
            work.employer_contacts / work.specialists / weeks if work and work.specialists else None,
            work.days_to_first_contact / work.with_first_contact if work and work.with_first_contact else None,
            10 * report.job_starts / report.served,
            10 * report.job_endings / report.served,
            work.caseload / work.specialists if work and work.specialists else None,
        )
        below = None if after is None else after.rate < float(THRESHOLD)
        examples.append(Example(program_id, quarter, values, report.rate, below))
    return examples


@dataclass
class Fit:
    """A fitted model as plain numbers: what is stored, and all that predicting needs."""

    coefficients: list[float]
    intercept: float
    means: list[float]
    scales: list[float]
    quarters: list[Quarter] = field(default_factory=list)
    samples: int = 0
    below: int = 0

    def standardised(self, values: Iterable[float | None]) -> list[float]:
        # A missing indicator counts as the install's average (a standardised 0): it neither raises nor lowers.
        return [0.0 if v is None else (v - m) / s for v, m, s in zip(values, self.means, self.scales, strict=True)]

    def chance(self, values: Iterable[float | None]) -> float:
        z = self.standardised(values)
        logit = self.intercept + sum(c * x for c, x in zip(self.coefficients, z, strict=True))
        return 1 / (1 + math.exp(-logit))

    def reasons(self, values: tuple[float | None, ...]) -> list[str]:
        """The indicators that raise the chance most (coefficient × standardised value), in words."""
        z = self.standardised(values)
        weighed = sorted(
            ((c * x, i) for i, (c, x) in enumerate(zip(self.coefficients, z, strict=True))),
            reverse=True,
        )
        words = []
        for contribution, i in weighed[:REASONS]:
            value = values[i]
            if contribution <= 0.05 or value is None:
                break
            indicator = INDICATORS[i]
            side = "above" if value > self.means[i] else "below"
            words.append(
                f"{indicator.label.capitalize()}: {_number(value)}{indicator.unit}, {side} the average of "
                f"{_number(self.means[i])}{indicator.unit}"
            )
        return words


def _number(value: float) -> str:
    # Small figures (contacts a week, job starts per 10 served) need a second decimal to tell them apart.
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def fit(examples: list[Example]) -> Fit:
    """Fit the regression on the labelled examples; ValueError when they hold only one outcome."""
    # Imported here: scikit-learn (with NumPy and SciPy) takes about a second to import, and only the
    # command and its tests fit; the pages read the stored coefficients.
    from sklearn.linear_model import LogisticRegression

    labelled = [e for e in examples if e.below_next is not None]
    outcomes = [bool(e.below_next) for e in labelled]
    if len(set(outcomes)) < 2:
        raise ValueError("The history holds only one outcome (every program above, or every program below).")
    columns = list(zip(*(e.values for e in labelled), strict=True))
    means, scales = [], []
    for column in columns:
        known = [v for v in column if v is not None]
        mean = sum(known) / len(known) if known else 0.0
        spread = math.sqrt(sum((v - mean) ** 2 for v in known) / len(known)) if known else 0.0
        means.append(mean)
        scales.append(spread or 1.0)
    plain = Fit([0.0] * len(INDICATORS), 0.0, means, scales)
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit([plain.standardised(e.values) for e in labelled], outcomes)
    return Fit(
        coefficients=[float(c) for c in model.coef_[0]],
        intercept=float(model.intercept_[0]),
        means=means,
        scales=scales,
        quarters=sorted({e.quarter for e in labelled}, key=lambda q: q.index),
        samples=len(labelled),
        below=sum(outcomes),
    )


def history_window(today: datetime.date, quarters: int = 40) -> tuple[Quarter, Quarter]:
    last = Quarter.containing(today).previous()
    return Quarter.from_index(last.index - quarters + 1), last


@transaction.atomic
def early_warning_refit(
    *, actor: Person | None, today: datetime.date, examples: list[Example] | None = None
) -> EarlyWarningModel:
    """Fit on every past quarter, store the fit and each program's chance for the quarter under way. `examples`:
    the history, when the caller read it already (the command reads it on the replica, outside this transaction)."""
    first, last = history_window(today)
    examples = history(first, last) if examples is None else examples
    fitted = fit(examples)
    row = EarlyWarningModel.objects.create(
        definition_code=DEFAULT_CODE,
        threshold=THRESHOLD,
        features=[i.key for i in INDICATORS],
        coefficients=fitted.coefficients,
        intercept=fitted.intercept,
        means=fitted.means,
        scales=fitted.scales,
        quarters_used=[str(q) for q in fitted.quarters],
        samples=fitted.samples,
        below=fitted.below,
        fitted_at=timezone.now(),
    )
    latest = [e for e in examples if e.quarter == last]
    EarlyWarningScore.objects.bulk_create(
        EarlyWarningScore(
            model=row,
            program_id=e.program_id,
            year=Quarter.from_index(last.index + 1).year,
            quarter=Quarter.from_index(last.index + 1).quarter,
            chance=fitted.chance(e.values),
            reasons=fitted.reasons(e.values),
            last_rate=Decimal(f"{e.rate:.1f}"),
        )
        for e in latest
    )
    audit_record(
        actor=actor,
        action="early_warning.refit",
        obj=row,
        summary=f"Early warning refitted on {fitted.samples} program-quarters; {len(latest)} programs scored",
        detail={"quarters": len(fitted.quarters), "samples": fitted.samples, "below": fitted.below},
    )
    return row


@dataclass(frozen=True)
class BacktestQuarter:
    quarter: Quarter  # the quarter predicted
    programs: int
    below: int  # programs that fell below
    warned: int
    caught: int  # warned and fell below

    @property
    def precision(self) -> float | None:
        return self.caught / self.warned if self.warned else None

    @property
    def recall(self) -> float | None:
        return self.caught / self.below if self.below else None


def backtest(examples: list[Example], quarters: int = 8) -> list[BacktestQuarter]:
    """For each of the last `quarters` predictable quarters: fit on the examples whose outcome was known
    before it, predict it from the quarter before, and count the warnings that came true."""
    labelled = [e for e in examples if e.below_next is not None]
    targets = sorted({e.quarter.index + 1 for e in labelled})[-quarters:]
    results = []
    for target in targets:
        # Known before the target quarter: examples whose next quarter ended before it.
        train = [e for e in labelled if e.quarter.index + 1 < target]
        test = [e for e in labelled if e.quarter.index + 1 == target]
        try:
            fitted = fit(train)
        except ValueError:
            continue  # too early: the history before it holds one outcome only
        warned = [e for e in test if fitted.chance(e.values) >= WARN_AT]
        results.append(
            BacktestQuarter(
                quarter=Quarter.from_index(target),
                programs=len(test),
                below=sum(1 for e in test if e.below_next),
                warned=len(warned),
                caught=sum(1 for e in warned if e.below_next),
            )
        )
    return results


def current_model() -> EarlyWarningModel | None:
    return EarlyWarningModel.objects.order_by("-fitted_at", "-pk").first()


def scores_for(model: EarlyWarningModel, programs: Iterable[Program] | None = None) -> list[EarlyWarningScore]:
    scores = model.scores.select_related("program", "program__state")
    if programs is not None:
        scores = scores.filter(program__in=programs)
    return list(scores.order_by("-chance", "program__name", "program_id"))
