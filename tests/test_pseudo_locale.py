"""The pseudo-locale walk (issue #24): every GET page, as every role of the persona world, rendered in a
test-only language "qps" whose catalogue wraps each translated string in ⟦…⟧. Visible text left outside the
brackets was not marked for translation, unless it is data.

Data is recognised by value, not by markup: every text value stored in the database (names, notes, the
catalog's texts, ...) is removed from a text before it is judged, and so are numbers, dates' month and day
names (Django's, translated by Django's own catalogues) and punctuation. What still has two letters in a row is
an untranslated interface text. (Marking data in the templates would have to be kept up by hand on every
page; the database's values are always exactly what a page can show.)

Most pages are not marked yet, so the walk holds a RATCHET: tests/pseudo_locale_ratchet.json gives each page
(URL name) the number of distinct untranslated texts it may still show. A page showing more, or a page not in
the file showing any, fails; a page showing fewer fails too until its entry is lowered (the ratchet only goes
down): `IPSHUB_RATCHET_WRITE=1` rewrites the file from the walk."""

import bisect
import functools
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from ipshub.catalog import translations as catalog_translations
from ipshub.lib import translations
from tests.test_url_walk import INSIDERS, PUBLIC, REQUIRED_QUERY, is_api, object_ids, routes, url_for
from tests.world import World

RATCHET = Path(__file__).with_name("pseudo_locale_ratchet.json")
PSEUDO = "qps"
BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
FORMAT_WORDS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Mon|Tue|Wed|Thu|Fri|Sat|Sun|a\.m|p\.m|am|pm|midnight|noon|IPS Hub)\b\.?"
)
VISIBLE_ATTRIBUTES = ("placeholder", "aria-label", "alt", "title")
SKIPPED_ELEMENTS = {"script", "style", "template", "code", "pre", "textarea"}  # a textarea holds a value: data
# A sentence may hold inline markup (a link, an identifier in <code>): it is one translated message, so the text
# of a block is judged whole, across its inline elements. <code> holds identifiers (paths, field names), not text.
INLINE_ELEMENTS = {"a", "abbr", "b", "bdi", "br", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small"}
INLINE_ELEMENTS |= {"span", "strong", "sub", "sup", "time", "u", "var", "wbr"}


class VisibleText(HTMLParser):
    """The texts a person sees or hears: each block's text (inline elements inside it joined) and the
    attributes read out or shown."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skipping = 0
        self.block: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.block).split())
        if text:
            self.texts.append(text)
        self.block = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE_ELEMENTS:
            self.flush()
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1
        if tag not in INLINE_ELEMENTS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.block.append(" " if self.skipping else data)

    def close(self) -> None:
        super().close()
        self.flush()


def strings_in(value: Any) -> list[str]:
    """The texts in a stored value; a JSON field's too (the fidelity scale's anchors are catalog data)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [text for part in value for text in strings_in(part)]
    return []


def data_values() -> list[str]:
    """Every text stored in the database, and every English text of the catalog's seed files (shown through
    their translations, and in a state's copy not always stored), longest first."""
    values: set[str] = set()

    def add(value: str) -> None:
        if len(value) > 1:
            values.add(" ".join(value.split()))
            values.update(line.strip() for line in value.splitlines() if len(line.strip()) > 1)

    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in strings_in(row):
                add(value)
    for texts in catalog_translations.sources().values():
        _path, entries = texts()
        for value in strings_in([dict(fields) for fields in entries.values()]):
            add(value)
    return sorted(values, key=len, reverse=True)


def data_pattern(values: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(v) for v in values)) if values else re.compile(r"(?!x)x")


def untruncated(text: str, prefixes: list[str]) -> str:
    """A data text cut short for a list ("Agency focus on competitive employm…") is data too: the words before
    each "…" that begin a stored text are removed. `prefixes` is the data sorted, for a binary search."""
    while "…" in text:
        before, _, after = text.partition("…")
        starts = [0] + [m.end() for m in re.finditer(r"\s+", before)]
        for start in starts:
            candidate = before[start:].strip()
            at = bisect.bisect_left(prefixes, candidate)
            if len(candidate) >= 8 and at < len(prefixes) and prefixes[at].startswith(candidate):
                before = before[:start]
                break
        text = f"{before} \x00 {after}"
    return text.replace("\x00", " ")


