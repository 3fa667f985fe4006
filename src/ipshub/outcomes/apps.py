from django.apps import AppConfig
from django.db.models.signals import post_migrate

from ipshub.lib.cache import prepare_cache


class OutcomesConfig(AppConfig):
    name = "ipshub.outcomes"
    verbose_name = "Quarterly outcomes, goals and benchmarks"

    def ready(self) -> None:
        # One of the three imports inside a function: the cache invalidation needs the models loaded.
        from ipshub.outcomes import cache

        cache.connect()
        # Registers the definitions file's translations with the catalog's translation check (catalog.W001).
        from ipshub.outcomes import definitions  # noqa: F401

        post_migrate.connect(prepare_cache, sender=self, dispatch_uid="ipshub.lib.cache.prepare_cache")
