"""The demo: the fictional state of Westmark, its state IPS team, four local programs at different
phases, and a sign-in for each kind of person (listed in the README)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.areakit.hooks import reconcile_programs
from ipshub.lib.contributions import area_modules
from ipshub.tenancy.models import Membership, MinimumWage, Organization, Person, Phase, PhaseChange, Program, State
from ipshub.tenancy.roles import OrgKind, Role

DEMO_PASSWORD = "ipshub-demo-2026"
DEMO_STATE_CODE = "WM"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    organization: str
    title: str
    language: str = ""  # the interface's language (tenancy.Person.language); empty: the browser's


STATE_TEAM = "Westmark State IPS Team"
PINE_MH = "Pine County Human Services"
SUMMIT = "Summit Employment Partners"
DVR_PINE = "DVR Pine Valley Office"

DEMO_LOGINS = (
    DemoLogin("admin", "Alex", "Morgan", Role.ADMINISTRATOR, STATE_TEAM, "IPS Hub administrator"),
    DemoLogin("statelead", "Dana", "Ortiz", Role.STATE_LEAD, STATE_TEAM, "Behavioral health program manager"),
    DemoLogin("trainer", "Taylor", "Brooks", Role.STATE_TRAINER, STATE_TEAM, "IPS state trainer"),
    DemoLogin("reviewer", "Riley", "Chen", Role.FIDELITY_REVIEWER, STATE_TEAM, "Fidelity reviewer"),
    # #26: the second reviewer of every Westmark review team, so two reviewers' scoring and consensus can be tried.
    DemoLogin("reviewer2", "Avery", "White", Role.FIDELITY_REVIEWER, STATE_TEAM, "Fidelity reviewer"),
    DemoLogin("director", "Jordan", "Ellis", Role.MH_DIRECTOR, PINE_MH, "Mental health director"),
    DemoLogin("casemanager", "Casey", "Nguyen", Role.CASE_MANAGER, PINE_MH, "Case manager"),
    DemoLogin("supervisor", "Morgan", "Reyes", Role.IPS_SUPERVISOR, SUMMIT, "IPS supervisor"),
    DemoLogin("specialist", "Jamie", "Patel", Role.EMPLOYMENT_SPECIALIST, SUMMIT, "Employment specialist"),
    # #24: a bilingual specialist who works in Spanish, with Spanish-speaking clients on her caseload.
    DemoLogin(
        "flopez", "Frankie", "Lopez", Role.EMPLOYMENT_SPECIALIST, SUMMIT, "Employment specialist (bilingual)", "es"
    ),
    DemoLogin("dvrsupervisor", "Pat", "Kim", Role.DVR_SUPERVISOR, DVR_PINE, "DVR supervisor"),
    DemoLogin("counselor", "Sam", "Okafor", Role.DVR_COUNSELOR, DVR_PINE, "DVR vocational rehabilitation counselor"),
)

# (name, kind, region, county, tribal)
ORGANIZATIONS = (
    (STATE_TEAM, OrgKind.STATE_TEAM, "", "", False),
    (PINE_MH, OrgKind.MH_AGENCY, "North", "Pine", False),
    ("Red Cedar Tribal Health Services", OrgKind.MH_AGENCY, "North", "", True),
    ("Harbor City Behavioral Health", OrgKind.MH_AGENCY, "South", "Harbor", False),
    ("Lake County Mental Health Center", OrgKind.MH_AGENCY, "Central", "Lake", False),
    (SUMMIT, OrgKind.EMPLOYMENT_PROVIDER, "North", "Pine", False),
    ("Harbor Works Employment", OrgKind.EMPLOYMENT_PROVIDER, "South", "Harbor", False),
    (DVR_PINE, OrgKind.DVR_OFFICE, "North", "Pine", False),
    ("DVR Northwoods Office", OrgKind.DVR_OFFICE, "North", "", False),
    ("DVR Harbor Office", OrgKind.DVR_OFFICE, "South", "Harbor", False),
)

# Other staff who make the programs real, without sign-ins of their own in the README.
OTHER_STAFF = (
    ("lsantos", "Lee", "Santos", Role.STATE_TRAINER, STATE_TEAM),
    ("rblackfeather", "Robin", "Blackfeather", Role.MH_DIRECTOR, "Red Cedar Tribal Health Services"),
    ("qhill", "Quinn", "Hill", Role.IPS_SUPERVISOR, "Red Cedar Tribal Health Services"),
    ("ddavis", "Drew", "Davis", Role.EMPLOYMENT_SPECIALIST, "Red Cedar Tribal Health Services"),
    ("mgarcia", "Marisol", "Garcia", Role.MH_DIRECTOR, "Harbor City Behavioral Health"),
    ("kjohnson", "Kendall", "Johnson", Role.IPS_SUPERVISOR, "Harbor Works Employment"),
    ("bwilson", "Blake", "Wilson", Role.MH_DIRECTOR, "Lake County Mental Health Center"),
    ("hmartin", "Harper", "Martin", Role.DVR_COUNSELOR, "DVR Northwoods Office"),
    ("scooper", "Skyler", "Cooper", Role.DVR_COUNSELOR, "DVR Harbor Office"),
)


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# (name, mh agency, provider, dvr offices, trainer username, funding, [(phase, days ago)])
PROGRAMS = (
    (
        "Pine County IPS",
        PINE_MH,
        SUMMIT,
        [DVR_PINE],
        "trainer",
        "Medicaid",
        [(Phase.PRIOR, 900), (Phase.IMPLEMENTATION, 840), (Phase.ONGOING, 560)],
    ),
    (
        "Red Cedar Nation IPS",
        "Red Cedar Tribal Health Services",
        None,
        ["DVR Northwoods Office"],
        "trainer",
        "Tribal health grant",
        [(Phase.PRIOR, 300), (Phase.IMPLEMENTATION, 150)],
    ),
    (
        "Lake County IPS",
        "Lake County Mental Health Center",
        SUMMIT,
        [DVR_PINE],
        "lsantos",
        "County levy",
        [(Phase.PRIOR, 420), (Phase.IMPLEMENTATION, 250)],
    ),
    (
        "Harbor City IPS",
        "Harbor City Behavioral Health",
        "Harbor Works Employment",
        ["DVR Harbor Office"],
        "lsantos",
        "State grant",
        [(Phase.PRIOR, 40)],
    ),
)


# Westmark's own minimum wage (fictional, on the path many states took): above the federal $7.25, raised
# each January by its Fair Wage Act; the demo's jobs all pay more than the rate of their start date.
MINIMUM_WAGES = (
    (datetime.date(2024, 1, 1), "10.50", "Westmark Fair Wage Act, first step"),
    (datetime.date(2026, 1, 1), "12.00", "Westmark Fair Wage Act, second step"),
    (datetime.date(2027, 1, 1), "12.75", "Westmark Fair Wage Act, 2027 adjustment (announced)"),
)


def demo_exists() -> bool:
    return State.objects.filter(code=DEMO_STATE_CODE).exists()


@transaction.atomic
def build_demo_state() -> State:
    """Create the demo state. The caller checks demo_exists() first, so a second run adds nothing."""
    state = State.objects.create(code=DEMO_STATE_CODE, name="Westmark")
    for since, rate, note in MINIMUM_WAGES:
        MinimumWage.objects.create(state=state, effective_from=since, hourly_rate=Decimal(rate), note=note)
    orgs = {
        name: Organization.objects.create(
            state=state, kind=kind, name=name, region=region, county=county, is_tribal=tribal
        )
        for name, kind, region, county, tribal in ORGANIZATIONS
    }
    people: dict[str, Person] = {}
    programs: dict[str, Program] = {}
    for login in DEMO_LOGINS:
        people[login.username] = _person(
            login.username,
            login.first_name,
            login.last_name,
            login.title,
            orgs[login.organization],
            login.role,
            DEMO_PASSWORD,
            login.language,
        )
    for username, first, last, role, org in OTHER_STAFF:
        people[username] = _person(username, first, last, Role(role).label, orgs[org], role, None)
    for name, mh, provider, dvr, trainer, funding, phases in PROGRAMS:
        program = Program.objects.create(
            state=state,
            name=name,
            mh_agency=orgs[mh],
            employment_provider=orgs[provider] if provider else None,
            trainer=people[trainer],
            region=orgs[mh].region,
            funding_source=funding,
            phase=phases[-1][0],
            phase_since=_ago(phases[-1][1]),
            kickoff_date=_ago(phases[1][1]) if len(phases) > 1 else None,
        )
        program.dvr_offices.set([orgs[o] for o in dvr])
        programs[name] = program
        previous = ""
        for phase, days in phases:
            PhaseChange.objects.create(
                program=program,
                from_phase=previous,
                to_phase=phase,
                effective_on=_ago(days),
                reason="Program opened" if not previous else "Demo history",
                changed_by=people["statelead"],
            )
            previous = phase
    context = DemoContext(state=state, orgs=orgs, people=people, programs=programs)
    for area in area_modules("demo"):
        area.build(context)
    # The roles matrix follows the records every area has written.
    reconcile_programs(p.pk for p in programs.values())
    return state


def _person(
    username: str,
    first: str,
    last: str,
    title: str,
    org: Organization,
    role: str,
    password: str | None,
    language: str = "",
) -> Person:
    person = Person(
        username=username,
        first_name=first,
        last_name=last,
        title=title,
        email=f"{username}@westmark.example",
        language=language,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    Membership.objects.create(person=person, organization=org, role=role, started_on=_ago(1000))
    return person