@functools.lru_cache(maxsize=2)
def _compiled(data: tuple[str, ...]) -> tuple[re.Pattern[str], list[str]]:
    return data_pattern(list(data)), sorted(data)


def unbracketed(text: str) -> str:
    """The text without its translated parts; a translation may hold another (a date's month), so innermost first."""
    while (shorter := BRACKETED.sub(" ", text)) != text:
        text = shorter
    return text


def untranslated(html: str, data: list[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    found = set()
    pattern, prefixes = _compiled(tuple(data))
    for text in parser.texts:
        rest = FORMAT_WORDS.sub(" ", pattern.sub(" ", untruncated(unbracketed(text), prefixes)))
        for _code, name in settings.LANGUAGES:  # each language is named in itself, on purpose
            rest = rest.replace(name, " ")
        if re.search(r"[^\W\d_]{2}", rest):
            found.add(text)
    return found


@pytest.fixture
def pseudo_locale(settings: Any, tmp_path: Path) -> str:
    translations.write_mo_file(
        translations.pseudo_catalog(PSEUDO), tmp_path / PSEUDO / "LC_MESSAGES" / f"{translations.DOMAIN}.mo"
    )
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo-locale")]
    return PSEUDO


def walk(world: World, client_for) -> dict[str, set[str]]:
    ids = object_ids(world)
    data = data_values()
    clients = [client_for(world.people[name]) for name in INSIDERS]
    found: dict[str, set[str]] = {}
    for route in routes():
        if is_api(route) or route.name in PUBLIC - {"login"}:
            continue
        if route.name.startswith("audit:"):
            data = data_values()  # the audit log shows the events the walk itself recorded (data too)
        url = url_for(route, ids) + REQUIRED_QUERY.get(route.name, "")
        for client in clients:
            response = client.get(url, headers={"accept-language": PSEUDO})
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                found.setdefault(route.name, set()).update(untranslated(response.content.decode(), data))
    return found


@pytest.mark.once
@pytest.mark.django_db
def test_no_page_shows_more_untranslated_text_than_its_ratchet(world: World, client_for, pseudo_locale) -> None:
    found = walk(world, client_for)
    assert len(found) > 100, "the walk reached too few pages to be the walk"
    counts = {name: len(texts) for name, texts in sorted(found.items())}
    if os.environ.get("IPSHUB_RATCHET_WRITE"):
        RATCHET.write_text(json.dumps({k: v for k, v in counts.items() if v}, indent=1, sort_keys=True) + "\n")
    allowed: dict[str, int] = json.loads(RATCHET.read_text())
    problems = []
    for name, count in counts.items():
        limit = allowed.get(name, 0)
        if count > limit:
            shown = "; ".join(sorted(found[name])[:8])
            problems.append(f"{name}: {count} untranslated texts, {limit} allowed. Mark them: {shown}")
        elif count < limit:
            problems.append(f"{name}: {count} untranslated texts now; lower its entry from {limit} to {count}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_walk_sees_untranslated_text_and_not_data(world: World, pseudo_locale, client_for) -> None:
    """The positive control: a marked string is bracketed, an unmarked one is caught, data is not."""
    data = data_values()
    director = world.people["director"]
    nested = translations.pseudo(f"Sort {translations.pseudo('A to Z')}")
    html = f"<p>{translations.pseudo('Home')}</p><p>{director.last_name}</p><p>Not marked</p><img alt='Chart'>"
    html += f"<p>({nested})</p><p>{translations.pseudo('Sort')} by hand</p>"
    # A message with inline markup is judged whole; an identifier in <code> is not text.
    html += f"<p>{translations.pseudo('Answers <code>200</code> on <a>success</a>.')}</p><p>Send <code>id</code></p>"
    # A catalog text (not stored in this world) and one cut short are data; an interface text cut short is not.
    html += "<p>Initial IPS training for employment specialists and supervisors</p><p>Initial IPS training for emp…</p>"
    html += "<p>Nothing stored says…</p>"
    assert untranslated(html, data) == {"Not marked", "Chart", "⟦Sort⟧ by hand", "Send", "Nothing stored says…"}
    page = client_for(director).get("/accounts/", headers={"accept-language": PSEUDO}).content.decode()
    assert '<html lang="qps">' in page and "⟦Your account⟧" in page
    assert untranslated(page, data) == set()
