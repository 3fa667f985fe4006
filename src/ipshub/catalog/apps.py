from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ipshub.catalog"
    verbose_name = "Roadmap and roles catalog"

    def ready(self) -> None:
        # The translation check (catalog.W001), and the roadmap and roles files it checks.
        from ipshub.catalog import checks, services  # noqa: F401
