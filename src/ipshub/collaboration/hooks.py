"""Extension point: turning a meeting follow-up into another area's record.

Implementation (responsibilities) and fidelity (action-plan items) are built in parallel. Each may
register a converter at app start-up (in its AppConfig.ready or module import):

    from ipshub.collaboration.hooks import register_follow_up_converter

    def to_responsibility(*, actor, follow_up) -> str:   # runs inside follow_up_convert's transaction
        item = assignment_create(actor=actor, program=follow_up.meeting.series.program, ...)
        return f"responsibility:{item.pk}"                # stored on FollowUp.converted_to

    register_follow_up_converter("responsibility", "Make it a responsibility", to_responsibility)

`services.follow_up_convert(actor=..., follow_up=..., target=...)` calls the converter, records where
the follow-up went and audits it. With nothing registered, the meeting page offers no conversion.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FollowUpConverter:
    target: str
    label: str
    convert: Callable[..., str]


_converters: dict[str, FollowUpConverter] = {}


def register_follow_up_converter(target: str, label: str, convert: Callable[..., str]) -> None:
    _converters[target] = FollowUpConverter(target, label, convert)


def follow_up_converters() -> list[FollowUpConverter]:
    return list(_converters.values())


def follow_up_converter(target: str) -> FollowUpConverter | None:
    return _converters.get(target)


def unregister_follow_up_converter(target: str) -> Any:
    return _converters.pop(target, None)
