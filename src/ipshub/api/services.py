"""Writes to API tokens: created by their owner (or an operator at the command line), revoked by their
owner; both leave an audit event. The key itself is returned once and never stored."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ipshub.api import tokens
from ipshub.api.models import ApiToken
from ipshub.audit.services import audit_record
from ipshub.tenancy.models import Person

MAX_ACTIVE_TOKENS = 20


def _state_id(person: Person) -> int | None:
    return person.memberships.values_list("organization__state_id", flat=True).first()


@transaction.atomic
def token_create(
    *, actor: Any, person: Person, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `person`. `actor` is the person themselves, or a label such as
    "command line" for an operator. Returns the token and its key (show the key once)."""
    if isinstance(actor, Person) and actor.pk != person.pk:
        raise PermissionDenied("People make their own API tokens.")
    if not person.is_active:
        raise ValidationError({"person": f"{person.get_username()} is deactivated; their tokens would not work."})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name that says what it is for."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name to 100 characters or fewer."})
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": "Choose an expiry date after today, or leave it empty."})
    active = ApiToken.objects.filter(person=person, revoked_at=None).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": f"You already have {active} tokens. Revoke one you no longer use first."})
    key = tokens.new_key()
    token = ApiToken.objects.create(
        person=person,
        name=name,
        prefix=key[: tokens.PREFIX_LENGTH],
        key_digest=tokens.digest(key),
        expires_on=expires_on,
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        state_id=_state_id(person),
        summary=f"API token '{name}' for {person.get_username()}",
        detail={"person": person.pk, "expires_on": expires_on.isoformat() if expires_on else None},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: Person, token: ApiToken) -> ApiToken:
    if actor.pk != token.person_id:
        raise PermissionDenied("People revoke their own API tokens.")
    if token.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        state_id=_state_id(token.person),
        summary=f"API token '{token.name}' for {token.person.get_username()}",
    )
    return token
