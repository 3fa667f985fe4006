import time
import tracemalloc
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        tracemalloc.start()
        started = time.perf_counter()
        counts = generate(scale, seed=options["seed"], progress=self.stdout.write)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"Done in {time.perf_counter() - started:.1f} s, peak Python memory {peak / 2**20:.0f} MB: "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
        )
