"""The service catalog as data: validation, payment rules and time frames. Pure functions, no database.

A catalog is `{"services": [ {code, name, purpose, report, time_frame, payment}, ... ]}` (see
data/services.yaml). Rules are evaluated from that data, never from code per service.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext

from ipshub.catalog import translations
from ipshub.tenancy.roles import lazy_label as _

DEFAULT_CATALOG = Path(__file__).parent / "data" / "services.yaml"

REPORT_KINDS = {
    "career_profile": _("Career profile summary"),
    "job_development_plan": _("Job development plan"),
    "hire": _("Hire report"),
    "retention": _("Retention report"),
    "follow_along": _("Follow-along services report"),
}
FACTS = ("hours_per_week", "days_to_hire", "units")
PAYMENT_KINDS = ("fixed", "per_unit", "tiered")


class CatalogError(ValueError):
    """The catalog data is not valid; the message says where and how to fix it."""


def default_catalog() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_CATALOG.read_text())
    return data


def service_texts(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The services' displayed English texts by code, as services.<lang>.yaml holds them."""
    return {s["code"]: {"name": s["name"], "purpose": s.get("purpose", "")} for s in data["services"]}


def service_local(code: str, name: str, english: str) -> str:
    """A service's name or purpose in the reader's language: a state's copy shows the translation of
    services.<lang>.yaml while its text is still the default's English (an edited text is shown as written)."""
    return str(translations.lookup(DEFAULT_CATALOG, code, name, english))


