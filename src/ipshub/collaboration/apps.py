from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "ipshub.collaboration"
    verbose_name = "Meetings, training and technical assistance"

    def ready(self) -> None:
        # Registers the seed file's translations with the catalog's translation check (catalog.W001).
        from ipshub.collaboration import training  # noqa: F401
