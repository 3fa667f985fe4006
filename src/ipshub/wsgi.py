import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshub.settings")
application = get_wsgi_application()

# A page makes many short-lived objects (querysets, rows, template contexts) while what a worker loads at start
# (models, URL patterns, settings, libraries) stays for its whole life. At Python's default threshold (a collection
# every 700 allocations) the collector walked all of that again several times a page. What exists once the
# application is loaded is frozen out of its walks, and it runs less often (docs/performance.md).
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 20, 20)
