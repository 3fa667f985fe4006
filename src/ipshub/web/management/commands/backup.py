from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.lib.backup import BackupError, create_backup
from ipshub.lib.pg_backup import create_pg_backup, is_postgresql, time_against_pg_dump


class Command(BaseCommand):
    help = (
        "Write a verified backup (data and uploaded files). On PostgreSQL: pg_dump in custom format with every "
        "table's row count and checksum (.tar); on SQLite, or with --portable: the portable format (.tar.gz), "
        "which restores into either database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=".", help="A file name, or a folder for a dated file (default: .)")
        parser.add_argument(
            "--portable", action="store_true", help="Row by row, restorable into SQLite or PostgreSQL (slower)."
        )
        parser.add_argument(
            "--bench",
            action="store_true",
            help="PostgreSQL: also time `pg_dump -Fc` alone in the same run and print both figures.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        native = is_postgresql() and not options["portable"]
        if options["bench"] and not native:
            raise CommandError("--bench compares with pg_dump: it needs PostgreSQL and the native format.")
        try:
            if options["bench"]:
                plain, ours, path = time_against_pg_dump(output)
                self.stdout.write(
                    f"pg_dump -Fc alone: {plain:.2f} s; ipshub backup: {ours:.2f} s ({ours / plain:.1f}× pg_dump)"
                )
            elif native:
                path = create_pg_backup(output, progress=self.stdout.write)
            else:
                path = create_backup(output, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
