from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ipshub.tenancy.access import non_tenant_view
from ipshub.web.home import home_for


@non_tenant_view
def home(request: HttpRequest) -> HttpResponse:
    # Everything on the home page is read through the access layer inside home_for().
    return render(request, "web/home.html", {"page": home_for(request.user)})  # type: ignore[arg-type]


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers without touching tenant data."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request: HttpRequest) -> HttpResponse:
    """The bare "hello world" page `ipshub bench` compares every page against: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
