from django.apps import AppConfig

from ipshub.api import schema  # noqa: F401  (registers the token scheme with drf-spectacular; it needs no models)


class ApiConfig(AppConfig):
    name = "ipshub.api"
    verbose_name = "REST API"
