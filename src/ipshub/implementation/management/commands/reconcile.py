"""`ipshub reconcile`: bring the responsibilities of every program (or one) in line with the work recorded.

It runs by itself after each write that may fulfil a duty and daily in `ipshub implementation_daily`; run it by
hand after importing records outside the product, or after changing the catalog's fulfilment rules.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.tenancy.models import Program


class Command(BaseCommand):
    help = "Close, reopen, supersede and create responsibility assignments from the work recorded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", type=int, help="Only this program (its id).")
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today={options['today']!r} is not a date like 2026-01-31.") from None
        programs = Program.objects.all()
        if options.get("program") is not None:
            programs = programs.filter(pk=options["program"])
            if not programs.exists():
                raise CommandError(f"There is no program with id {options['program']}.")
        changes = assignments_reconcile(programs.values_list("pk", flat=True), today)
        self.stdout.write(
            f"{changes.created} assigned, {changes.closed} closed by the work recorded, {changes.reopened} "
            f"reopened, {changes.superseded} superseded, {changes.other} otherwise changed."
        )
