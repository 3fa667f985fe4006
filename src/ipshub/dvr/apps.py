from django.apps import AppConfig


class DvrConfig(AppConfig):
    name = "ipshub.dvr"
    verbose_name = "DVR authorizations, deliverable reports and billing"

    def ready(self) -> None:
        # Registers the seed file's translations with the catalog's translation check (catalog.W001).
        from ipshub.dvr import rules  # noqa: F401
