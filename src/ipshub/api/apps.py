from django.apps import AppConfig

from ipshub.api import schema  # noqa: F401  (registers the token scheme with drf-spectacular; it needs no models)


class ApiConfig(AppConfig):
    name = "ipshub.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from ipshub.api import docs
        from ipshub.lib import translations

        # The docs page's texts come from the schema (docstrings, extend_schema): extract-messages collects them.
        translations.EXTRA_SOURCES.append(docs.docs_messages)
