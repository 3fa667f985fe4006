"""The interface's translation files, in pure Python (Babel), so no GNU gettext is needed anywhere.

- `extract()` reads every marked string: `gettext`/`gettext_lazy`/`ngettext`/`pgettext`... in the Python code,
  `{% translate %}` and `{% blocktranslate %}` in the templates (Django's own `templatize`, the step its
  `makemessages` runs before xgettext, turns a template into calls Babel's Python extractor reads).
- `update_po()` merges that into each language's `locale/<lang>/LC_MESSAGES/django.po`, keeping every translation.
- `compile_all()` writes the `.mo` beside each `.po` (`ipshub compile-translations`, run by scripts/setup).
- `pseudo_catalog()` is the test-only pseudo-locale: every message wrapped in ⟦…⟧ (tests/lib/test_translations.py).
See docs/translations.md."""

import io
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import _match_messages_against_spec, extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "django"
# Babel's defaults plus Django's lazy and contextual variants.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
# Texts that are not in a gettext call but are shown translated: a function giving (message, location) pairs,
# registered by the app that owns them (the API's docs page registers its schema's summaries and descriptions,
# which drf-spectacular reads from docstrings and extend_schema). lib stays below the apps: they register here.
EXTRA_SOURCES: list[Callable[[], Iterable[tuple[str, str]]]] = []


def _sources() -> Iterator[tuple[Path, str]]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, "python"
    for path in sorted((PACKAGE_DIR / "templates").rglob("*.html")):
        yield path, "template"
    for path in sorted((PACKAGE_DIR / "templates").rglob("*.txt")):
        yield path, "template"


def _messages(path: Path, kind: str) -> Iterator[tuple[int, Any, list[str], str | None]]:
    text = path.read_text(encoding="utf-8")
    if kind == "template":
        if not re.search(r"{%\s*load\s[^%]*\bi18n\b", text):
            return
        from django.utils.translation.template import templatize

        # Dedented: Python's tokenizer (Babel's) refuses the template's indentation; lines keep their numbers.
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())
    # Babel's Python extractor, then its keyword specs applied (what its extract_from_file does for a file).
    source = io.BytesIO(text.encode("utf-8"))
    found_calls: Iterator[Any] = extract_python(source, KEYWORDS, [], {"encoding": "utf-8"})
    for lineno, funcname, messages, comments in found_calls:
        spec = KEYWORDS[funcname] or (1,)
        found = _match_messages_against_spec(
            lineno, list(messages) if isinstance(messages, list | tuple) else [messages], comments, source, spec
        )
        if found is not None:
            yield found


def extract() -> Catalog:
    """Every marked string of the product, with where it comes from."""
    catalog = Catalog(domain=DOMAIN, project="IPS Hub", charset="utf-8")
    for path, kind in _sources():
        where = str(path.relative_to(PACKAGE_DIR))
        for lineno, message, comments, context in _messages(path, kind):
            catalog.add(message, locations=[(where, lineno)], auto_comments=comments, context=context)
    for source in EXTRA_SOURCES:
        for message, where in source():
            catalog.add(message, locations=[(where, 0)])  # no line: Babel writes the location alone
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, language: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update_po(language: str, template: Catalog) -> Path:
    """Merge the extracted strings into the language's .po: new ones empty, gone ones dropped, translations
    kept (no fuzzy guesses: a changed English string is translated again, by a person)."""
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = read(path, language) if path.exists() else Catalog(locale=language, domain=DOMAIN, project="IPS Hub")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False  # the header: a new file's is "fuzzy" in Babel, which would hide nothing but reads wrong
    with path.open("wb") as f:
        write_po(f, catalog, width=116, sort_output=False, omit_header=False, include_previous=False)
    return path


def untranslated(catalog: Catalog) -> list[str]:
    """The entries of a catalog without a translation (or marked fuzzy, which gettext ignores)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def write_mo_file(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_mo(f, catalog)


def compile_all() -> list[Path]:
    """Write each language's .mo beside its .po."""
    written = []
    for language in languages():
        path = po_path(language)
        write_mo_file(read(path, language), path.with_suffix(".mo"))
        written.append(path.with_suffix(".mo"))
    return written


def _django_messages() -> list[Any]:
    # Django's own strings (month names, "Yes"/"No" of a yes-or-no select, the password change form's labels and
    # validators' help): bracketed too, since in a real language Django's catalogues translate them.
    import django
    from django.apps import apps

    root = Path(django.__file__).parent
    files = [root / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    for app in apps.get_app_configs():
        po = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if Path(app.path).is_relative_to(root) and po.exists():
            files.append(po)
    return [message for path in files for message in read(path, "en")]


def pseudo(text: str) -> str:
    return f"{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}"


def pseudo_catalog(language: str) -> Catalog:
    """Every string extracted, 'translated' by wrapping it in ⟦…⟧: text on a page outside the brackets was not
    translated (or is data)."""
    catalog = Catalog(locale="en", domain=DOMAIN)
    for message in [*extract(), *_django_messages()]:
        if not message.id:
            continue
        if isinstance(message.id, list | tuple):
            string: Any = tuple(pseudo(m) for m in message.id)
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, context=message.context)
    del language
    return catalog
