"""One-time enrolment codes: what a person needs, besides the password, to set up a first authenticator.

Without them a stolen password would be enough to enrol the thief's phone wherever two-factor sign-in is
required. A code comes from an administrator of the person's state (shown once on the person's page) or by
e-mail to the address on the account. It is kept only as a keyed hash, works once, for 24 hours; issuing
a new one cancels the person's earlier unused ones.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.accounts.mfa import keyed_hashes
from ipshub.accounts.models import EnrolmentCode
from ipshub.audit.services import audit_record
from ipshub.tenancy import access
from ipshub.tenancy.models import Person

LIFETIME = datetime.timedelta(hours=24)
# Letters and digits that cannot be mistaken for each other when read aloud or copied (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12  # about 59 bits: not guessable online, so no throttle of its own is needed
EMAIL_INTERVAL = datetime.timedelta(minutes=5)
# Where a signed-in person's session remembers that they gave a valid enrolment code.
SESSION_KEY = "ipshub_enrolment_code_ok"


def needs_code(person: Person) -> bool:
    """Only where two-factor sign-in is required: elsewhere (the demo) the password already opens every page,
    so a code would protect nothing."""
    return bool(settings.IPSHUB_MFA_REQUIRED)


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _new_code(*, person: Person, issued_by: Person | None, sent_by_email: bool) -> str:
    now = timezone.now()
    EnrolmentCode.objects.filter(person=person, used_at__isnull=True).delete()  # one outstanding code at a time
    raw = "".join(secrets.choice(ALPHABET) for _position in range(LENGTH))
    EnrolmentCode.objects.create(
        person=person,
        code_hash=keyed_hashes("enrolment-code", raw)[0],
        issued_by=issued_by,
        sent_by_email=sent_by_email,
        expires_at=now + LIFETIME,
    )
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


@transaction.atomic
def enrolment_code_issue(*, actor: Person, person: Person) -> str:
    """An administrator of every state the person works in makes a code to hand to them; returns it to show once."""
    states: set[int | None] = set(person.memberships.values_list("organization__state_id", flat=True))
    for state_id in states or {None}:
        access.require_directory_admin(actor, state_id)
    if not person.is_active:
        raise ValidationError(
            _("%(person)s's account is deactivated. Reactivate it first, then issue a code.") % {"person": person}
        )
    code = _new_code(person=person, issued_by=actor, sent_by_email=False)
    audit_record(
        actor=actor,
        action="mfa.enrolment_code.issue",
        obj=person,
        summary=f"Issued a two-factor enrolment code for {person}",
    )
    return code


@transaction.atomic
def enrolment_code_email(*, actor: Person) -> str:
    """E-mail the signed-in person a code for their own first set-up; returns the address it went to.

    The mail is sent inside the transaction: if it cannot be sent, no code is kept that nobody received."""
    if not actor.email:
        raise ValidationError(
            _("Your account has no e-mail address, so no code can be sent. Ask your administrator for a code.")
        )
    recent = EnrolmentCode.objects.filter(
        person=actor, sent_by_email=True, created_at__gte=timezone.now() - EMAIL_INTERVAL
    )
    if recent.exists():
        raise ValidationError(
            _("A code was e-mailed to you less than 5 minutes ago. Check your inbox (and spam folder) first.")
        )
    code = _new_code(person=actor, issued_by=None, sent_by_email=True)
    send_mail(
        subject="Your IPS Hub two-factor enrolment code",
        message=(
            f"Your code to set up two-factor sign-in for IPS Hub is:\n\n    {code}\n\n"
            "It works once, for 24 hours. If you did not ask for it, someone may know your password: "
            "change it and tell your administrator."
        ),
        from_email=None,
        recipient_list=[actor.email],
    )
    audit_record(
        actor=actor, action="mfa.enrolment_code.email", obj=actor, summary="E-mailed a two-factor enrolment code"
    )
    return actor.email


@transaction.atomic
def enrolment_code_use(*, person: Person, code: str) -> bool:
    """Spend the person's code if it is right, unused and unexpired. A wrong code is recorded too (and not
    raised, so its audit event is kept)."""
    now = timezone.now()
    used = EnrolmentCode.objects.filter(
        person=person,
        code_hash__in=keyed_hashes("enrolment-code", normalise(code)),
        used_at__isnull=True,
        expires_at__gt=now,
    ).update(used_at=now)  # one UPDATE: two requests racing with one code cannot both spend it
    if used:
        audit_record(actor=person, action="mfa.enrolment_code.use", obj=person, summary="Used an enrolment code")
    else:
        audit_record(
            actor=person, action="mfa.enrolment_code.failed", obj=person, summary="Wrong or expired enrolment code"
        )
    return bool(used)
