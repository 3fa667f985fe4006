"""Searching (client lists, the site search) without putting names in URLs.

A name typed into a search box would otherwise travel in the query string, and from there into access
logs, browser history and proxies. So the search form POSTs; the term is kept in the session under a
random key; the list's URL carries only ?s=<key> and the non-identifying filters (status, ids)."""

import secrets
from urllib.parse import urlencode

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
