"""`ipshub compile-translations`: write each language's .mo beside its .po (scripts/setup runs it)."""

from typing import Any

from django.core.management.base import BaseCommand

from ipshub.lib import translations


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # runs in scripts/setup, before any configuration
    help = "Compile the interface's translations (locale/<lang>/LC_MESSAGES/django.po) into .mo files."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in translations.compile_all():
            self.stdout.write(f"compiled {path.relative_to(translations.PACKAGE_DIR)}")
