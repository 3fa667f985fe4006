from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ipshub.outcomes"
    verbose_name = "Quarterly outcomes, goals and benchmarks"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from ipshub.outcomes import cache
        from ipshub.web.cache import prepare_cache

        cache.connect()
        post_migrate.connect(prepare_cache, sender=self, dispatch_uid="ipshub.web.cache.prepare_cache")
