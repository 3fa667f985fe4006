"""The outcomes pages for `ipshub bench`, and the recompute figure (`ipshub outcomes_recompute --measure`)."""

import datetime
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.areakit.hooks import HistoryLoader
from ipshub.areakit.records import ClientHistory
from ipshub.outcomes.models import QuarterlyReport, Source, Status
from ipshub.outcomes.sources import recompute_all
from ipshub.tenancy.roles import Role

# The national scale (shared/design.md): 500 programs × 40 quarters, 100,000 clients.
NATIONAL_REPORTS = 500 * 40
NATIONAL_CLIENTS = 100_000


def pages(ctx: BenchContext) -> list[BenchPage]:
    lead = ctx.person(Role.STATE_LEAD).username
    result = [
        BenchPage("outcomes state dashboard (8 quarters)", reverse("outcomes:dashboard"), lead),
        BenchPage("outcomes state dashboard (40 quarters)", reverse("outcomes:dashboard") + "?quarters=40", lead),
        BenchPage("outcomes program page", reverse("outcomes:program", args=[ctx.program.pk]), lead),
    ]
    report = QuarterlyReport.objects.filter(program=ctx.program).order_by("-year", "-quarter").first()
    if report is not None:
        result.append(BenchPage("outcomes quarterly report", reverse("outcomes:report_detail", args=[report.pk]), lead))
    return result


@dataclass(frozen=True)
class RecomputeFigure:
    reports: int
    programs: int
    clients: int
    client_quarters: int  # people served, summed over the reports: one per client per quarter on the caseload
    seconds: float

    @property
    def national_seconds(self) -> float:
        """The national time extrapolated per client-quarter: this database's clients' quarters on the
        caseload per client, for 100,000 clients, at this run's cost per client-quarter; or per report when
        there are more reports than client-quarters to go by (the floor: one UPDATE row per report)."""
        if not self.client_quarters or not self.clients:
            return 0.0
        per_client = self.client_quarters / self.clients
        by_clients = self.seconds / self.client_quarters * per_client * NATIONAL_CLIENTS
        by_reports = self.seconds / max(1, self.reports) * NATIONAL_REPORTS
        return max(by_clients, by_reports)

    def lines(self) -> list[str]:
        rate = self.seconds / self.client_quarters * 1e6 if self.client_quarters else 0.0
        return [
            f"Recomputed {self.reports} report(s) of {self.programs} program(s) from {self.clients} clients "
            f"({self.client_quarters} client-quarters on the caseload) in {self.seconds:.2f} s "
            f"({rate:.1f} µs per client-quarter).",
            "National scale (500 programs × 40 quarters, 100,000 clients), extrapolated: "
            f"{self.national_seconds:.1f} s.",
        ]


def recompute_figure(loader: HistoryLoader) -> RecomputeFigure:
    """Time `recompute_all` over every current report in this database, as if every one were an open
    computed draft, in a transaction that is rolled back: it measures the real code on the real records and
    changes nothing."""
    clients: set[int] = set()

    def counting(program_ids: list[int], first: datetime.date, last: datetime.date) -> dict[int, list[ClientHistory]]:
        histories = {pid: list(items) for pid, items in loader(program_ids, first, last).items()}
        for items in histories.values():
            clients.update(h.client_id for h in items)
        return histories

    with transaction.atomic():
        QuarterlyReport.objects.filter(is_current=True).update(source=Source.COMPUTED, status=Status.DRAFT)
        started = time.perf_counter()
        count = recompute_all(counting)
        seconds = time.perf_counter() - started
        totals = QuarterlyReport.objects.filter(is_current=True).aggregate(
            served=Sum("served"), programs=Count("program", distinct=True)
        )
        transaction.set_rollback(True)
    return RecomputeFigure(count, totals["programs"] or 0, len(clients), totals["served"] or 0, seconds)
