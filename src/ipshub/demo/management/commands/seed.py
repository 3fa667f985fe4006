import resource
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.areakit.bulk import analyze
from ipshub.catalog.services import catalog_load
from ipshub.demo.scale import SCALES, generate, scale_exists


class Command(BaseCommand):
    help = "Generate organizations, people and programs at county, state or national scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        catalog_load()
        if scale_exists(scale):
            raise CommandError(f"The {scale.name} scale data is already in this database; nothing was added.")
        self.stdout.write(f"Generating {scale.name} scale: {scale.programs} programs, {scale.states} state(s)...")
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"{time.perf_counter() - started:7.1f} s {message}")

        counts = generate(scale, seed=options["seed"], progress=progress)
        analyze()
        elapsed = time.perf_counter() - started
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
        self.stdout.write(f"Done in {elapsed:.1f} s, peak memory (max RSS) {_peak_rss_mb():.0f} MB.")


def _peak_rss_mb() -> float:
    """This process's peak resident memory: ru_maxrss is in KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
