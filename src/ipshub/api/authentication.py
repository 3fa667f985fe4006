"""`Authorization: Token <key>`: the API's way in. The key is looked up by its SHA-256 digest;
a revoked or expired token, or one whose person is deactivated, is refused with 401. The offline field page's
two endpoints also take the browser's session (SignedInSessionAuthentication, below)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from ipshub.accounts import mfa
from ipshub.api import tokens
from ipshub.api.models import ApiToken
from ipshub.tenancy.models import Person

# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)
REFUSED = "The token is not valid: it may be mistyped, revoked or expired. Make a new one at /account/tokens/."


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Person, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as 'Authorization: Token <key>', with the key and no spaces in it."
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = (
            ApiToken.objects.select_related("person")
            .filter(key_digest=tokens.digest(key), revoked_at=None, person__is_active=True)
            .filter(Q(expires_on=None) | Q(expires_on__gte=timezone.localdate()))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.person, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class SignedInSessionAuthentication(authentication.SessionAuthentication):
    """The browser's own session, for the few endpoints a page of the product calls itself (the offline field
    page: api/offline_views.py), with Django's CSRF check on every write. Only a session that has passed the
    second factor where it is required signs in here: the two-factor gate lets API endpoints through
    (accounts/middleware.py), so this is where a password-only session is refused (401)."""

    def authenticate(self, request: Request) -> tuple[Person, None] | None:
        found = super().authenticate(request)
        if found is None:
            return None
        person = found[0]
        if mfa.mfa_required(person) and not person.is_verified():
            return None
        return found
