"""Django's PostgreSQL backend, with the connection health check only after the connection sat idle.

Django's CONN_HEALTH_CHECKS sends `SELECT 1` at the start of every request that uses a persistent
connection: a round trip per page (0.15 ms of a 1.4 ms signed-in page, docs/performance.md). A connection
in steady use is known to be healthy, and if the server went away mid-burst the failed request makes
Django close the connection at the request's end anyway (`errors_occurred`), so the next request connects
again. The check is worth its round trip only when the connection has been idle for a while (a database
restart overnight): then the first request of the morning reconnects instead of showing the outage page.
"""

import time

from django.db.backends.postgresql import base

# A connection used within this many seconds is not checked again.
IDLE_SECONDS_BEFORE_CHECK = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    _last_request_edge = 0.0

    def close_if_unusable_or_obsolete(self) -> None:
        # Called at every request's start and end: at a start, the time since the previous call is how long
        # the connection sat idle.
        super().close_if_unusable_or_obsolete()
        now = time.monotonic()
        if self.connection is not None and now - self._last_request_edge < IDLE_SECONDS_BEFORE_CHECK:
            self.health_check_done = True
        self._last_request_edge = now
