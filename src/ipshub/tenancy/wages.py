"""The minimum wage that applies on a day in a state: the state's own rate in force that day (the
MinimumWage rows its state IPS team keeps) or the federal one, whichever is higher, as US law has it
(29 U.S.C. § 218: where a state's minimum is higher, the higher applies).

A competitive job pays at least this (the clients area refuses "competitive" below it); the rate in force
on the job's start date judges a job start, the one in force on the change date judges a change of pay.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from django.conf import settings
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from ipshub.tenancy.models import MinimumWage, State

# The federal minimum wage (Fair Labor Standards Act, 29 U.S.C. § 206) since 1990, newest first: a job
# recorded with an older start date is judged by the rate of its day.
FEDERAL_RATES: tuple[tuple[datetime.date, Decimal], ...] = (
    (datetime.date(2009, 7, 24), Decimal("7.25")),
    (datetime.date(2008, 7, 24), Decimal("6.55")),
    (datetime.date(2007, 7, 24), Decimal("5.85")),
    (datetime.date(1997, 9, 1), Decimal("5.15")),
    (datetime.date(1996, 10, 1), Decimal("4.75")),
    (datetime.date(1991, 4, 1), Decimal("4.25")),
    (datetime.date(1990, 4, 1), Decimal("3.80")),
)
FEDERAL_SOURCE = "Fair Labor Standards Act, 29 U.S.C. § 206"


def long_date(day: datetime.date) -> str:
    """The day written out in the active language: "December 7, 2026", "7 de diciembre de 2026"."""
    return format_date(day, "long", locale=_babel_locale())


def medium_date(day: datetime.date) -> str:
    """The day, short, in the active language: "Dec 7, 2026", "7 dic 2026"."""
    return format_date(day, "medium", locale=_babel_locale())


def month_label(day: datetime.date) -> str:
    """The month and year in the active language: "December 2026", "diciembre de 2026"."""
    return format_date(day, "LLLL y", locale=_babel_locale())


def _babel_locale() -> Locale:
    # A language Babel does not know (the tests' pseudo-locale) writes dates in English.
    try:
        return Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


@dataclass(frozen=True)
class ApplicableWage:
    """The minimum wage a job is held to on `on`, and where it comes from."""

    rate: Decimal
    on: datetime.date
    effective_from: datetime.date
    state_name: str = ""  # empty: the federal minimum applies

    def _values(self, on: datetime.date) -> dict[str, str]:
        return {"state": self.state_name, "rate": f"{self.rate:.2f}", "date": long_date(on)}

    def sentence(self) -> str:
        """E.g. "Westmark's minimum wage of $12.00 in force on January 5, 2026"."""
        if self.state_name:
            return _("%(state)s's minimum wage of $%(rate)s in force on %(date)s") % self._values(self.on)
        return _("the federal minimum wage of $%(rate)s in force on %(date)s") % self._values(self.on)

    def below_message(self) -> str:
        """Why a job paid less can't be marked competitive, and what to do (the forms, the API, imports)."""
        return _(
            "Below %(wage)s: a competitive job pays at least the minimum wage. Uncheck competitive or correct the wage."
        ) % {"wage": self.sentence()}

    def hint(self) -> str:
        """For a form's help text: the rate in force today."""
        if self.state_name:
            return _("%(state)s's minimum wage is $%(rate)s an hour (since %(date)s).") % self._values(
                self.effective_from
            )
        return _("The federal minimum wage is $%(rate)s an hour (since %(date)s).") % self._values(self.effective_from)


def federal_rate(on: datetime.date) -> tuple[datetime.date, Decimal]:
    for since, rate in FEDERAL_RATES:
        if on >= since:
            return since, rate
    return FEDERAL_RATES[-1]  # before 1990: the forms refuse such dates; the oldest rate is a floor


def applicable_minimum_wage(state: State, on: datetime.date) -> ApplicableWage:
    """The higher of the state's rate in force on `on` and the federal one (one query)."""
    federal_since, federal = federal_rate(on)
    own = MinimumWage.objects.filter(state=state, effective_from__lte=on).order_by("-effective_from").first()
    if own is not None and own.hourly_rate > federal:
        return ApplicableWage(own.hourly_rate, on, own.effective_from, state.name)
    return ApplicableWage(federal, on, federal_since)
