"""`ipshub extract-messages`: update every language's .po with the strings marked in the code and templates."""

from typing import Any

from django.core.management.base import BaseCommand

from ipshub.lib import translations


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # runs in scripts/setup, before any configuration
    help = (
        "Collect the strings marked for translation (Python and templates) into each locale/<lang>/LC_MESSAGES/"
        "django.po, keeping the translations already there; --language adds a language's file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--language", action="append", default=[], help="Also start this language's file.")

    def handle(self, *args: Any, **options: Any) -> None:
        template = translations.extract()
        for language in sorted({*translations.languages(), *options["language"]} - {"en"}):
            path = translations.update_po(language, template)
            missing = len(translations.untranslated(translations.read(path, language)))
            self.stdout.write(f"{path.relative_to(translations.PACKAGE_DIR)}: {missing} to translate")
