"""Server-side sessions that know whose they are.

Django's database sessions keep the signed-in person's id inside the encoded session data, so a
signed-in request costs three queries before any page work: the session, then the person, then (for any
page that reads tenant data) their memberships. Here each session row also carries its person, and one
query loads all three (`SessionStore.load`, the memberships as the access layer's seats); the
authentication middleware (`accounts.middleware.SessionPersonAuthenticationMiddleware`) uses that
person when the session verifies exactly as Django's `auth.get_user` would, and otherwise falls back to
Django. The person column also lets a deactivation end every session of the person with one indexed
delete (`person.sessions`, in `tenancy.services.person_update`), instead of decoding every session in the
database.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import SuspiciousOperation
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ipshub.tenancy import access


class PersonSession(AbstractBaseSession):
    # Reached as `person.sessions`: a deactivation in tenancy ends them through it, since tenancy (below
    # accounts) imports nothing from this app.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    class Meta:
        db_table = "ipshub_session"
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls) -> type["SessionStore"]:
        return SessionStore


class SessionStore(DatabaseSessionStore):
    # The person row loaded with the session (None when nobody is signed in, or not loaded yet).
    loaded_person: Any = None

    @classmethod
    def get_model_class(cls) -> type[PersonSession]:
        return PersonSession

    def _get_session_from_db(self) -> PersonSession | None:
        table = self.model._meta.db_table
        seats = RawSQL(access.seats_as_text_sql(f'"{table}"."person_id"', connection.vendor), [])
        try:
            return (
                PersonSession.objects.select_related("person")
                .annotate(person_seats=seats)
                .get(session_key=self.session_key, expire_date__gt=timezone.now())
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            if isinstance(exc, SuspiciousOperation):  # as Django's own database sessions do
                logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
            self._session_key = None
            return None

    def load(self) -> dict[str, Any]:
        row = self._get_session_from_db()
        self.loaded_person = row.person if row is not None else None
        if self.loaded_person is not None:
            access.remember_seats(self.loaded_person, row.person_seats)  # type: ignore[union-attr]
        return self.decode(row.session_data) if row is not None else {}

    def create_model_instance(self, data: dict[str, Any]) -> PersonSession:
        row: PersonSession = super().create_model_instance(data)  # type: ignore[assignment]
        user_id = data.get(SESSION_KEY)
        row.person_id = int(user_id) if user_id is not None and str(user_id).isdigit() else None
        return row
