from django.urls import reverse

from ipshub.demo.bench_pages import BenchContext, BenchPage
from ipshub.fidelity.models import Review
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    lead = ctx.person(Role.STATE_LEAD).username
    result = [BenchPage("fidelity reviews (state)", reverse("fidelity:review_list"), lead)]
    review = Review.objects.filter(program__state=ctx.program.state).order_by("pk").first()  # type: ignore[union-attr]
    if review is not None:
        result.append(BenchPage("fidelity review", reverse("fidelity:review_detail", args=[review.pk]), lead))
    return result
