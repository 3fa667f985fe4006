"""DVR records for tests, made through the services."""

import datetime
from decimal import Decimal

from ipshub.clients import services as clients_services
from ipshub.clients.models import Employer, Enrollment
from ipshub.dvr import services
from ipshub.dvr.models import Authorization
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World


def shared_client(world: World, **kwargs) -> Enrollment:
    """A P1 client with an active consent to the DVR office dvr1."""
    return consented(world, enroll(world, **kwargs))


def consented(world: World, enrollment: Enrollment) -> Enrollment:
    """The client, with an active consent to the DVR office dvr1."""
    clients_services.consent_create(
        actor=world.people["specialist"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(50),
    )
    return enrollment


def authorize(
    world: World,
    enrollment: Enrollment,
    service: str = "placement",
    *,
    started: int = 40,
    ends_in: int = 80,
    units: str = "10",
    amount: str = "2000",
) -> Authorization:
    return services.authorization_create(
        actor=world.people["counselor"],
        enrollment=enrollment,
        dvr_office=world.orgs["dvr1"],
        service_code=service,
        starts_on=days_ago(started),
        ends_on=datetime.date.today() + datetime.timedelta(days=ends_in),
        units=Decimal(units),
        amount=Decimal(amount),
    )


def hired(world: World, enrollment: Enrollment, started: int = 20):
    bakery = Employer.objects.filter(program=enrollment.program, name="Cedar Bakery").first() or employer(world)
    return start_job(world.people["specialist"], enrollment, bakery, started=started)


def report_data(authorization: Authorization, **overrides) -> dict:
    data = services.report_initial(authorization, datetime.date.today())
    data.setdefault("summary", "Found a bakery job matching the morning preference.")
    data["summary"] = data["summary"] or "Found a bakery job matching the morning preference."
    data.update(overrides)
    return data
