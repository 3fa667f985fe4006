"""Let the reconciliation a service asks for (`hooks.work_changed`) run as the commit would.

pytest-django's `django_capture_on_commit_callbacks(execute=True)` runs the callbacks registered inside it,
but leaves them in the connection's list (a test never commits). `work_changed` registers its flush once
while one is waiting, so after a first capture a second one would run nothing. `committed()` forgets the
flush before and after, as a real commit does, and fails when the write did not call `work_changed`."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from django.db import transaction

from ipshub.areakit import hooks

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _forget_flush() -> None:
    connection = transaction.get_connection()
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry[1] is not hooks._flush]


@contextmanager
def committed(capture: Capture) -> Iterator[None]:
    _forget_flush()
    with capture(execute=True) as callbacks:
        yield
    assert any(callback is hooks._flush for callback in callbacks), "the write did not call hooks.work_changed"
    _forget_flush()
