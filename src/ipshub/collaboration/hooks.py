"""What collaboration contributes to the other areas (see areakit/hooks.py).

- `work_sources`: meetings (by kind, with the parties who attended), statewide meetings, training
  completions and technical assistance, as the records that fulfil the roles matrix (work.py).

Collaboration asks: a meeting follow-up can become another area's record through the areas'
`follow_up_converters` (`services.follow_up_convert`); with none, the meeting page offers no conversion.
"""

from ipshub.areakit.hooks import Hooks
from ipshub.collaboration import work

HOOKS = Hooks(work_sources=work.SOURCES)
