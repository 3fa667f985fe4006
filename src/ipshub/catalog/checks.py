"""System check: every seed file's translations are complete and current (docs/translations.md)."""

from typing import Any

from django.conf import settings
from django.core import checks

from ipshub.catalog import translations


def translation_problems() -> list[translations.Coverage]:
    """Per seed file and language other than English, the coverage of its translation, when not complete."""
    found = []
    for texts in translations.sources().values():
        source, english = texts()
        for language, _name in settings.LANGUAGES:
            if language != "en":
                coverage = translations.coverage(source, english, language)
                if coverage.problems or coverage.unknown:
                    found.append(coverage)
    return found


@checks.register()
def catalog_translations(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Warning(
            f"{c.source} in {c.language}: {len(c.missing)} missing, {len(c.stale)} stale (their English changed), "
            f"{len(c.unknown)} unknown entries of {c.total} texts; English is shown for them",
            hint=f"Translate {', '.join((c.missing + c.stale + c.unknown)[:5])} in the file beside {c.source} "
            f"(docs/translations.md, Catalog translations).",
            id="catalog.W001",
        )
        for c in translation_problems()
    ]
