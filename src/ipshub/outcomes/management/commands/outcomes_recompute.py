import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.outcomes.bench import recompute_figure
from ipshub.outcomes.sources import history_loader, recompute_all


class Command(BaseCommand):
    help = "Recompute every open (draft or returned) computed quarterly report from the client records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--measure",
            action="store_true",
            help="Time a recompute of every current report (as if all were open computed drafts) and roll it "
            "back: changes nothing; prints the time and the national-scale extrapolation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        loader = history_loader()
        if loader is None:
            raise CommandError(
                "No client-record loader is registered, so there is nothing to compute from "
                "(see ipshub/outcomes/sources.py). Submitted reports are unaffected."
            )
        if options["measure"]:
            for line in recompute_figure(loader).lines():
                self.stdout.write(line)
            return
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done} of {total} report(s)")

        count = recompute_all(loader, progress=progress)
        self.stdout.write(f"Recomputed {count} report(s) in {time.perf_counter() - started:.2f} s.")
