from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.clients.models import Enrollment
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    supervisor = ctx.person(Role.IPS_SUPERVISOR).username
    result = [
        BenchPage("caseload (supervisor)", reverse("clients:caseload"), supervisor),
        BenchPage("supervisor dashboard", reverse("clients:dashboard", args=[ctx.program.pk]), supervisor),
        BenchPage(
            "specialist drill-down (supervisor)",
            reverse(
                "clients:dashboard_specialist",
                args=[ctx.program.pk, ctx.person(Role.EMPLOYMENT_SPECIALIST).pk],
            ),
            supervisor,
        ),
        BenchPage("employer contact log", reverse("clients:contact_log"), supervisor),
    ]
    enrollment = Enrollment.objects.filter(program=ctx.program).order_by("pk").first()
    if enrollment is not None:
        result.append(BenchPage("client record", reverse("clients:detail", args=[enrollment.pk]), supervisor))
        specialist = enrollment.specialist
        if specialist is not None:
            result.append(BenchPage("caseload (specialist)", reverse("clients:caseload"), specialist.username))
    return result
