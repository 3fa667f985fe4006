"""Answers kept on the person object for the rest of one request, and reads shared while one page is built.

The middleware loads a new person object for every request, so what is kept on it lives exactly as long as the
request: no answer outlives the data it was read from. Kept under names starting `_ipshub_`, which
`tenancy.access.forget_seats` drops all at once after a membership change in the same request."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# Reads shared by the parts of one page while it is built (`one_page`), keyed by what was read. Outside such a
# page nothing is shared: a reminder digest, a calendar feed or a test reads afresh every time.
_page_reads: ContextVar[dict[str, object] | None] = ContextVar("ipshub_page_reads", default=None)


@contextmanager
def one_page() -> Iterator[None]:
    """While a page is built from several areas' parts, a read one part made (`read_once`) serves the others.
    Only around building a page that writes nothing its own reads would show."""
    token = _page_reads.set({})
    try:
        yield
    finally:
        _page_reads.reset(token)


def read_once(key: str, compute: Callable[[], T]) -> T:
    """The result of `compute`, read once per page being built (`one_page`); read afresh outside one."""
    reads = _page_reads.get()
    if reads is None:
        return compute()
    if key not in reads:
        reads[key] = compute()
    value: T = reads[key]  # type: ignore[assignment]
    return value
