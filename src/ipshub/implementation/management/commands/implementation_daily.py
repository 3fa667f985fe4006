"""Daily: programs whose kick-off date has come start implementation (when their set-up is complete), and
every program's responsibilities follow the work (new periods open, ended ones fall due; `ipshub reconcile`).

Run it from cron or a systemd timer once a day: `ipshub implementation_daily`.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.services import kickoffs_due
from ipshub.tenancy.models import Program


class Command(BaseCommand):
    help = "Start implementation for programs whose kick-off date has come."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today={options['today']!r} is not a date like 2026-01-31.") from None
        moved = kickoffs_due(today)
        self.stdout.write(f"{moved} program(s) started implementation.")
        changes = assignments_reconcile(Program.objects.values_list("pk", flat=True), today)
        self.stdout.write(
            f"Responsibilities: {changes.created} assigned, {changes.closed} closed by the work recorded, "
            f"{changes.reopened} reopened, {changes.superseded} superseded."
        )
