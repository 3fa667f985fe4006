"""What dvr contributes to the other areas (see areakit/hooks.py)."""

from ipshub.areakit.hooks import Hooks
from ipshub.dvr import work

HOOKS = Hooks(
    # Each DVR report submitted asks the counselor for a decision (a duty of the roles matrix).
    work_sources=work.SOURCES,
)
