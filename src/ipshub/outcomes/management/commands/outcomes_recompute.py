import time

from django.core.management.base import BaseCommand, CommandError

from ipshub.outcomes.sources import history_loader, recompute_all


class Command(BaseCommand):
    help = "Recompute every open (draft or returned) computed quarterly report from the client records."

    def handle(self, *args: object, **options: object) -> None:
        loader = history_loader()
        if loader is None:
            raise CommandError(
                "No client-record loader is registered, so there is nothing to compute from "
                "(see ipshub/outcomes/sources.py). Submitted reports are unaffected."
            )
        started = time.perf_counter()
        count = recompute_all(loader)
        self.stdout.write(f"Recomputed {count} report(s) in {time.perf_counter() - started:.2f} s.")
