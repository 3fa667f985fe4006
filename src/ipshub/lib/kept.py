"""Answers kept on the person object for the rest of one request.

The middleware loads a new person object for every request, so what is kept on it lives exactly as long as the
request: no answer outlives the data it was read from. Kept under names starting `_ipshub_`, which
`tenancy.access.forget_seats` drops all at once after a membership change in the same request."""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def keep(person: object, name: str, value: object) -> None:
    """Keep `value` as the answer to `name` for the rest of the request (a page that read it first says so)."""
    setattr(person, f"_ipshub_{name}", value)


def kept(person: object, name: str, compute: Callable[[], T]) -> T:
    """The answer to `name`: kept from earlier in the request, or computed now and kept."""
    attribute = f"_ipshub_{name}"
    if not hasattr(person, attribute):
        setattr(person, attribute, compute())
    value: T = getattr(person, attribute)
    return value
