from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _translate_scales(sender: Any, **kwargs: Any) -> None:
    """An edited scale-2008.<lang>.yaml reaches the loaded scales at the next `ipshub migrate` (a deploy)."""
    from ipshub.fidelity.scales import scale_translate

    scale_translate()


class FidelityConfig(AppConfig):
    name = "ipshub.fidelity"
    verbose_name = "Fidelity reviews"

    def ready(self) -> None:
        # Registers the seed file's translations with the catalog's translation check (catalog.W001).
        from ipshub.fidelity import scales  # noqa: F401

        post_migrate.connect(_translate_scales, sender=self, dispatch_uid="ipshub.fidelity.translate_scales")
