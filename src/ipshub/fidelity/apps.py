from typing import Any

from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db.models.signals import post_migrate


def _translate_scales(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """An edited scale-2008.<lang>.yaml reaches the loaded scales at the next `ipshub migrate` (a deploy). With
    the migrated state's models: after a migration back past 0008_translations there is nothing to translate."""
    from ipshub.fidelity.scales import scale_translate

    get_model = apps.get_model if apps is not None else django_apps.get_model
    if any(f.name == "translations" for f in get_model("fidelity", "FidelityScale")._meta.get_fields()):
        scale_translate(get_model)


class FidelityConfig(AppConfig):
    name = "ipshub.fidelity"
    verbose_name = "Fidelity reviews"

    def ready(self) -> None:
        # Registers the seed file's translations with the catalog's translation check (catalog.W001).
        from ipshub.fidelity import scales  # noqa: F401

        post_migrate.connect(_translate_scales, sender=self, dispatch_uid="ipshub.fidelity.translate_scales")
