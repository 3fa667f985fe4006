from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ipshub.lib.backup import create_backup


class Command(BaseCommand):
    help = "Write a verified backup (data and uploaded files) to a .tar.gz file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=".", help="A file name, or a folder for a dated file (default: .)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = create_backup(Path(options["output"]), progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
