"""What the client records contribute to the other areas (see areakit/hooks.py)."""

from ipshub.areakit.hooks import Hooks
from ipshub.clients import activity, chart_review, evidence, histories, work

HOOKS = Hooks(
    # Outcomes computes quarterly reports from the client histories.
    history_loader=histories.load_histories,
    # Fidelity scores the measurable items of its scale from the records.
    fidelity_evidence=evidence.fidelity_inputs,
    # Career profiles, employer contacts and DVR cases fulfil duties of the roles matrix.
    work_sources=work.SOURCES,
    # Review preparation (issue #26): the chart-review worksheet's candidates and key dates.
    chart_candidates=chart_review.chart_candidates,
    chart_rows=chart_review.chart_rows,
    # Peer percentiles and the early warning (issue #23): contacts, caseloads, days to first contact.
    program_activity=activity.program_activity,
)
