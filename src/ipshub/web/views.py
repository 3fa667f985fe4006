import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ipshub.audit.middleware import unrecorded_response
from ipshub.audit.services import AuditWriteFailed
from ipshub.lib.searches import remembered_search, search_redirect
from ipshub.lib.signed_in import person_of
from ipshub.tenancy.access import non_tenant_view
from ipshub.web.home import home_for, more_for
from ipshub.web.search import MAX_LENGTH, MIN_LENGTH, PER_KIND
from ipshub.web.search import search as search_for


@non_tenant_view
def home(request: HttpRequest) -> HttpResponse:
    # Everything on the home page is read through the access layer inside home_for().
    return render(request, "web/home.html", {"page": home_for(person_of(request))})


@non_tenant_view
def home_more(request: HttpRequest) -> HttpResponse:
    """The rest of the home page, which the page loads once it is shown (htmx); without JavaScript, a page of
    its own. Read through the access layer inside more_for()."""
    template = "web/_home_more.html" if request.headers.get("HX-Request") == "true" else "web/home_more.html"
    response = render(request, template, {"more": more_for(person_of(request))})
    patch_vary_headers(response, ["HX-Request"])
    return response


@non_tenant_view
def search(request: HttpRequest) -> HttpResponse:
    # The box POSTs: the term is kept in the session and the URL carries only a random key (lib/searches.py),
    # so names typed here never reach access logs, browser history or proxies.
    if request.method == "POST":
        return search_redirect(request, "search")
    # Every provider in web/search.py reads through the access layer with the signed-in person.
    query = remembered_search(request)[:MAX_LENGTH]
    found = search_for(person_of(request), query)
    return render(
        request,
        "web/search.html",
        {
            "q": query,
            "site_search_term": query,
            "found": found,
            "too_short": 0 < len(query.strip()) < MIN_LENGTH,
            "per_kind": PER_KIND,
        },
    )


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers without touching tenant data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request: HttpRequest) -> HttpResponse:
    """The bare "hello world" page `ipshub bench` compares every page against: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. While the database is down people get a clear 503 page instead of an error; the page
    needs no database (no request context). Django's connection health checks reconnect on the next
    request once the database is back, so no restart is needed."""
    error = sys.exc_info()[1]
    if isinstance(error, AuditWriteFailed):  # raised outside a view (e.g. by a middleware or signal)
        return unrecorded_response(request)
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
