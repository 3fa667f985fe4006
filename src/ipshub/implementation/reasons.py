"""Why an assignment has its status, as the product or a person wrote it ("Reopened on December 7, 2026: the
career profile written in this period is no longer on record."), in every reader's language.

An assignment keeps the reason twice: `status_reason`, the English sentence (exports, the API, the audit trail
read it, as before), and `status_why`, the message and its values (`Reason.as_parts`), from which each page says
it again in the reader's language (`text_of`). The messages are marked with `gettext_noop` here; the work sources'
"missing" texts they quote are collected for translation by `work_messages` (implementation/apps.py)."""

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from ipshub.tenancy.models import Phase
from ipshub.tenancy.wages import long_date

NOTHING_ASKED_IN_PERIOD = gettext_noop(
    "Nothing has been asked in this period: this duty is due only when something is asked."
)
NOTHING_ASKED_YET = gettext_noop("Nothing has been asked yet: this duty is due only when something is asked.")
REOPENED_ASKED = gettext_noop("Reopened on %(on)s: something new was asked on %(asked_on)s.")
REOPENED_MISSING = gettext_noop("Reopened on %(on)s: %(missing)s")
SUPERSEDED_BY_REVIEW = gettext_noop("Superseded: a later review (%(review)s) has delivered its report.")
SUPERSEDED_BY_PHASE = gettext_noop(
    "Superseded: the program moved to “%(phase)s” on %(on)s, so this “%(duty_phase)s” duty no longer applies."
)
NO_LONGER_DUE = gettext_noop("No longer due: its review was cancelled, or the program is no longer in this phase.")
SET_BY = gettext_noop("Set by %(actor)s on %(on)s: %(comment)s")
WAIVED_BY = gettext_noop("Waived by %(actor)s on %(on)s: %(reason)s")
RETIRED_BY = gettext_noop("Retired by %(actor)s on %(on)s: %(reason)s")


@dataclass(frozen=True)
class Reason:
    """A message (English, marked above) and its values: a date is said in the reader's format, `texts` (the work
    sources' messages) and `phases` (phase keys) in the reader's words, anything else as written (names, notes)."""

    message: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """In the active language."""
        said: dict[str, str] = {}
        for name, value in self.values.items():
            if isinstance(value, datetime.date):
                said[name] = long_date(value)
            elif isinstance(value, dict) and "texts" in value:
                said[name] = " ".join(gettext(text) for text in value["texts"])
            elif isinstance(value, dict) and "phase" in value:
                said[name] = str(Phase(value["phase"]).label) if value["phase"] in Phase.values else value["phase"]
            else:
                said[name] = str(value)
        return gettext(self.message) % said if said else gettext(self.message)

    def english(self) -> str:
        with translation.override("en"):
            return self.text()

    def as_parts(self) -> dict[str, Any]:
        values = {
            name: {"date": value.isoformat()} if isinstance(value, datetime.date) else value
            for name, value in self.values.items()
        }
        return {"message": self.message, "values": values}

    @classmethod
    def from_parts(cls, parts: Mapping[str, Any]) -> "Reason":
        values = {
            name: datetime.date.fromisoformat(value["date"]) if isinstance(value, dict) and "date" in value else value
            for name, value in (parts.get("values") or {}).items()
        }
        return cls(str(parts["message"]), values)


def text_of(parts: Mapping[str, Any] | None, written: str) -> str:
    """The reason in the reader's language: from its parts when the product kept them, else as it was written
    (a reason kept before the parts were, or text a person typed)."""
    if not parts or "message" not in parts:
        return written
    try:
        return Reason.from_parts(parts).text()
    except (KeyError, TypeError, ValueError):  # a message changed since: the sentence as it was written
        return written


def work_messages() -> Iterator[tuple[str, str]]:
    """The work sources' "missing" texts (quoted by REOPENED_MISSING), for `ipshub extract-messages`."""
    from ipshub.areakit import hooks

    for key, source in sorted(hooks.work_sources().items()):
        if source.missing:
            yield source.missing, f"work:{key}"
