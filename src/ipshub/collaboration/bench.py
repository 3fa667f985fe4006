from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    lead = ctx.person(Role.STATE_LEAD).username
    return [
        BenchPage("statewide technical assistance", reverse("collaboration:statewide_ta"), lead),
        BenchPage("statewide training gaps", reverse("collaboration:statewide_training"), lead),
    ]
