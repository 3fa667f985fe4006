"""An object of program P1 / state A for every URL keyword of the implementation pages."""

import datetime

from django.core.files.base import ContentFile

from ipshub.catalog.models import Strategy
from ipshub.implementation import services
from ipshub.implementation.models import (
    Assignment,
    DataRequest,
    DataRequestAnswer,
    Evidence,
    MaterialDistribution,
    OutreachActivity,
    PartnershipItem,
    ReadinessAssessment,
    Resource,
    ResourceShare,
    SteeringMember,
)
from tests.world import World


def object_ids(world: World) -> dict[str, int]:
    p1 = world.programs["p1"]
    services.program_setup_sync(p1)
    assignment = Assignment.objects.filter(program=p1).first()
    assert assignment is not None
    item = PartnershipItem.objects.filter(program=p1).first()
    assert item is not None
    strategy = Strategy.objects.filter(stage__version__is_current=True).first()
    assert strategy is not None
    evidence = Evidence(program=p1, assignment=assignment, title="Agreement", original_name="agreement.txt")
    evidence.file.save("agreement.txt", ContentFile(b"Signed."), save=False)
    evidence.save()
    assessment = ReadinessAssessment.objects.create(
        program=p1, held_on=datetime.date(2025, 1, 10), mh_leaders="Director", dvr_leaders="Supervisor"
    )
    member = SteeringMember.objects.create(program=p1, name="Pat Employer", role="employer")
    resource = Resource(organization=world.orgs["team_a"], title="Sample questions", kind="document", stage_key="ST01")
    resource.file.save("questions.txt", ContentFile(b"1. What do you know about IPS?"), save=False)
    resource.save()
    day = datetime.date(2025, 2, 3)
    outreach = OutreachActivity.objects.create(program=p1, held_on=day, kind="presentation", forum="Rotary Club")
    distribution = MaterialDistribution.objects.create(
        program=p1, material="handouts", distributed_on=day, recipients="Lobby"
    )
    share = ResourceShare.objects.create(resource=resource, program=p1, sent_on=day)
    request = DataRequest.objects.create(
        program=p1, asked_on=day, due_on=day, what="Caseload sizes", accepts="spreadsheet"
    )
    answer = DataRequestAnswer(request=request, original_name="caseloads.csv", content_type="text/csv", answered_on=day)
    answer.file.save("caseloads.csv", ContentFile(b"specialist,caseload\nA,18\n"), save=False)
    answer.save()
    return {
        "outreach_id": outreach.pk,
        "distribution_id": distribution.pk,
        "share_id": share.pk,
        "request_id": request.pk,
        "answer_id": answer.pk,
        "assignment_id": assignment.pk,
        "item_id": item.pk,
        "strategy_id": strategy.pk,
        "evidence_id": evidence.pk,
        "assessment_id": assessment.pk,
        "member_id": member.pk,
        "resource_id": resource.pk,
    }
