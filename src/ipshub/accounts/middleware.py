"""Security middleware: headers and CSP, session limits, the two-factor gate; and the person's language."""

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, logout
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from ipshub.accounts import mfa


def content_security_policy(scripts: Iterable[str] = (), styles: Iterable[str] = ()) -> str:
    """The CSP: this origin's files only. `scripts`/`styles`: hash sources ('sha256-…') of the exact inline
    scripts and style sheets one page carries (the offline field page, web/field.py); never 'unsafe-inline'."""
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *scripts]),
            " ".join(["style-src 'self'", *styles]),
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CSP = content_security_policy()
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """A CSP without inline scripts or styles, and no caching of anything shown to a signed-in person:
    client pages must not linger in a shared computer's browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", PERMISSIONS)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


SIGNED_IN_AT = "ipshub_signed_in_at"
# Sent when a session ends (sign-out, the absolute limit): the browser drops what it kept for the person (the HTTP
# cache, and the offline field page's storage: its encrypted pack and queue in IndexedDB, its service worker). Not
# on the idle timeout, which the server only learns from an expired cookie and which a specialist offline in the
# field reaches within the hour: entries still waiting to sync must not be wiped then (the device also wipes on its
# own once the absolute limit has passed).
CLEAR_SITE_DATA = '"cache", "storage"'


RENEWED_AT = "ipshub_renewed_at"


class SessionLimitsMiddleware:
    """The absolute session limit (12 hours by default) and the idle timeout (15 minutes: the session's age).

    The idle timeout is renewed by saving the session, at most once every IPSHUB_SESSION_RENEW_SECONDS
    (60 s): saving it on every request costs a database commit per page, which was the largest cost of
    a signed-in page in the benchmark (docs/performance.md). So a session ends between the idle timeout
    minus that interval and the idle timeout after the last request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - float(started) > settings.IPSHUB_SESSION_MAX_SECONDS:
                logout(request)
                if _token_only_api_view(request):  # an API call (the offline field page's): a 401, not a page
                    ended = HttpResponse(_("Your session reached its time limit. Please sign in again."), status=401)
                else:
                    messages.info(request, _("Your session reached its time limit. Please sign in again."))
                    ended = redirect(settings.LOGIN_URL)
                ended["Clear-Site-Data"] = CLEAR_SITE_DATA
                return ended
            if now - float(request.session.get(RENEWED_AT, 0)) >= settings.IPSHUB_SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT] = now  # a change: the session is saved with a new expiry
        return self.get_response(request)


# Paths a signed-in person may reach before the second factor: the two-factor pages and sign-out.
MFA_OPEN_PATHS = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/health/")


def _token_only_api_view(request: HttpRequest) -> bool:
    """API endpoints sign in with a personal token only: a session, with or without its second factor,
    signs nobody in there, so they need no gate (without a token they answer 401). Other pages under
    /api/ — the docs page — are pages like any other, behind the second factor."""
    if not request.path.startswith("/api/"):
        return False
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return bool(getattr(view, "ipshub_api", False))


class TwoFactorMiddleware:
    """Nobody reaches a page with only a password when two-factor sign-in is required."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and mfa.mfa_required(user)
            and not request.path.startswith(MFA_OPEN_PATHS)
            and not _token_only_api_view(request)
        ):
            target = "accounts:mfa_verify" if mfa.confirmed_totp(user) else "accounts:mfa_setup"
            return redirect(target)
        return self.get_response(request)


class SessionPersonAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware, taking the person loaded with the session (accounts/sessions.py)
    instead of a second query, when the session verifies exactly as `django.contrib.auth.get_user` checks it:
    the model backend, the same person, active, and the session hash matching the current secret. Anything
    else (another backend, a rotated secret, a changed password) goes through Django's own `get_user`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _signed_in_person(request))  # type: ignore[assignment]


def _signed_in_person(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        session = request.session
        user_id = session.get(SESSION_KEY)  # loads the session, and its person with it
        person = getattr(session, "loaded_person", None)
        session_hash = session.get(HASH_SESSION_KEY)
        if (
            person is not None
            and str(person.pk) == str(user_id)
            and session.get(BACKEND_SESSION_KEY) == MODEL_BACKEND
            and MODEL_BACKEND in settings.AUTHENTICATION_BACKENDS
            and person.is_active  # ModelBackend.user_can_authenticate
            and session_hash
            and constant_time_compare(session_hash, person.get_session_auth_hash())
        ):
            request._cached_user = person  # type: ignore[attr-defined]
        else:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class PersonLanguageMiddleware:
    """The signed-in person's saved language (tenancy.Person.language) wins over the browser's, which Django's
    LocaleMiddleware has already activated from Accept-Language; no saved language keeps the browser's, and a
    browser asking for none of ours gets English (LANGUAGE_CODE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "language", "")
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
