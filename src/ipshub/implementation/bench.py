from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    lead = ctx.person(Role.STATE_LEAD).username
    return [
        BenchPage("state program board", reverse("implementation:board"), lead),
        BenchPage("program board (overview)", reverse("implementation:program", args=[ctx.program.pk]), lead),
        BenchPage("program responsibilities", reverse("implementation:assignments", args=[ctx.program.pk]), lead),
    ]
