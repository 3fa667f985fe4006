from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.lib.backup import NATIVE_FORMAT, BackupError, open_backup, restore_backup
from ipshub.lib.pg_backup import restore_pg_backup


class Command(BaseCommand):
    help = "Restore a backup into a new, empty database, then verify row counts and checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file written by `ipshub backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"{source} does not exist.")
        try:
            tar, manifest = open_backup(source)
            with tar:
                restore = restore_pg_backup if manifest["format"] == NATIVE_FORMAT else restore_backup
                checks = restore(tar, manifest, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        failed = [c for c in checks if not c.matches]
        tables, rows = len(checks), sum(c.rows for c in checks)
        if failed:
            for check in failed:
                self.stderr.write(f"MISMATCH {check.label}: {check.rows} rows restored, {check.expected_rows} expected")
            raise CommandError(f"Restore verification failed for {len(failed)} of {tables} tables.")
        self.stdout.write(
            self.style.SUCCESS(f"Restored and verified {tables} tables, {rows} rows: counts and checksums match.")
        )
