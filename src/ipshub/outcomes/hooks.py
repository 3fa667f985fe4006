"""What outcomes contributes to the other areas (see areakit/hooks.py)."""

from ipshub.areakit.hooks import Hooks
from ipshub.outcomes import work

HOOKS = Hooks(
    # Goals set and quarterly reports submitted and reviewed fulfil duties of the roles matrix.
    work_sources=work.SOURCES,
)
