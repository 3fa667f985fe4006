"""The catalog translated as data: ``<seed>.<language>.yaml`` beside each seed file (docs/translations.md).

A translation file names, per entry key of its English file and per field, the English it translates and the
translation, so a reviewer reads the pair in a diff::

    language: es
    source: roadmap.yaml
    entries:
      ST01:                      # the entry's key (id, key or code) in the English file
        name:
          en: Assess readiness to implement
          es: Evaluar la preparación para implementar

A field's value may be a string, a list or a mapping (a fidelity item's anchors). The English file stays the
source of truth: a translation whose ``en`` is no longer the English text is *stale* and is not used (the English
is shown) until someone translates the new text; the system check ``catalog.W001`` and
tests/catalog/test_translations.py report missing and stale translations.

Each loader stores ``translate(...)`` on its rows as ``{language: {field: value}}`` (a JSONField ``translations``,
so showing a list of rows in Spanish costs no extra query); templates show a text with ``{{ row|local:"field" }}``
(templatetags/catalog_local.py), code with ``local(row, "field")``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "Coverage",
    "Texts",
    "coverage",
    "language_files",
    "local",
    "lookup",
    "register",
    "sources",
    "translate",
]

#: English texts of one seed file: entry key -> field -> value (string, list of strings or mapping).
Texts = Mapping[str, Mapping[str, Any]]
#: What a row stores: language -> field -> translated value.
RowTranslations = dict[str, dict[str, Any]]

_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]+)?$")
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_read: dict[tuple[str, int, int], dict[str, dict[str, dict[str, Any]]]] = {}


def language_files(source: Path) -> dict[str, Path]:
    """The translation files beside a seed file, by language: ``roadmap.es.yaml`` -> {"es": ...}."""
    # Looked up per displayed row of a state's copy (DVR services): the folder is listed again only when it changes.
    return dict(_language_files(source, source.parent.stat().st_mtime_ns))


@functools.lru_cache(maxsize=64)
def _language_files(source: Path, _folder_version: int) -> tuple[tuple[str, Path], ...]:
    found = []
    for path in sorted(source.parent.glob(f"{source.stem}.*{source.suffix}")):
        language = path.name[len(source.stem) + 1 : -len(source.suffix)]
        if _LANGUAGE_RE.match(language):
            found.append((language, path))
    return tuple(found)


def _entries(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """A translation file's entries (key -> field -> {"en": ..., language: ...}), parsed once per file version."""
    stat = path.stat()
    cache_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if cache_key not in _read:
        with path.open(encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=_SAFE_LOADER)
        entries = raw.get("entries") if isinstance(raw, Mapping) else None
        if not isinstance(entries, Mapping):
            raise ValueError(f"{path.name}: expected a mapping with 'language', 'source' and 'entries'")
        _read[cache_key] = {
            str(key): {str(name): dict(pair) for name, pair in (fields or {}).items() if isinstance(pair, Mapping)}
            for key, fields in entries.items()
        }
    return _read[cache_key]


def translate(source: Path, key: str, english: Mapping[str, Any]) -> RowTranslations:
    """One row's current translations, {language: {field: value}}, from the files beside its seed file.

    `english` is the row's own English text per field: a pair whose ``en`` differs (stale: the English changed
    after it was translated) and an empty translation are left out, so the row shows its English text."""
    out: RowTranslations = {}
    for language, path in language_files(source).items():
        pairs = _entries(path).get(key, {})
        for name, text in english.items():
            pair = pairs.get(name)
            if pair and pair.get("en") == text and pair.get(language):
                out.setdefault(language, {})[name] = pair[language]
    return out


def lookup(source: Path, key: str, name: str, english: Any, language: str | None = None) -> Any:
    """A text read from data that is not stored with translations (a state's copy of a seed file): the
    translation of `english` in the active language if the file beside `source` has a current one."""
    return local({name: english, "translations": translate(source, key, {name: english})}, name, language)


@dataclass
class Coverage:
    """How complete one language's translation of one seed file is."""

    source: str
    language: str
    total: int = 0
    missing: list[str] = field(default_factory=list)  # "key.field" with no translation
    stale: list[str] = field(default_factory=list)  # "key.field" whose `en` is no longer the English text
    unknown: list[str] = field(default_factory=list)  # keys of the translation file not in the English file

    @property
    def problems(self) -> int:
        return len(self.missing) + len(self.stale)


def coverage(source: Path, english: Texts, language: str) -> Coverage:
    """Count one language's missing and stale translations of a seed file."""
    result = Coverage(source=source.name, language=language)
    path = language_files(source).get(language)
    entries = _entries(path) if path else {}
    for key, fields in english.items():
        for name, text in fields.items():
            result.total += 1
            pair = entries.get(key, {}).get(name)
            if not pair or not pair.get(language):
                result.missing.append(f"{key}.{name}")
            elif pair.get("en") != text:
                result.stale.append(f"{key}.{name}")
    result.unknown = sorted(set(entries) - set(english))
    return result


# --------------------------------------------------------------------------- the seed files, for the check

_SOURCES: dict[str, Callable[[], tuple[Path, Texts]]] = {}


def register(name: str, texts: Callable[[], tuple[Path, Texts]]) -> None:
    """Make a seed file's translations checked: `texts` gives its path and English texts (called lazily)."""
    _SOURCES[name] = texts


def sources() -> dict[str, Callable[[], tuple[Path, Texts]]]:
    return dict(_SOURCES)


# --------------------------------------------------------------------------- display


def _translations_of(obj: Any) -> Mapping[str, Mapping[str, Any]] | None:
    if isinstance(obj, Mapping):
        return obj.get("translations")
    return getattr(obj, "translations", None)


def local(obj: Any, name: str, language: str | None = None) -> Any:
    """A catalog row's field in the active language (or `language`), else its English text."""
    from django.utils.translation import get_language  # the only Django use: the pure loaders stay pure

    english = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, "")
    language = language or get_language() or "en"
    if language == "en" or language.startswith("en-"):
        return english  # the seed texts are English: nothing to look up (home pages call this for every item)
    translations = _translations_of(obj)
    if not translations:
        return english
    for code in _candidates(language):
        value = translations.get(code, {}).get(name)
        if value:
            return value
    return english


def _candidates(language: str) -> Iterable[str]:
    language = language.lower().replace("_", "-")
    yield language
    if "-" in language:
        yield language.split("-")[0]
