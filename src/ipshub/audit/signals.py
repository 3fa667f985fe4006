"""Every sign-in, failed sign-in and sign-out leaves an audit event."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ipshub.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="login.ok", obj=user, summary="Signed in")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="logout", obj=user, summary="Signed out")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the username is kept: never the password that was tried.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action="login.failed",
        summary=f"Failed sign-in as {username!r}",
        detail={"username": username},
    )
