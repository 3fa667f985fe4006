"""The implementation records of the Westmark demo: assignments by phase history, partnership set-up,
readiness, roadmap progress, a steering committee and the state team's resource library."""

import datetime

from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.catalog.models import Strategy
from ipshub.implementation import services
from ipshub.implementation.models import (
    Assignment,
    AssignmentComment,
    ItemStatus,
    PartnershipItem,
    PartnershipKind,
    PartnershipStatus,
    ReadinessAnswer,
    ReadinessAssessment,
    Resource,
    ResourceKind,
    SteeringMember,
    StrategyProgress,
)
from ipshub.tenancy.models import Phase

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
    pine = ctx.programs.get("Pine County IPS")
    if pine is not None:
        for member_name, role, affiliation in (
            ("Chris Alvarez", "client", "IPS participant"),
            ("Lena Alvarez", "family", "Parent"),
            ("Sam Whitfield", "employer", "Pine Valley Foods"),
            ("Dr. Ana Ruiz", "education", "Pine Technical College"),
            ("Jordan Ellis", "mh_agency", "Pine County Human Services"),
            ("Pat Kim", "dvr", "DVR Pine Valley Office"),
            ("Morgan Reyes", "ips_supervisor", "Summit Employment Partners"),
        ):
            SteeringMember.objects.create(program=pine, name=member_name, role=role, affiliation=affiliation)
        # The director owns a couple of items, so "My responsibilities" has names on it.
        for assignment in Assignment.objects.filter(program=pine, party_key="mh_agency", status=ItemStatus.NOT_STARTED)[
            :3
        ]:
            assignment.owner = ctx.people["director"]
            assignment.save(update_fields=["owner"])
            AssignmentComment.objects.create(
                assignment=assignment,
                author=ctx.people["director"],
                text="On the agenda for the next steering meeting.",
            )
