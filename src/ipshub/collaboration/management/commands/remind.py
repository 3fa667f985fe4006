"""`ipshub remind`: the daily reminder digest (run it once a day from cron or a systemd timer)."""

import datetime
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ipshub.collaboration.digest import send_digests


class Command(BaseCommand):
    help = (
        "E-mail each person the reminders coming due (from every area) at the frequency they chose. "
        "Safe to run more than once: nothing is sent twice in the same digest period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--base-url",
            default=os.environ.get("IPSHUB_BASE_URL", "http://localhost:8000"),
            help="The address people open IPS Hub at, for the links (default $IPSHUB_BASE_URL).",
        )
        parser.add_argument("--user", action="append", help="Only this username (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must look like 2026-03-31, not {options['date']!r}.") from None
        result = send_digests(today, options["base_url"], only=options["user"])
        self.stdout.write(
            f"{today}: {result.emails} digest(s) sent with {result.items} item(s) to {result.people} "
            f"subscribed people; {result.skipped} item(s) already sent this period."
        )
