"""The shared cache's table (settings.CACHES: Django's database cache, no extra service).

`prepare_cache` runs after every `migrate` (and after the tests' `flush`): it creates the cache table
when missing (`createcachetable`, idempotent) and empties the cache, so a deploy (which migrates) never
serves pages rendered by the previous version's code and templates. Django's test database creation
also runs `createcachetable` itself.
"""

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command


def prepare_cache(sender: Any, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    call_command("createcachetable", database=using, verbosity=0 if verbosity < 3 else verbosity)
    for alias, config in settings.CACHES.items():
        if str(config["BACKEND"]).endswith("DatabaseCache"):
            caches[alias].clear()
