"""Generated implementation records: partnership set-up and roadmap progress, written with bulk_create in
batches. The assignments follow from the work once every area has generated its records (demo/scale.py)."""

import datetime

from ipshub.areakit.scale import ScaleContext
from ipshub.catalog.models import Strategy
from ipshub.implementation.models import (
    ItemStatus,
    PartnershipItem,
    PartnershipKind,
    PartnershipStatus,
    StrategyProgress,
)
from ipshub.tenancy.models import Phase

BATCH = 2000
# Days after the program opened at which generated programs entered each phase (see demo/scale.py).
PHASE_OFFSET = {Phase.PRIOR: 0, Phase.IMPLEMENTATION: 60, Phase.ONGOING: 400}
STAGES_DONE = {Phase.PRIOR: (0, 1), Phase.IMPLEMENTATION: (2, 5), Phase.ONGOING: (6, 10)}


def generate(ctx: ScaleContext) -> dict[str, int]:
    rng = ctx.rng
    programs = ctx.programs
    strategies = list(Strategy.objects.filter(stage__version__is_current=True).select_related("stage"))

    items: list[PartnershipItem] = []
    progress: list[StrategyProgress] = []
    for program in programs:
        opened = program.phase_since - datetime.timedelta(days=PHASE_OFFSET[Phase(program.phase)])
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
    PartnershipItem.objects.bulk_create(items, batch_size=BATCH)
    StrategyProgress.objects.bulk_create(progress, batch_size=BATCH)
    return {
        "partnership set-up items": len(items),
        "roadmap strategies done": len(progress),
    }
