"""The product's URLs plus one API path whose view fails unexpectedly, for the 500 test: no product
view fails on purpose, so the test adds one rather than replacing any."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ipshub.urls import handler500
from ipshub.urls import urlpatterns as product_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an unexpected failure")


urlpatterns = [path("api/v1/test-failure/", fails), *product_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
