from django.urls import reverse

from ipshub.demo.bench_pages import BenchContext, BenchPage
from ipshub.outcomes.models import QuarterlyReport
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    lead = ctx.person(Role.STATE_LEAD).username
    result = [
        BenchPage("outcomes state dashboard (8 quarters)", reverse("outcomes:dashboard"), lead),
        BenchPage("outcomes state dashboard (40 quarters)", reverse("outcomes:dashboard") + "?quarters=40", lead),
        BenchPage("outcomes program page", reverse("outcomes:program", args=[ctx.program.pk]), lead),  # type: ignore[union-attr]
    ]
    report = QuarterlyReport.objects.filter(program=ctx.program).order_by("-year", "-quarter").first()
    if report is not None:
        result.append(BenchPage("outcomes quarterly report", reverse("outcomes:report_detail", args=[report.pk]), lead))
    return result
