"""`ipshub token create USERNAME [--name NAME] [--expires YYYY-MM-DD]`: make a personal API token and print
its key once (only its digest is stored)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshub.api import services
from ipshub.tenancy.models import Person


class Command(BaseCommand):
    help = "Make a personal API token for a person and print its key (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token for USERNAME.")
        create.add_argument("username")
        create.add_argument("--name", default="Command-line token", help="What the token is for.")
        create.add_argument("--expires", default=None, help="Last day the token works, YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person = Person.objects.get(username__iexact=options["username"])
        except Person.DoesNotExist:
            raise CommandError(f"No person with the username '{options['username']}'.") from None
        expires_on = None
        if options["expires"]:
            try:
                expires_on = datetime.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError(f"'{options['expires']}' is not a date: use YYYY-MM-DD.") from None
        try:
            token, key = services.token_create(
                actor="command line", person=person, name=options["name"], expires_on=expires_on
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"Token '{token.name}' made for {person.get_username()}. Copy the key now: it is not shown again."
        )
        self.stdout.write(key)
