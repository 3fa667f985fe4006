from django.conf import settings
from django.db import models

from ipshub.accounts.sessions import PersonSession

__all__ = ["EnrolmentCode", "PersonSession"]


class EnrolmentCode(models.Model):
    """A one-time code a person without an authenticator needs, besides the password, to set one up: so a
    stolen password alone cannot enrol the thief's phone. Issued by an administrator or e-mailed to the
    person; kept only as a keyed hash (accounts/mfa.py keyed_hashes), single use, valid for a day."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_by_email = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="enrolmentcode_expires_after_issue"
            )
        ]

    def __str__(self) -> str:
        return f"Enrolment code {self.pk} for person {self.person_id}"
