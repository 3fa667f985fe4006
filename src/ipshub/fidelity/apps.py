from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "ipshub.fidelity"
    verbose_name = "Fidelity reviews"

    def ready(self) -> None:
        # Registers the seed file's translations with the catalog's translation check (catalog.W001).
        from ipshub.fidelity import scales  # noqa: F401
