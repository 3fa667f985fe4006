"""Where computed reports get their client histories: a switchable loader.

The client records live in another area. At merge, that area registers a loader here:

    from ipshub.outcomes.sources import register_history_loader
    register_history_loader(load_histories)

`load_histories(program_ids, first_day, last_day)` returns {program_id: iterable of ClientHistory} for
every client of those programs whose enrollment touches [first_day, last_day] (or who entered in it),
in a fixed number of queries (bulk, not per program). Without a loader, the "computed" source is off:
reports are entered or uploaded, and `ipshub outcomes_recompute` says so and changes nothing.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.metrics import ClientHistory, Quarter, compute_quarters
from ipshub.outcomes.models import EDITABLE, QuarterlyReport, Source

HistoryLoader = Callable[[list[int], datetime.date, datetime.date], Mapping[int, Iterable[ClientHistory]]]

_loader: HistoryLoader | None = None
FIGURES = (
    "served",
    "worked",
    "in_education",
    "job_starts",
    "job_endings",
    "new_clients",
    "new_with_contact_30d",
    "avg_weekly_hours",
    "avg_hourly_wage",
)


def register_history_loader(loader: HistoryLoader | None) -> None:
    global _loader
    _loader = loader


def history_loader() -> HistoryLoader | None:
    return _loader


def computed_source_enabled() -> bool:
    return _loader is not None


@transaction.atomic
def recompute_all(loader: HistoryLoader, *, batch: int = 2000) -> int:
    """Recompute every computed report that is still open (draft or returned): accepted reports are locked.
    One loader call for all programs and the whole span, one pass per program and definition over its
    histories, and bulk updates. Generated work, not a person's action: it is not audited row by row."""
    reports = list(
        QuarterlyReport.objects.filter(source=Source.COMPUTED, status__in=EDITABLE, is_current=True).order_by(
            "program_id"
        )
    )
    if not reports:
        return 0
    quarters = [Quarter(r.year, r.quarter) for r in reports]
    first = min(quarters, key=lambda q: q.index).first_day
    last = max(quarters, key=lambda q: q.index).last_day
    histories = loader(sorted({r.program_id for r in reports}), first, last)
    groups: dict[tuple[int, str], list[QuarterlyReport]] = {}
    for report in reports:
        groups.setdefault((report.program_id, report.definition_code), []).append(report)
    now = timezone.now()
    for (program_id, code), items in groups.items():
        definition = catalog().latest(code)
        people = list(histories.get(program_id, ()))
        figures = compute_quarters(people, [Quarter(r.year, r.quarter) for r in items], definition)
        for report in items:
            result = figures[Quarter(report.year, report.quarter)]
            for name in FIGURES:
                setattr(report, name, getattr(result, name))
            report.definition_version = definition.version
            report.computed_at = now
    QuarterlyReport.objects.bulk_update(reports, [*FIGURES, "definition_version", "computed_at"], batch_size=batch)
    return len(reports)