def with_translations(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of a catalog's services carrying their current translations, for {{ service|local:"name" }}."""
    return [
        {
            **s,
            "translations": translations.translate(
                DEFAULT_CATALOG, s["code"], service_texts({"services": [s]})[s["code"]]
            ),
        }
        for s in services
    ]


translations.register("dvr/services.yaml", lambda: (DEFAULT_CATALOG, service_texts(default_catalog())))


def _money(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CatalogError(f'{where}: amount {value!r} is not a number; write e.g. "500.00".') from None
    if amount < 0 or not amount.is_finite():
        raise CatalogError(f"{where}: amount must be zero or more.")
    return amount


def _check_payment(rule: Any, where: str) -> None:
    if not isinstance(rule, dict) or rule.get("kind") not in PAYMENT_KINDS:
        raise CatalogError(f"{where}: payment needs a kind, one of {', '.join(PAYMENT_KINDS)}.")
    if rule["kind"] in ("fixed", "per_unit"):
        _money(rule.get("amount"), where)
        return
    tiers = rule.get("tiers")
    if not isinstance(tiers, list) or not tiers:
        raise CatalogError(f"{where}: a tiered payment needs a list of tiers.")
    for n, tier in enumerate(tiers, start=1):
        at = f"{where}, tier {n}"
        if not isinstance(tier, dict):
            raise CatalogError(f"{at}: each tier needs an amount and (except the last) a `when`.")
        _money(tier.get("amount"), at)
        when = tier.get("when")
        if when is None:
            if n != len(tiers):
                raise CatalogError(f"{at}: only the last tier may have no `when` (it is the default).")
            continue
        if not isinstance(when, dict) or not when:
            raise CatalogError(f"{at}: `when` needs conditions such as hours_per_week: {{at_least: 20}}.")
        for fact, bounds in when.items():
            if fact not in FACTS:
                raise CatalogError(f"{at}: unknown fact {fact!r}; use one of {', '.join(FACTS)}.")
            if not isinstance(bounds, dict) or not bounds or set(bounds) - {"at_least", "at_most"}:
                raise CatalogError(f"{at}: {fact} needs at_least and/or at_most.")
            for bound in bounds.values():
                _money(bound, f"{at}, {fact}")
    if tiers[-1].get("when") is not None:
        raise CatalogError(f"{where}: the last tier must have no `when`, so every report gets an amount.")


def validate_catalog(data: Any) -> list[dict[str, Any]]:
    """The catalog's services, or CatalogError saying what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("services"), list) or not data["services"]:
        raise CatalogError("The catalog needs a `services:` list with at least one service.")
    seen: set[str] = set()
    for n, service in enumerate(data["services"], start=1):
        where = f"Service {n}"
        if not isinstance(service, dict):
            raise CatalogError(f"{where}: each service is a mapping with code, name, report, time_frame, payment.")
        code = service.get("code")
        if not isinstance(code, str) or not code.replace("_", "").isalnum():
            raise CatalogError(f"{where}: code must be letters, digits and underscores, e.g. career_profile.")
        where = f"Service {code}"
        if code in seen:
            raise CatalogError(f"{where}: the code is used twice; codes must be unique.")
        seen.add(code)
        if not service.get("name"):
            raise CatalogError(f"{where}: give it a name.")
        if service.get("report") not in REPORT_KINDS:
            raise CatalogError(f"{where}: report must be one of {', '.join(REPORT_KINDS)}.")
        frame = service.get("time_frame")
        if not isinstance(frame, dict) or not isinstance(frame.get("due_days"), int) or frame["due_days"] < 1:
            raise CatalogError(f"{where}: time_frame needs due_days, a whole number of days of at least 1.")
        review = frame.get("review_every_days")
        if review is not None and (not isinstance(review, int) or review < 1):
            raise CatalogError(f"{where}: review_every_days must be a whole number of days of at least 1.")
        _check_payment(service.get("payment"), where)
    return list(data["services"])


def parse_catalog(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"The catalog is not valid YAML: {exc}") from None
    validate_catalog(data)
    return dict(data)


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    explanation: str


def _holds(bounds: dict[str, Any], value: Decimal | None) -> bool:
    if value is None:
        return False
    if "at_least" in bounds and value < Decimal(str(bounds["at_least"])):
        return False
    return not ("at_most" in bounds and value > Decimal(str(bounds["at_most"])))


def evaluate_payment(rule: dict[str, Any], facts: dict[str, Decimal | int | None]) -> Payment:
    """The amount a payment rule gives for a report's facts, and why."""
    kind = rule["kind"]
    if kind == "fixed":
        amount = Decimal(str(rule["amount"]))
        return Payment(amount, f"Fixed amount ${amount:,.2f}")
    if kind == "per_unit":
        rate = Decimal(str(rule["amount"]))
        units = Decimal(str(facts.get("units") or 0))
        return Payment(rate * units, f"{units} unit(s) at ${rate:,.2f}")
    values = {k: (Decimal(str(v)) if v is not None else None) for k, v in facts.items()}
    for tier in rule["tiers"]:
        when = tier.get("when") or {}
        if all(_holds(bounds, values.get(fact)) for fact, bounds in when.items()):
            amount = Decimal(str(tier["amount"]))
            if not when:
                return Payment(amount, f"Base amount ${amount:,.2f}")
            parts = []
            for fact, bounds in when.items():
                label = fact.replace("_", " ")
                if "at_least" in bounds:
                    parts.append(f"{label} at least {bounds['at_least']}")
                if "at_most" in bounds:
                    parts.append(f"{label} at most {bounds['at_most']}")
            return Payment(amount, f"${amount:,.2f} because {' and '.join(parts)}")
    raise CatalogError("No tier applies and there is no default tier.")  # validate_catalog prevents this


FACT_LABELS = {"hours_per_week": _("hours per week"), "days_to_hire": _("days to hire"), "units": _("units")}


def describe_payment(rule: dict[str, Any]) -> str:
    """The payment rule in words of the active language (the catalog and authorization pages)."""
    kind = rule["kind"]
    if kind == "fixed":
        return gettext("%(amount)s when the report is accepted") % {"amount": f"${Decimal(str(rule['amount'])):,.2f}"}
    if kind == "per_unit":
        return gettext("%(amount)s per unit reported") % {"amount": f"${Decimal(str(rule['amount'])):,.2f}"}
    parts = []
    for tier in rule["tiers"]:
        when = tier.get("when") or {}
        conds = []
        for fact, bounds in when.items():
            label = FACT_LABELS.get(fact, fact)
            if "at_least" in bounds:
                conds.append(gettext("%(fact)s at least %(number)s") % {"fact": label, "number": bounds["at_least"]})
            if "at_most" in bounds:
                conds.append(gettext("%(fact)s at most %(number)s") % {"fact": label, "number": bounds["at_most"]})
        amount = f"${Decimal(str(tier['amount'])):,.2f}"
        if not conds:
            parts.append(gettext("%(amount)s otherwise") % {"amount": amount})
            continue
        conditions = conds[0]
        for cond in conds[1:]:
            conditions = gettext("%(conditions)s and %(condition)s") % {"conditions": conditions, "condition": cond}
        parts.append(gettext("%(amount)s if %(conditions)s") % {"amount": amount, "conditions": conditions})
    return "; ".join(parts)


def report_due_on(time_frame: dict[str, Any], starts_on: datetime.date) -> datetime.date:
    """The deliverable report is due `due_days` after the authorization starts (day 0 = the start)."""
    return starts_on + datetime.timedelta(days=int(time_frame["due_days"]))


def next_review_on(time_frame: dict[str, Any], last_accepted_on: datetime.date | None) -> datetime.date | None:
    """With a review cycle, the next review is due that many days after the last accepted report."""
    every = time_frame.get("review_every_days")
    if not every or last_accepted_on is None:
        return None
    return last_accepted_on + datetime.timedelta(days=int(every))


# The counselor reviews a submitted report within this many days (the reminder's due date and the review
# duty of the roles matrix, dvr/work.py).
REVIEW_DAYS = 10


def review_due_on(submitted_on: datetime.date) -> datetime.date:
    """When the counselor's decision on a report submitted on `submitted_on` is due."""
    return submitted_on + datetime.timedelta(days=REVIEW_DAYS)


def units_for_minutes(minutes: int) -> int:
    """Billable units of 15 minutes; 8 minutes or more of a started unit counts (the "8-minute rule")."""
    whole, rest = divmod(minutes, 15)
    return whole + (1 if rest >= 8 else 0)
