"""Reminders from every area: gathered for a person, shown in the app, e-mailed as a digest.

The digest is idempotent: each item goes to a person at most once per digest period (the day for a
daily digest, the ISO week for a weekly one), recorded in ReminderSent before the mail leaves. A
second run in the same period sends nothing new.

No client data in e-mail (or the calendar feed, which calendar services store): only the kinds of
item below are shown with their titles; anything else (e.g. a client services item) is shown as
"an item in <program>" with its link, so a title holding a client's name never leaves IPS Hub.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ipshub.collaboration.models import DigestFrequency, NotificationPreference, ReminderSent
from ipshub.lib.due import DueItem
from ipshub.lib.due import all_due_items as lib_all_due_items
from ipshub.tenancy.models import Person

log = logging.getLogger(__name__)

# Kinds whose titles carry no client data (implementation, fidelity, outcomes and this area).
SAFE_KINDS = {
    "responsibility",
    "action",
    "review",
    "quarterly_report",
    "meeting",
    "cadence",
    "follow_up",
    "training",
    "assignment",
    "strategy",
    "report",
}
KIND_LABELS = {
    "responsibility": gettext_lazy("Responsibility"),
    "action": gettext_lazy("Action-plan item"),
    "review": gettext_lazy("Fidelity review"),
    "quarterly_report": gettext_lazy("Quarterly report"),
    "meeting": gettext_lazy("Meeting"),
    "cadence": gettext_lazy("Cadence at risk"),
    "follow_up": gettext_lazy("Meeting follow-up"),
    "training": gettext_lazy("Training"),
    "dvr": gettext_lazy("DVR"),
    "review_preparation": gettext_lazy("Review preparation"),
}
DIGEST_DAYS = 14


def all_due_items(person: Person, today: datetime.date) -> list[DueItem]:
    """Every area's due items for the person, soonest first (overdue included)."""
    return lib_all_due_items(person, today, days=DIGEST_DAYS)


def safe_title(item: DueItem) -> str:
    if item.kind in SAFE_KINDS:
        return item.title
    if item.program_name:
        return _("An item in %(program)s (open IPS Hub to see it)") % {"program": item.program_name}
    return _("An item in IPS Hub (open IPS Hub to see it)")


def kind_label(item: DueItem) -> str:
    return str(KIND_LABELS.get(item.kind, item.kind.replace("_", " ").capitalize()))


def period_key(frequency: str, today: datetime.date) -> str:
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    return today.isoformat()


@dataclass
class DigestResult:
    people: int = 0
    emails: int = 0
    items: int = 0
    skipped: int = 0


DEFAULT_FREQUENCY = DigestFrequency.WEEKLY  # the model's default, for people who never chose


def frequency_of(person: Person, preferences: dict[int, str]) -> str:
    return preferences.get(person.pk, DEFAULT_FREQUENCY)


def send_digests(today: datetime.date, base_url: str, *, only: list[str] | None = None) -> DigestResult:
    """Send each person their digest for `today` (a daily command runs this)."""
    result = DigestResult()
    preferences = dict(NotificationPreference.objects.values_list("person_id", "frequency"))
    people = Person.objects.filter(is_active=True).exclude(email="").order_by("pk")
    if only:
        people = people.filter(username__in=only)
    for person in people:
        frequency = frequency_of(person, preferences)
        if frequency == DigestFrequency.NEVER:
            continue
        result.people += 1
        period = period_key(frequency, today)
        # The reminders' titles and the e-mail are written in the person's language, not the sender's.
        with translation.override(person.language or settings.LANGUAGE_CODE):
            items = all_due_items(person, today)
        sent = set(
            ReminderSent.objects.filter(person=person, period=period, item_key__in=[i.key for i in items]).values_list(
                "item_key", flat=True
            )
        )
        new = [item for item in items if item.key not in sent]
        result.skipped += len(items) - len(new)
        if not new:
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            sent_one = _send_one(person, new, today, period, base_url)
        if sent_one:
            result.emails += 1
            result.items += len(new)
    return result


def _send_one(person: Person, items: list[DueItem], today: datetime.date, period: str, base_url: str) -> bool:
    try:
        with transaction.atomic():
            # The log first, in the same transaction: if another run got there first the unique
            # constraint stops this one, and a failed send rolls the log back for the next run.
            ReminderSent.objects.bulk_create(
                ReminderSent(person=person, item_key=item.key, period=period, sent_at=timezone.now()) for item in items
            )
            rows = [
                {
                    "kind": kind_label(item),
                    "title": safe_title(item),
                    "due_on": item.due_on,
                    "overdue": item.is_overdue(today),
                    "program": item.program_name,
                    "url": base_url.rstrip("/") + item.url,
                }
                for item in items
            ]
            context = {"person": person, "items": rows, "today": today, "base_url": base_url.rstrip("/")}
            overdue = sum(1 for row in rows if row["overdue"])
            subject = ngettext(
                "IPS Hub: %(count)s item coming due", "IPS Hub: %(count)s items coming due", len(rows)
            ) % {"count": len(rows)}
            if overdue:
                subject += " " + _("(%(overdue)s overdue)") % {"overdue": overdue}
            send_mail(
                subject,
                render_to_string("collaboration/email/digest.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
    except IntegrityError:
        log.info("Digest for %s already sent in %s", person, period)
        return False
    return True
