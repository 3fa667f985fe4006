"""The audit trail: one append-only event per important read or write (who, what, when, from where)."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.dateparse import parse_datetime


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the trail still names the actor if the account is later removed.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64, db_index=True, help_text="e.g. program.create, login.failed")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    state = models.ForeignKey("tenancy.State", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["state", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit events are append-only; they cannot be deleted.")

    @property
    def logged_offline_at(self) -> datetime.datetime | None:
        """When the person saved the entry on their device, for a record that came in through the offline sync
        (`at` is when it reached the server); None for everything else."""
        value = (self.detail or {}).get("logged_at") if isinstance(self.detail, dict) else None
        try:
            return parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            return None


class BreakGlassGrant(models.Model):
    """Emergency read access to one client record for an IPS supervisor or an administrator who cannot
    normally see it: a reason, a time box, read only. Every view under it is audited as break-glass and
    the state team sees every grant. Kept in the audit app because it is an audit-and-oversight fact:
    the client access layer only asks "is there an active grant?" (clients/access.py, one marked place)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey("clients.Enrollment", on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey("tenancy.State", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["person", "enrollment", "ends_at"]),
            models.Index(fields=["state", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="breakglass_reason_required"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="breakglass_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass grant {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Break-glass grants cannot be changed; they end by themselves.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Break-glass grants cannot be deleted.")
