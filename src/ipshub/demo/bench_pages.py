"""The pages `ipshub bench` measures: the foundation's, plus each area's `bench.py`."""

from django.urls import reverse

from ipshub.areakit.bench import BenchContext, BenchPage
from ipshub.lib.contributions import area_modules
from ipshub.lib.searches import search_preset
from ipshub.tenancy.roles import Role


def bench_pages() -> list[BenchPage]:
    ctx = BenchContext()
    lead = ctx.person(Role.STATE_LEAD).username
    home, more = reverse("home"), reverse("home_more")
    search_query, search_session = search_preset(ctx.program.name)
    pages = [
        # The home page of each kind of person (what needs them now, their caseload or programs), and the rest
        # of it, which the page loads once shown (`ipshub bench` prints each home's throughput by the floor).
        BenchPage("home (state team)", home, lead),
        BenchPage("home, the rest (state team)", more, lead),
        BenchPage("home (director)", home, ctx.person(Role.MH_DIRECTOR).username),
        BenchPage("home (supervisor)", home, ctx.person(Role.IPS_SUPERVISOR).username),
        BenchPage("home, the rest (supervisor)", more, ctx.person(Role.IPS_SUPERVISOR).username),
        BenchPage("home (specialist)", home, ctx.person(Role.EMPLOYMENT_SPECIALIST).username),
        BenchPage("program list", reverse("tenancy:program_list"), lead),
        BenchPage("program hub", reverse("tenancy:program_detail", args=[ctx.program.pk]), lead),
        # The site search for a program by its name, as the state team types it.
        BenchPage("search a program (state team)", reverse("search") + search_query, lead, session=search_session),
    ]
    for area in area_modules("bench", optional=True):
        pages.extend(area.pages(ctx))
    supervisor = ctx.person(Role.IPS_SUPERVISOR).username
    pages += [
        BenchPage("API programs", reverse("api:program-list"), lead, api=True),
        BenchPage("API clients", reverse("api:enrollment-list"), supervisor, api=True),
        BenchPage("API jobs", reverse("api:job-list"), supervisor, api=True),
        BenchPage("API employer contacts", reverse("api:employer-contact-list"), supervisor, api=True),
        BenchPage("API outcome reports", reverse("api:outcome-report-list"), lead, api=True),
    ]
    return pages
