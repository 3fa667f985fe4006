from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.clients.models import Enrollment
from ipshub.lib.searches import search_preset
from ipshub.tenancy.roles import Role


def pages(ctx: BenchContext) -> list[BenchPage]:
    supervisor = ctx.person(Role.IPS_SUPERVISOR).username
    result = [
        BenchPage("caseload (supervisor)", reverse("clients:caseload"), supervisor),
        BenchPage(
            "caseload needing attention (supervisor)",
            reverse("clients:caseload") + "?attention=any&sort=-attention",
            supervisor,
        ),
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
    # A client record with employer contacts on it (the contacts page lists them), whatever the generated data.
    records = Enrollment.objects.filter(program=ctx.program).order_by("pk")
    enrollment = records.filter(employer_contacts__isnull=False).first() or records.first()
    if enrollment is not None:
        result.append(BenchPage("client record", reverse("clients:detail", args=[enrollment.pk]), supervisor))
        contacts = reverse("clients:record_employer_contacts", args=[enrollment.pk])
        result.append(BenchPage("client record, employer contacts", contacts, supervisor))
        specialist = enrollment.specialist
        if specialist is not None:
            result.append(BenchPage("caseload (specialist)", reverse("clients:caseload"), specialist.username))
    # The site search for a client's last name, as their specialist and the supervisor type it (lib/searches.py
    # keeps the term in the session; the page's URL names only its key).
    searched = (
        Enrollment.objects.filter(program=ctx.program, specialist__isnull=False)
        .select_related("client", "specialist")
        .order_by("pk")
        .first()
    )
    if searched is not None and searched.specialist is not None:
        query, session = search_preset(searched.client.last_name)
        for name, username in (("specialist", searched.specialist.username), ("supervisor", supervisor)):
            result.append(BenchPage(f"search a client ({name})", reverse("search") + query, username, session=session))
    return result
