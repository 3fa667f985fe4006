"""What collaboration contributes to the other areas (see areakit/hooks.py): nothing yet.

Collaboration asks: a meeting follow-up can become another area's record through the areas'
`follow_up_converters` (`services.follow_up_convert`); with none, the meeting page offers no conversion.
"""

from ipshub.areakit.hooks import Hooks

HOOKS = Hooks()
