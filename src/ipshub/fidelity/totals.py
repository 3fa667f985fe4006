"""Each program's last delivered fidelity review total, for outcomes' peer percentiles (the `fidelity_totals`
hook, areakit/hooks.py). One query for any number of programs."""

from collections.abc import Mapping

from django.db.models import Sum

from ipshub.areakit.records import FidelityTotal
from ipshub.fidelity.models import ConsensusScore, Review


def fidelity_totals(program_ids: list[int] | None) -> Mapping[int, FidelityTotal]:
    scores = ConsensusScore.objects.filter(review__status=Review.Status.DELIVERED, review__report_date__isnull=False)
    if program_ids is not None:
        scores = scores.filter(review__program_id__in=program_ids)
    rows = (
        scores.values_list("review__program_id", "review__report_date", "review_id")
        .annotate(total=Sum("score"))
        .order_by("review__program_id", "review__report_date", "review_id")
    )
    # Ordered by delivery, so each program's last review is the one kept.
    return {
        program_id: FidelityTotal(program_id=program_id, total=total or 0, delivered_on=delivered_on)
        for program_id, delivered_on, _, total in rows
    }
