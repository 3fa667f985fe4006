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
from typing import Any
from urllib.parse import urlencode

from django.db.models import BooleanField, F, Func, IntegerField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

SEARCHES = "client_searches"
KEEP_LAST = 20


def search_redirect(
    request: HttpRequest, url_name: str, keep: tuple[str, ...] = (), url_kwargs: dict[str, Any] | None = None
) -> HttpResponse:
    """After the search form's POST: remember the term, redirect to the list with ?s=<key>."""
    query = request.POST.get("q", "").strip()[:100]
    params = {k: request.POST[k] for k in keep if request.POST.get(k)}
    if query:
        key = secrets.token_urlsafe(6)
        searches = dict(request.session.get(SEARCHES, {}))
        searches[key] = query
        request.session[SEARCHES] = dict(list(searches.items())[-KEEP_LAST:])
        params["s"] = key
    url = reverse(url_name, kwargs=url_kwargs)
    return redirect(f"{url}?{urlencode(params)}" if params else url)


def remembered_search(request: HttpRequest) -> str:
    """The term behind ?s=<key> (empty when there is none, or it belonged to another session)."""
    key = request.GET.get("s", "")
    return str(request.session.get(SEARCHES, {}).get(key, "")) if key else ""


# --- The site search's results and their ranking ----------------------------------------------------
# The site search (web/search.py) asks the foundation and each area's `search.py` for what matches; they
# all rank rows the same way, in the database, so the best matches survive the per-kind limit.

EXACT, STARTS, WORD_STARTS, CONTAINS = range(4)
# Characters after which a word starts inside a name ("Red Cedar", "Cedar-Lake", "Jobs/Training", "(DVR)").
WORD_BREAKS = (" ", "-", "/", "(")


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


SPACE = " || ' ' || "  # SQL: joins two texts with a space between
ESCAPE = "ESCAPE '\\'"  # SQL: the escape character of prep_for_like_query (SQLite has none by default)
# A name is a field path, or several joined by a space (("first_name", "last_name"): the full name).
Name = str | tuple[str, ...]


@dataclass(frozen=True)
class NameMatch:
    """How rows match a search: `rows.filter(m.condition).annotate(search_rank=m.rank)` (spelled out where it
    is used, so the type checker sees the annotation)."""

    condition: "SearchCondition"
    rank: "SearchRank"


def name_match(query: str, *, names: Sequence[Name], also: Sequence[str] = (), exact: Sequence[str] = ()) -> NameMatch:
    """A row matches when every word of the query is in one of its `names` or `also` fields (case-insensitive),
    or when the whole query equals one of its `exact` fields (a record number). Its rank is how the whole
    query meets the best of its names: equal to one (EXACT, or an `exact` field), the start of one (STARTS),
    the start of a word inside one (WORD_STARTS), or anywhere (CONTAINS)."""
    query = " ".join(query.split()).lower()
    return NameMatch(
        condition=SearchCondition(query, names=names, also=also, exact=exact),
        rank=SearchRank(query, names=names, exact=exact),
    )


class _Searched(Func):
    """SQL over the searched fields, written once for PostgreSQL and SQLite: `LOWER(x) LIKE %s ESCAPE '\\'`
    and `||` mean the same on both. Why not Django's lookups: a search asks a dozen questions of the same few
    fields, and building that SQL from lookups and `Concat` took longer than running it (6 ms a query, against
    under 1 ms this way). Each field is a source expression, compiled once, whatever the joins it needs."""

    def __init__(self, query: str, fields: list[str], **extra: Any) -> None:
        self.query = query
        self.fields = fields
        super().__init__(*(F(f) for f in fields), **extra)

    def columns(self, compiler: Any) -> dict[str, str]:
        """Each field's column, as the query's joins name it."""
        compiled = [compiler.compile(source) for source in self.get_source_expressions()]
        if any(params for _, params in compiled):
            raise ValueError("Searched fields are columns: they take no parameters.")
        return {field: sql for field, (sql, _) in zip(self.fields, compiled, strict=True)}

    @staticmethod
    def text(columns: dict[str, str], name: Name) -> str:
        parts = [name] if isinstance(name, str) else list(name)
        return SPACE.join(f"COALESCE({columns[p]}, '')" for p in parts)

    @staticmethod
    def like(connection: Any, before: str, value: str, after: str) -> str:
        escaped: str = connection.ops.prep_for_like_query(value)
        return before + escaped + after


def _fields(*groups: Sequence[Name]) -> list[str]:
    found: list[str] = []
    for group in groups:
        for name in group:
            for path in [name] if isinstance(name, str) else name:
                if path not in found:
                    found.append(path)
    return found


class SearchCondition(_Searched):
    """Every word of the query in one of the fields (their text joined by spaces), or the whole query equal
    to an `exact` field."""

    output_field = BooleanField()

    def __init__(self, query: str, *, names: Sequence[Name], also: Sequence[str], exact: Sequence[str]) -> None:
        self.names, self.also, self.exact = list(names), list(also), list(exact)
        super().__init__(query, _fields(names, also, exact))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        columns = self.columns(compiler)
        # Each field once (a name that joins fields repeats none of them).
        text = "LOWER(" + SPACE.join(self.text(columns, f) for f in _fields(self.names, self.also)) + ")"
        words = [f"{text} LIKE %s {ESCAPE}" for _ in self.query.split()]
        params: list[Any] = [self.like(connection, "%", w, "%") for w in self.query.split()]
        clauses = [" AND ".join(words)]
        for field in self.exact:
            clauses.append(f"LOWER({columns[field]}) = %s")
            params.append(self.query)
        return "(" + " OR ".join(f"({c})" for c in clauses) + ")", params


class SearchRank(_Searched):
    """EXACT, STARTS, WORD_STARTS or CONTAINS: how the whole query meets the best of the names."""

    output_field = IntegerField()

    def __init__(self, query: str, *, names: Sequence[Name], exact: Sequence[str]) -> None:
        self.names, self.exact = list(names), list(exact)
        super().__init__(query, _fields(names, exact))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        columns = self.columns(compiler)
        texts = [f"LOWER({self.text(columns, n)})" for n in self.names]
        joined = "' ' || LOWER(" + SPACE.join(self.text(columns, f) for f in _fields(self.names)) + ")"
        equal = [f"{t} = %s" for t in texts] + [f"LOWER({columns[f]}) = %s" for f in self.exact]
        starts = [f"{t} LIKE %s {ESCAPE}" for t in texts]
        word_starts = [f"({joined}) LIKE %s {ESCAPE}" for _ in WORD_BREAKS]
        params: list[Any] = [self.query] * len(equal)
        params += [self.like(connection, "", self.query, "%")] * len(starts)
        params += [self.like(connection, "%" + mark, self.query, "%") for mark in WORD_BREAKS]
        sql = (
            f"CASE WHEN {' OR '.join(equal)} THEN {EXACT} WHEN {' OR '.join(starts)} THEN {STARTS} "
            f"WHEN {' OR '.join(word_starts)} THEN {WORD_STARTS} ELSE {CONTAINS} END"
        )
        return sql, params


def search_preset(term: str) -> tuple[str, dict[str, Any]]:
    """A remembered search made without its form (`ipshub bench`): the query string that names it, and
    what the session must hold for it."""
    key = "preset-" + hashlib.sha256(term.encode()).hexdigest()[:8]
    return f"?s={key}", {SEARCHES: {key: term}}
