from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.fidelity.models import Review
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    lead = ctx.person(Role.STATE_LEAD).username
    result = [
        BenchPage("fidelity reviews (state)", reverse("fidelity:review_list"), lead),
        BenchPage("fidelity schedule (statewide)", reverse("fidelity:statewide_schedule"), lead),
    ]
    # A delivered review (scores, report) where there is one, so the page has the same shape at every scale.
    reviews = Review.objects.filter(program__state=ctx.program.state).order_by("pk")
    review = reviews.filter(status=Review.Status.DELIVERED).first() or reviews.first()
    if review is not None:
        result.append(BenchPage("fidelity review", reverse("fidelity:review_detail", args=[review.pk]), lead))
    return result
