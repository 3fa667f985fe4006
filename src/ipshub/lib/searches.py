"""Searching (client lists, the site search) without putting names in URLs.

A name typed into a search box would otherwise travel in the query string, and from there into access
logs, browser history and proxies. So the search form POSTs; the term is kept in the session under a
random key; the list's URL carries only ?s=<key> and the non-identifying filters (status, ids).

Also what every search provider of the site search shares: the result (`SearchResult`) and one way of
finding and ranking rows by name (`name_match`)."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

SEARCHES = "client_searches"
KEEP_LAST = 20


def search_redirect(request: HttpRequest, url_name: str, keep: tuple[str, ...] = ()) -> HttpResponse:
    """After the search form's POST: remember the term, redirect to the list with ?s=<key>."""
    query = request.POST.get("q", "").strip()[:100]
    params = {k: request.POST[k] for k in keep if request.POST.get(k)}
    if query:
        key = secrets.token_urlsafe(6)
        searches = dict(request.session.get(SEARCHES, {}))
        searches[key] = query
        request.session[SEARCHES] = dict(list(searches.items())[-KEEP_LAST:])
        params["s"] = key
    url = reverse(url_name)
    return redirect(f"{url}?{urlencode(params)}" if params else url)


def remembered_search(request: HttpRequest) -> str:
    """The term behind ?s=<key> (empty when there is none, or it belonged to another session)."""
    key = request.GET.get("s", "")
    return str(request.session.get(SEARCHES, {}).get(key, "")) if key else ""


# --- The site search's results and their ranking ----------------------------------------------------
# The site search (web/search.py) asks the foundation and each area's `search.py` for what matches; they
# all rank rows the same way, in the database, so the best matches survive the per-kind limit.

EXACT, STARTS, WORD_STARTS, CONTAINS = range(4)
# Characters after which a word starts inside a name ("Red Cedar", "Cedar-Lake", "O'Neil", "Jobs/Training").
WORD_BREAKS = (" ", "-", "'", "/", "(")


@dataclass(frozen=True)
class SearchResult:
    """One thing found, as the search page shows it."""

    kind: str  # what it is, shown on the result: "Client", "Employer", "Program"...
    title: str
    url: str
    detail: str = ""
    rank: int = CONTAINS  # how well the term matched its name: EXACT, STARTS, WORD_STARTS or CONTAINS
    # Among results that matched as well, which kinds come first (lower first): the shell sorts by
    # (rank, order) and keeps each provider's own order (name or recency) within.
    order: int = 50


@dataclass(frozen=True)
class NameMatch:
    """How rows match a search, for `rows.alias(**m.aliases).filter(m.condition).annotate(search_rank=m.rank)`
    (spelled out where it is used, so the type checker sees the annotation)."""

    aliases: dict[str, Any]  # the expressions among the names, by the alias the condition and rank use
    condition: Q
    rank: Case


def name_match(
    query: str,
    *,
    names: Sequence[str | Combinable],
    also: Sequence[str] = (),
    exact: Sequence[str] = (),
) -> NameMatch:
    """A row matches when every word of the query is in one of its `names` or `also` fields (case-insensitive),
    or when the whole query equals one of its `exact` fields (a record number). Its rank is how the whole
    query meets the best of its names: equal to one (EXACT, or an `exact` field), the start of one (STARTS),
    the start of a word inside one (WORD_STARTS), or anywhere (CONTAINS). `names` are field paths or
    expressions (a first and last name put together). Plain `icontains`/`istartswith` lookups: the same on
    PostgreSQL and SQLite."""
    query = " ".join(query.split())
    aliases: dict[str, Any] = {}
    name_fields: list[str] = []
    for index, name in enumerate(names):
        if isinstance(name, str):
            name_fields.append(name)
        else:
            aliases[f"search_name_{index}"] = name
            name_fields.append(f"search_name_{index}")

    def any_field(fields: Sequence[str], lookup: str, value: str) -> Q:
        return reduce(or_, (Q(**{f"{f}__{lookup}": value}) for f in fields), Q(pk__in=[]))

    every_word = reduce(and_, (any_field([*name_fields, *also], "icontains", w) for w in query.split()), Q())
    whole = any_field(exact, "iexact", query)
    word_start = reduce(or_, (any_field(name_fields, "icontains", mark + query) for mark in WORD_BREAKS))
    rank = Case(
        When(any_field(name_fields, "iexact", query) | whole, then=Value(EXACT)),
        When(any_field(name_fields, "istartswith", query), then=Value(STARTS)),
        When(word_start, then=Value(WORD_STARTS)),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )
    return NameMatch(aliases=aliases, condition=every_word | whole, rank=rank)


def search_preset(term: str) -> tuple[str, dict[str, Any]]:
    """A remembered search made without its form (`ipshub bench`): the query string that names it, and
    what the session must hold for it."""
    key = "preset-" + hashlib.sha256(term.encode()).hexdigest()[:8]
    return f"?s={key}", {SEARCHES: {key: term}}
