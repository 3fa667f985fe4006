"""What fidelity contributes to the other areas (see areakit/hooks.py)."""

from ipshub.areakit.hooks import FollowUpConverter, Hooks
from ipshub.fidelity import access, follow_ups, links, receivers, totals, work
from ipshub.tenancy.roles import lazy_label as _

HOOKS = Hooks(
    # Entering implementation schedules the baseline review.
    phase_entered=(receivers.schedule_baseline_review,),
    # A meeting follow-up can become an action in the program's fidelity action plan.
    follow_up_converters=(
        FollowUpConverter("fidelity-action", _("Add to the fidelity action plan"), follow_ups.to_action),
    ),
    # A reviewer reads the client records of the programs under review, during the review window.
    reviewer_program_ids=access.reviewer_program_ids,
    # Reviews, their visits, reports and action plans fulfil the roles matrix (work.py)...
    work_sources=work.SOURCES,
    # ...and each review is the period its fidelity-phase duties are due in.
    review_periods=work.review_periods,
    # From finding to result (issue #23): the items and action items a TA entry may say it addresses.
    fidelity_links=links.program_links,
    # Peer percentiles (issue #23): each program's last delivered review total.
    fidelity_totals=totals.fidelity_totals,
)
