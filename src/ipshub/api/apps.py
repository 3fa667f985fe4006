from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ipshub.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from ipshub.api import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
