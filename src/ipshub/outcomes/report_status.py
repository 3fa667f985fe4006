"""One status per program and quarter for the quarterly outcome report, computed here and nowhere else.

The state dashboard (its tables and flagged programs), the program's outcomes page, the exports and the API all
read a quarter's status from `quarter_status`, so a report can never be "accepted" on one page and "late" on
another, nor "missing" and "late" at once.

The statuses:
- due: the program owes the report and its deadline has not passed (nothing submitted yet, or a draft), or it
  has a draft of a quarter it does not owe yet;
- submitted: submitted on time, waiting for the state team's review;
- returned: submitted on time and returned for changes (the program is correcting it);
- accepted: submitted on time and accepted;
- late: submitted after the deadline (`missing` False: the review status says where it is now), or still not
  submitted once the deadline has passed (`missing` True).

The deadline is the report's `due_on`: the quarter's last day plus `submission_deadline_days` of
outcomes/data/definitions.yaml (30 days, as IPS learning communities ask for quarterly outcomes about a month
after the quarter). Whether a report was on time is decided by its first submission: resubmitting after a
return does not make it late.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshub.outcomes.definitions import catalog
from ipshub.outcomes.metrics import Quarter
from ipshub.tenancy.models import Phase


class QuarterStatus(models.TextChoices):
    DUE = "due", gettext_lazy("Due")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    RETURNED = "returned", gettext_lazy("Returned")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    LATE = "late", gettext_lazy("Late")


# The report's own review statuses that count as submitted (a draft has not been submitted).
_SENT = {"submitted": QuarterStatus.SUBMITTED, "returned": QuarterStatus.RETURNED, "accepted": QuarterStatus.ACCEPTED}


@dataclass(frozen=True)
class Standing:
    """A program's quarter: its status, and for a late one whether the report is still missing."""

    status: QuarterStatus
    deadline: datetime.date
    # The report's own review status ("" when there is no report): where a late report is now.
    review_status: str = ""
    missing: bool = False

    @property
    def late(self) -> bool:
        return self.status == QuarterStatus.LATE

    @property
    def label(self) -> str:
        """How a page or an export says it: "Accepted", "Due (a draft is saved)", "Late: not received",
        "Accepted (submitted late)"."""
        draft = self.review_status == "draft"
        if self.missing:
            return _("Late: not received (a draft is saved)") if draft else _("Late: not received")
        if self.late:
            status = _SENT.get(self.review_status)
            shown = status.label if status else self.review_status.capitalize()
            return _("%(status)s (submitted late)") % {"status": shown}
        return _("%(status)s (a draft is saved)") % {"status": self.status.label} if draft else str(self.status.label)


def deadline_for(quarter: Quarter) -> datetime.date:
    """The last day to submit a quarter's report."""
    return quarter.last_day + datetime.timedelta(days=catalog().deadline_days)


def owes_report(*, phase: str, started: datetime.date | None, quarter: Quarter) -> bool:
    """A program in implementation or ongoing service owes a report for every quarter since it started."""
    if phase == Phase.PRIOR:
        return False
    return started is None or quarter.last_day >= started


def quarter_status(
    *,
    quarter: Quarter,
    owed: bool,
    today: datetime.date,
    review_status: str | None = None,
    submitted_at: datetime.datetime | None = None,
    due_on: datetime.date | None = None,
) -> Standing | None:
    """The quarter's status; None when the program owes no report for it and has none (nothing to show).

    `review_status` and `submitted_at` are the current report's (None: no report); `due_on` its stored
    deadline, else the quarter's."""
    deadline = due_on or deadline_for(quarter)
    review = review_status or ""
    if review in _SENT:
        if submitted_at is not None and timezone.localdate(submitted_at) > deadline:
            return Standing(QuarterStatus.LATE, deadline, review)
        return Standing(_SENT[review], deadline, review)
    if not owed:
        # Nothing to show; or a draft of a quarter the program does not owe yet (a program before implementation
        # trying the form): it may send it, and is never late for it.
        return Standing(QuarterStatus.DUE, deadline, review) if review else None
    if today > deadline:
        return Standing(QuarterStatus.LATE, deadline, review, missing=True)
    return Standing(QuarterStatus.DUE, deadline, review)
