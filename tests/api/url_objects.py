"""Objects of program P1 / state A for the URL keywords of the API and the token and import pages."""

import datetime
from decimal import Decimal

from ipshub.api import import_jobs, services
from ipshub.tenancy.models import MinimumWage
from tests.world import World

ROWS = [
    {
        "record_number": "URL-1",
        "first_name": "Walk",
        "last_name": "Tester",
        "birth_date": "1980-01-02",
        "referral_date": "2025-01-10",
        "referral_source": "self",
    }
]


def object_ids(world: World) -> dict[str, int]:
    director = world.people["director"]
    token, _key = services.token_create(actor=director, person=director, name="Director's export")
    job = import_jobs.job_create(
        actor=world.people["supervisor"],
        program=world.programs["p1"],
        kind="clients",
        mode="dry_run",
        filename="walk.csv",
        rows=ROWS,
    )
    # State A's own minimum wage (its edit page and API address are the state team's).
    wage = MinimumWage.objects.create(
        state=world.state_a, hourly_rate=Decimal("11.00"), effective_from=datetime.date(2025, 1, 1)
    )
    return {"token_id": token.pk, "import_id": job.pk, "minimum_wage_id": wage.pk}
