import datetime
from decimal import Decimal

from django.utils import timezone

from ipshub.areakit.scale import ScaleContext
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.metrics import Quarter
from ipshub.outcomes.models import QuarterlyReport, Source, Status

BATCH = 2000


def generate(ctx: ScaleContext) -> dict[str, int]:
    """Accepted, submitted-source quarterly reports for every generated program, for the scale's years."""
    today = timezone.localdate()
    last = Quarter.containing(today).previous()
    count = ctx.scale.years * 4
    quarters = [Quarter.from_index(last.index - count + 1 + i) for i in range(count)]
    version = catalog().latest(DEFAULT_CODE).version
    deadline = datetime.timedelta(days=catalog().deadline_days)
    clients = max(1, ctx.scale.clients // max(1, ctx.scale.programs))
    now = timezone.now()
    batch: list[QuarterlyReport] = []
    written = 0
    for index, program in enumerate(ctx.programs):
        level = ctx.rng.uniform(0.25, 0.55)
        for q in quarters:
            served = max(1, int(clients * ctx.rng.uniform(0.5, 0.7)))
            # The rate moves halfway toward what the program's work of the quarter before earns (its strength:
            # the same that sets its employer contacts and days to first contact in the client records, see
            # ScaleContext.strength), plus chance: so this quarter's indicators tell something of the next.
            earned = 0.18 + 0.34 * ctx.strength(index, q.previous().first_day + datetime.timedelta(days=45))
            level = min(0.8, max(0.1, level + 0.5 * (earned - level) + ctx.rng.uniform(-0.06, 0.06)))
            worked = min(served, int(served * level))
            new = max(1, served // 6)
            batch.append(
                QuarterlyReport(
                    program=program,
                    year=q.year,
                    quarter=q.quarter,
                    definition_code=DEFAULT_CODE,
                    definition_version=version,
                    source=Source.SUBMITTED,
                    status=Status.ACCEPTED,
                    due_on=q.last_day + deadline,
                    served=served,
                    worked=worked,
                    in_education=served // 9,
                    job_starts=max(0, worked // 4),
                    job_endings=worked // 7,
                    new_clients=new,
                    new_with_contact_30d=new // 2,
                    avg_weekly_hours=Decimal(ctx.rng.randint(1200, 2400)) / 100,
                    avg_hourly_wage=Decimal(ctx.rng.randint(1500, 2400)) / 100,
                    submitted_at=now,
                    reviewed_at=now,
                )
            )
            if len(batch) >= BATCH:
                QuarterlyReport.objects.bulk_create(batch)
                written += len(batch)
                batch = []
    QuarterlyReport.objects.bulk_create(batch)
    written += len(batch)
    return {"outcome reports": written}
