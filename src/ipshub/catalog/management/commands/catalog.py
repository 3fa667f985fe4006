import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ipshub.catalog import seedfiles
from ipshub.catalog.services import catalog_load


class Command(BaseCommand):
    help = "Print the roadmap and roles catalog (--json), or load it into the database (--load)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the catalog as JSON.")
        parser.add_argument("--load", action="store_true", help="Load the catalog into the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["load"]:
            loaded = catalog_load()
            for document, was_loaded in loaded.items():
                self.stdout.write(f"{document}: {'loaded' if was_loaded else 'already current'}")
        if options["json"] or not options["load"]:
            self.stdout.write(json.dumps(seedfiles.catalog_as_dict(), indent=2, ensure_ascii=False))
