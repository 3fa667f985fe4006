from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ipshub.lib.replica import replica_reads
from ipshub.outcomes import early_warning


def _share(value: float | None) -> str:
    return "   —" if value is None else f"{100 * value:3.0f}%"


class Command(BaseCommand):
    help = (
        "The early warning of programs falling below a 31% employment rate next quarter: --refit fits the "
        "logistic regression on the install's quarters and scores every program (run it from cron after the "
        "quarter's reports are accepted); --backtest prints how it would have warned in past quarters."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--refit", action="store_true", help="Fit again and store every program's chance.")
        parser.add_argument(
            "--backtest",
            action="store_true",
            help="Precision and recall per past quarter (each trained on those before it).",
        )
        parser.add_argument("--quarters", type=int, default=8, help="How many past quarters the backtest predicts.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["refit"] or options["backtest"]):
            raise CommandError("Say what to do: --refit, --backtest, or both.")
        today = timezone.localdate()
        if options["backtest"]:
            self._backtest(today, max(1, options["quarters"]))
        if options["refit"]:
            try:
                with replica_reads():  # the history is read before the fit's transaction, on the replica if any
                    examples = early_warning.history(*early_warning.history_window(today))
                model = early_warning.early_warning_refit(actor=None, today=today, examples=examples)
            except ValueError as exc:
                raise CommandError(f"Not fitted: {exc}") from None
            self.stdout.write(
                f"Fitted on {model.samples} program-quarters ({model.below} followed by a quarter below "
                f"{model.threshold}%), {len(model.quarters_used)} quarters; {model.scores.count()} programs scored."
            )

    def _backtest(self, today: Any, quarters: int) -> None:
        first, last = early_warning.history_window(today)
        with replica_reads():  # the whole history: read on the replica when there is one
            examples = early_warning.history(first, last)
        results = early_warning.backtest(examples, quarters)
        if not results:
            raise CommandError("Too little history to backtest: no past quarter has both outcomes before it.")
        self.stdout.write(f"Warning at a chance of {100 * early_warning.WARN_AT:.0f}% or more of a rate below 31%")
        self.stdout.write("quarter   programs  below  warned  caught  precision  recall")
        totals = [0, 0, 0, 0]
        for row in results:
            self.stdout.write(
                f"{row.quarter!s:<9} {row.programs:8d} {row.below:6d} {row.warned:7d} {row.caught:7d}"
                f"      {_share(row.precision)}    {_share(row.recall)}"
            )
            for i, n in enumerate((row.programs, row.below, row.warned, row.caught)):
                totals[i] += n
        overall = early_warning.BacktestQuarter(results[0].quarter, *totals)
        self.stdout.write(
            f"{'all':<9} {totals[0]:8d} {totals[1]:6d} {totals[2]:7d} {totals[3]:7d}"
            f"      {_share(overall.precision)}    {_share(overall.recall)}"
        )
