"""The checks on the figures client records feed into outcomes and fidelity: dates in a sane range, a
competitive job at least at the minimum wage, unusual hours or wages confirmed.

Each check adds to a `Problems` (field → message, the first message per field kept) instead of raising,
so one submit reports every problem at once: the services run them and raise the lot; the forms' clean()
runs the same checks on what they could read, beside the fields' own errors (lib.forms.add_problems). A
value that is None (missing, or unreadable on a form) is not checked: its field has its own error.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from ipshub.tenancy.models import State
from ipshub.tenancy.wages import ApplicableWage, applicable_minimum_wage, long_date

# Service records (referrals, contacts, jobs, education, DVR steps) are dated from 1990 on: an earlier date
# is a typo of the year. Birth dates are checked from 1900.
EARLIEST = datetime.date(1990, 1, 1)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
# Dates that may lie ahead (a consent's expiry, the end of a DVR plan or of a course) at most this far.
MOST_DAYS_AHEAD = 366

# Figures that are possible but usually a typo: saved only once the person confirms them.
FEWEST_HOURS = Decimal(1)
MOST_HOURS = Decimal(60)
HIGHEST_WAGE = Decimal(100)
CONFIRM_FIELD = "confirm_implausible"
CONFIRM_MESSAGE = "Unusual figures are saved only once someone confirms they are right."


class Problems(dict[str, str]):
    """What is wrong, by field; the first problem found for a field is the one shown."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def today() -> datetime.date:
    return timezone.localdate()


def check_date(
    problems: Problems,
    field: str,
    value: datetime.date | None,
    what: str,
    *,
    days_ahead: int = 0,
    earliest: datetime.date = EARLIEST,
    future: str = "",
) -> None:
    """`value` (called `what` in the message, e.g. "start date") lies between `earliest` and `days_ahead`
    days from today (0: not in the future; `future` then words the refusal if the default doesn't fit)."""
    if value is None:
        return
    if value < earliest:
        problems.add(field, f"The {what} can't be before {long_date(earliest)}: check the year.")
        return
    latest = today() + datetime.timedelta(days=days_ahead)
    if value > latest:
        if days_ahead:
            problems.add(field, f"The {what} can't be after {long_date(latest)}: check the year.")
        else:
            problems.add(field, future or f"The {what} can't be in the future: enter today's date or an earlier one.")


def check_not_negative(problems: Problems, field: str, value: Decimal | None, what: str) -> None:
    if value is not None and value < 0:
        problems.add(field, f"{what} can't be negative: enter 0 or more.")


def minimum_wage_for(state: State, on: datetime.date) -> ApplicableWage:
    return applicable_minimum_wage(state, on)


def _figure(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_competitive_wage(
    problems: Problems,
    *,
    state: State,
    is_competitive: bool | None,
    hourly_wage: Decimal | None,
    on: datetime.date | None,
) -> None:
    """A competitive job pays at least the minimum wage in force on `on` (the job's start date, or the day
    its pay changed): the state's, or the federal one where that is higher."""
    if not is_competitive or hourly_wage is None or on is None or on < EARLIEST:
        return
    applicable = minimum_wage_for(state, on)
    if hourly_wage < applicable.rate:
        problems.add("is_competitive", applicable.below_message())


def implausible(hours_per_week: Decimal | None, hourly_wage: Decimal | None) -> dict[str, str]:
    """The figures that are possible but unusual enough to be a typo, with why."""
    found: dict[str, str] = {}
    if hours_per_week is not None and hours_per_week >= 0:
        if hours_per_week > MOST_HOURS:
            found["hours_per_week"] = (
                f"{_figure(hours_per_week)} hours a week is more than {MOST_HOURS}: check the figure, "
                "or confirm that it is right."
            )
        elif hours_per_week < FEWEST_HOURS:
            found["hours_per_week"] = (
                f"{_figure(hours_per_week)} hours a week is less than {FEWEST_HOURS}: check the figure, "
                "or confirm that it is right."
            )
    if hourly_wage is not None and hourly_wage > HIGHEST_WAGE:
        found["hourly_wage"] = (
            f"${hourly_wage:.2f} an hour is more than ${HIGHEST_WAGE}: check the figure, or confirm that it is right."
        )
    return found


def check_plausible(
    problems: Problems, *, hours_per_week: Decimal | None, hourly_wage: Decimal | None, confirmed: bool
) -> None:
    """Unusual hours or wages are refused unless confirmed (`confirm_implausible`)."""
    if confirmed:
        return
    found = implausible(hours_per_week, hourly_wage)
    for field, message in found.items():
        problems.add(field, message)
    if found:
        problems.add(CONFIRM_FIELD, CONFIRM_MESSAGE)
