"""Generated implementation records: assignments for each program's phases, partnership set-up and
roadmap progress, written with bulk_create in batches."""

import datetime

from django.utils import timezone

from ipshub.areakit.scale import ScaleContext
from ipshub.catalog.models import Responsibility, Strategy
from ipshub.implementation.models import (
    Assignment,
    ItemStatus,
    PartnershipItem,
    PartnershipKind,
    PartnershipStatus,
    StrategyProgress,
)
from ipshub.implementation.services import CATALOG_PHASES_ON_ENTRY, PHASE_ORDER
from ipshub.tenancy.models import Organization, Phase, Program
from ipshub.tenancy.roles import OrgKind

BATCH = 2000
# Days after the program opened at which generated programs entered each phase (see demo/scale.py).
PHASE_OFFSET = {Phase.PRIOR: 0, Phase.IMPLEMENTATION: 60, Phase.ONGOING: 400}
STAGES_DONE = {Phase.PRIOR: (0, 1), Phase.IMPLEMENTATION: (2, 5), Phase.ONGOING: (6, 10)}


def generate(ctx: ScaleContext) -> dict[str, int]:
    rng, today = ctx.rng, timezone.localdate()
    programs = ctx.programs
    ids = [p.pk for p in programs]
    state_teams = dict(
        Organization.objects.filter(kind=OrgKind.STATE_TEAM, state_id__in={p.state_id for p in programs})
        .order_by("-pk")
        .values_list("state_id", "pk")
    )
    dvr: dict[int, int] = {}
    for program_id, org_id in (
        Program.dvr_offices.through.objects.filter(program_id__in=ids)
        .order_by("organization__name")
        .values_list("program_id", "organization_id")
    ):
        dvr.setdefault(program_id, org_id)
    by_phase: dict[str, list[Responsibility]] = {}
    for item in Responsibility.objects.filter(version__is_current=True).select_related("party", "phase"):
        by_phase.setdefault(item.phase.key, []).append(item)
    strategies = list(Strategy.objects.filter(stage__version__is_current=True).select_related("stage"))

    assignments: list[Assignment] = []
    items: list[PartnershipItem] = []
    progress: list[StrategyProgress] = []
    for program in programs:
        opened = program.phase_since - datetime.timedelta(days=PHASE_OFFSET[Phase(program.phase)])
        orgs = {
            "state_team": state_teams.get(program.state_id),
            "mh_agency": program.mh_agency_id,
            "employment_provider": program.employment_provider_id or program.mh_agency_id,
            "dvr": dvr.get(program.pk),
        }
        for step in PHASE_ORDER[: PHASE_ORDER.index(Phase(program.phase)) + 1]:
            start = opened + datetime.timedelta(days=PHASE_OFFSET[step])
            for key in CATALOG_PHASES_ON_ENTRY[step]:
                for r in by_phase.get(key, []):
                    due = start + datetime.timedelta(days=r.due_days)
                    done = due < today - datetime.timedelta(days=14) and rng.random() < 0.85
                    assignments.append(
                        Assignment(
                            program_id=program.pk,
                            responsibility_id=r.pk,
                            party_key=r.party.key,
                            phase_key=key,
                            organization_id=orgs[r.party.key],
                            due_on=due,
                            status=ItemStatus.DONE if done else ItemStatus.NOT_STARTED,
                            completed_on=due if done else None,
                        )
                    )
        past_prior = program.phase != Phase.PRIOR
        for kind in PartnershipKind.values:
            done = past_prior or rng.random() < 0.4
            items.append(
                PartnershipItem(
                    program_id=program.pk,
                    kind=kind,
                    status=PartnershipStatus.DONE if done else PartnershipStatus.NOT_STARTED,
                    agreed_on=opened + datetime.timedelta(days=30) if done else None,
                )
            )
        low, high = STAGES_DONE[Phase(program.phase)]
        stages_done = rng.randint(low, high)
        progress.extend(
            StrategyProgress(
                program_id=program.pk,
                strategy_id=s.pk,
                status=ItemStatus.DONE,
                completed_on=opened + datetime.timedelta(days=15 * s.stage.number),
            )
            for s in strategies
            if s.stage.number <= stages_done
        )
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    PartnershipItem.objects.bulk_create(items, batch_size=BATCH)
    StrategyProgress.objects.bulk_create(progress, batch_size=BATCH)
    return {
        "responsibility assignments": len(assignments),
        "partnership set-up items": len(items),
        "roadmap strategies done": len(progress),
    }
