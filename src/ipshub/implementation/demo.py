"""The implementation records of the Westmark demo: assignments by phase history, partnership set-up,
readiness, roadmap progress, a steering committee, the state team's resource library (and the revenue sources
it sent each program), and for Pine County, in ongoing service, what a real program holds: the Practical
Guide and handouts given out, outreach each year, and the state team's data requests with their answers."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.catalog.models import Strategy
from ipshub.implementation import services
from ipshub.implementation.models import (
    Assignment,
    ItemStatus,
    PartnershipItem,
    PartnershipKind,
    PartnershipStatus,
    ReadinessAnswer,
    ReadinessAssessment,
    Resource,
    ResourceKind,
    ResourceTopic,
    SteeringMember,
    StrategyProgress,
)
from ipshub.tenancy.models import Person, Phase, Program

# Program name → stages whose strategies are all done.
STAGES_DONE = {
    "Pine County IPS": 8,
    "Red Cedar Nation IPS": 4,
    "Lake County IPS": 5,
    "Harbor City IPS": 0,
}

RESOURCES = (
    (
        "ST01",
        "ST01-T01",
        "Questions for agency leaders (printable)",
        ResourceKind.LINK,
        "/catalog/questions/",
    ),
    (
        "ST02",
        "",
        "IPS Employment Center: What is IPS?",
        ResourceKind.LINK,
        "https://ipsworks.org/index.php/what-is-ips/",
    ),
    ("ST06", "", "Steering committee starter agenda", ResourceKind.DOCUMENT, "https://ipsworks.org/"),
    ("ST07", "", "Job development skills video series", ResourceKind.VIDEO, "https://ipsworks.org/"),
    ("ST08", "", "Supported Employment Fidelity Scale", ResourceKind.DOCUMENT, "https://ipsworks.org/"),
)

COMMITTEES = {
    "Pine County IPS": (
        ("Chris Alvarez", "client", "IPS participant"),
        ("Lena Alvarez", "family", "Parent"),
        ("Sam Whitfield", "employer", "Pine Valley Foods"),
        ("Dr. Ana Ruiz", "education", "Pine Technical College"),
        ("Jordan Ellis", "mh_agency", "Pine County Human Services"),
        ("Pat Kim", "dvr", "DVR Pine Valley Office"),
        ("Morgan Reyes", "ips_supervisor", "Summit Employment Partners"),
    ),
    "Lake County IPS": (
        ("Blake Wilson", "mh_agency", "Lake County Mental Health Center"),
        ("Rosa Delgado", "family", "Parent"),
        ("Dale Morgan", "employer", "Lakeside Hardware"),
        ("Pat Kim", "dvr", "DVR Pine Valley Office"),
        ("Morgan Reyes", "ips_supervisor", "Summit Employment Partners"),
    ),
    "Red Cedar Nation IPS": (
        ("Robin Blackfeather", "mh_agency", "Red Cedar Tribal Health Services"),
        ("Quinn Hill", "ips_supervisor", "Red Cedar Tribal Health Services"),
        ("Harper Martin", "dvr", "DVR Northwoods Office"),
    ),
}


def build(ctx: DemoContext) -> None:
    today = timezone.localdate()
    lead, trainer = ctx.people["statelead"], ctx.people["trainer"]
    team = next(o for o in ctx.orgs.values() if o.kind == "state_team")
    for stage_key, tool_key, title, kind, link in RESOURCES:
        Resource.objects.create(
            organization=team,
            title=title,
            kind=kind,
            stage_key=stage_key,
            tool_key=tool_key,
            link=link,
            added_by=lead,
        )
    revenue = Resource.objects.create(
        organization=team,
        title="Paying for IPS in Westmark: Medicaid, DVR milestones and grants",
        kind=ResourceKind.DOCUMENT,
        topic=ResourceTopic.REVENUE,
        stage_key="ST02",
        link="https://ipsworks.org/",
        description="Which IPS services each source pays for, and how programs bill them.",
        added_by=lead,
    )
    strategies = list(Strategy.objects.filter(stage__version__is_current=True).select_related("stage"))
    for name, program in ctx.programs.items():
        history = list(program.phase_changes.order_by("effective_on", "pk"))
        services.partnership_items_ensure(program)
        opened = history[0].effective_on
        in_prior = program.phase == Phase.PRIOR
        # Partnership set-up: complete for programs past the first phase; under way for the newest.
        for item in PartnershipItem.objects.filter(program=program):
            if not in_prior:
                item.status, item.agreed_on = PartnershipStatus.DONE, opened + datetime.timedelta(days=45)
                item.parties = f"{program.mh_agency.name}\nDVR"
            elif item.kind == PartnershipKind.SERVICE_AGREEMENT:
                item.status, item.agreed_on = PartnershipStatus.DONE, today - datetime.timedelta(days=10)
                item.parties = f"{program.mh_agency.name}\nDVR Harbor Office"
            elif item.kind == PartnershipKind.CONFIDENTIALITY:
                item.status = PartnershipStatus.IN_PROGRESS
            item.updated_by = lead
            item.save()
        assessment = ReadinessAssessment.objects.create(
            program=program,
            held_on=opened + datetime.timedelta(days=10) if not in_prior else today - datetime.timedelta(days=20),
            mh_leaders=f"Director, {program.mh_agency.name}",
            dvr_leaders="DVR supervisor and area director",
            barriers="Transportation in rural areas; staff turnover.",
            facilitators="Strong county support; DVR office nearby.",
            competing_programs="A sheltered work program run by a local nonprofit.",
            mh_lead="The agency's mental health director",
            dvr_lead="The DVR supervisor",
            mh_value="Recovery through work for the people we serve.",
            dvr_value="More successful employment outcomes.",
            common_terms=("'Referral' means a signed IPS referral form; 'job start' means the first day of paid work."),
            recorded_by=trainer,
        )
        ReadinessAnswer.objects.create(
            assessment=assessment,
            question_key="Q02",
            answer="Clients ask for jobs; day treatment is closing.",
        )
        # The state team sent the revenue sources in the first weeks; the newest program is still waiting.
        if not in_prior:
            services.resource_send(
                actor=trainer,
                resource=revenue,
                program=program,
                sent_on=opened + datetime.timedelta(days=21),
                note="Bring questions to the planning meeting.",
            )
        done_stages = STAGES_DONE.get(name, 0)
        StrategyProgress.objects.bulk_create(
            StrategyProgress(
                program=program,
                strategy=s,
                status=ItemStatus.DONE,
                started_on=opened,
                completed_on=opened + datetime.timedelta(days=20 * s.stage.number),
                updated_by=trainer,
            )
            for s in strategies
            if s.stage.number <= done_stages
        )
        if name == "Harbor City IPS":
            StrategyProgress.objects.bulk_create(
                StrategyProgress(program=program, strategy=s, status=ItemStatus.IN_PROGRESS, updated_by=trainer)
                for s in strategies
                if s.stage.number == 1
            )
    # Steering committees, joined through the first months of implementation: Pine County's and Lake County's
    # are set up; Red Cedar's is still short of the five members the roles document asks for.
    for name, members in COMMITTEES.items():
        committee_of = ctx.programs.get(name)
        if committee_of is None:
            continue
        began = _implementation_began(committee_of)
        for n, (member_name, role, affiliation) in enumerate(members):
            SteeringMember.objects.create(
                program=committee_of,
                name=member_name,
                role=role,
                affiliation=affiliation,
                joined_on=began + datetime.timedelta(days=10 + 9 * n),
            )
    pine = ctx.programs.get("Pine County IPS")
    if pine is not None:
        _pine_records(pine, ctx.people, today)
        _pine_confirmations(pine, ctx.people, today)


def _pine_confirmations(pine: Program, people: dict[str, Person], today: datetime.date) -> None:
    """Last year's confirmed duties (the only two nothing in the product records), and this year's, which the
    director owns and has on the steering committee's agenda. The other areas' records close the rest when
    the demo reconciles at the end."""
    services.program_setup_sync(pine)
    for key, person in (("R-ONG-MH-11", people["director"]), ("R-ONG-EP-14", people["supervisor"])):
        last_year = Assignment.objects.get(program=pine, responsibility__key=key, period_key=str(today.year - 1))
        services.assignment_update(
            actor=person,
            assignment=last_year,
            status=ItemStatus.DONE,
            due_on=last_year.due_on,
            comment="Reviewed the DVR technical expectations with the team in December; we asked the state "
            "trainer for help with benefits planning.",
        )
        this_year = Assignment.objects.get(program=pine, responsibility__key=key, period_key=str(today.year))
        services.assignment_update(
            actor=person,
            assignment=this_year,
            status=ItemStatus.IN_PROGRESS,
            due_on=this_year.due_on,
            owner=person,
            comment="On the agenda for the next steering meeting.",
        )


def _implementation_began(program: Program) -> datetime.date:
    change = program.phase_changes.filter(to_phase=Phase.IMPLEMENTATION).order_by("effective_on").first()
    return change.effective_on if change else program.phase_since


def _pine_records(pine: Program, people: dict[str, Person], today: datetime.date) -> None:
    """What Pine County, in ongoing service since well over a year, has recorded of its tick-box duties."""
    director, supervisor, lead = people["director"], people["supervisor"], people["statelead"]
    ongoing = pine.phase_since
    services.material_distribution_record(
        actor=supervisor,
        program=pine,
        material="practical_guide",
        distributed_on=ongoing + datetime.timedelta(days=14),
        recipients="Each employment specialist and the IPS supervisor",
        copies=3,
    )
    services.material_distribution_record(
        actor=supervisor,
        program=pine,
        material="practical_guide",
        distributed_on=today - datetime.timedelta(days=75),
        recipients="The two specialists who joined this year",
        copies=2,
    )
    services.material_distribution_record(
        actor=director,
        program=pine,
        material="handouts",
        distributed_on=ongoing + datetime.timedelta(days=20),
        recipients="Lobby, waiting rooms and the job club room of Pine County Human Services",
    )
    # Outreach each year: last autumn, and twice this year (never a date still to come).
    jan1 = datetime.date(today.year, 1, 1)
    for day, kind, forum, text in (
        (
            datetime.date(today.year - 1, 10, 14),
            "presentation",
            "Pine County Board of Supervisors",
            "Eighteen months of IPS: 41 people working, most in jobs they chose.",
        ),
        (
            min(jan1 + datetime.timedelta(days=110), today),
            "success_story",
            "Pine Valley Gazette",
            "Chris Alvarez on his first year at Pine Valley Foods (shared with his written consent).",
        ),
        (
            min(jan1 + datetime.timedelta(days=260), today),
            "presentation",
            "Westmark Behavioral Health Conference",
            "Job development with rural employers, with Summit Employment Partners.",
        ),
    ):
        if day >= ongoing:
            services.outreach_record(
                actor=director, program=pine, held_on=day, kind=kind, forum=forum, description=text
            )
    # The state team's data requests: answered within days, and one recent request not yet due.
    for asked_ago, answered_after, what, accepts, name, content in (
        (
            300,
            6,
            "Caseload size of each employment specialist on the last day of the quarter.",
            "spreadsheet",
            "caseloads.csv",
            b"specialist,caseload\nJamie Patel,19\nFrankie Lopez,17\n",
        ),
        (
            200,
            9,
            "Job starts of the quarter by employer sector, for the state's DVR partnership report.",
            "spreadsheet",
            "job-starts-by-sector.csv",
            b"sector,job starts\nFood service,4\nRetail,3\nHealth care,2\n",
        ),
        (
            110,
            12,
            "Hours each specialist spent in the community in two sample weeks, ahead of the follow-up review.",
            "any",
            "community-hours.csv",
            b"specialist,week 1,week 2\nJamie Patel,27,29\nFrankie Lopez,24,26\n",
        ),
    ):
        asked_on = today - datetime.timedelta(days=asked_ago)
        request = services.data_request_create(
            actor=lead,
            program=pine,
            asked_on=asked_on,
            due_on=asked_on + datetime.timedelta(days=21),
            what=what,
            accepts=accepts,
        )
        services.data_request_answer(
            actor=supervisor,
            request=request,
            file=SimpleUploadedFile(name, content, content_type="text/csv"),
            answered_on=asked_on + datetime.timedelta(days=answered_after),
        )
    services.data_request_create(
        actor=lead,
        program=pine,
        asked_on=today - datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=25),
        what="Benefits planning referrals of the last six months, for the follow-up fidelity review.",
        accepts="any",
    )
