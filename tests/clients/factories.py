"""Client records for tests, made through the services (so every rule and audit event applies)."""

import base64
import datetime
import io
from decimal import Decimal
from itertools import count

from PIL import Image, ImageDraw

from ipshub.clients import services, signing
from ipshub.clients.models import Employer, Enrollment, Job
from ipshub.tenancy.models import Person
from tests.world import World

_names = count(1)


def days_ago(n: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=n)


def enroll(
    world: World,
    *,
    program: str = "p1",
    referrer: str = "case_manager",
    supervisor: str | None = "supervisor",
    specialist: str | None = "specialist",
    first: str | None = None,
    last: str = "Tester",
    referred: int = 60,
) -> Enrollment:
    enrollment = services.referral_create(
        actor=world.people[referrer],
        program=world.programs[program],
        first_name=first or f"Client{next(_names)}",
        last_name=last,
        birth_date=datetime.date(1990, 5, 17),
        referral_date=days_ago(referred),
        referral_source="case_manager",
    )
    if supervisor and specialist:
        services.enrollment_assign(
            actor=world.people[supervisor], enrollment=enrollment, specialist=world.people[specialist]
        )
    return enrollment


def employer(world: World, program: str = "p1", name: str = "Cedar Bakery", actor: str = "supervisor") -> Employer:
    return services.employer_create(actor=world.people[actor], program=world.programs[program], name=name)


def start_job(actor: Person, enrollment: Enrollment, employer: Employer, started: int = 30) -> Job:
    return services.job_start(
        actor=actor,
        enrollment=enrollment,
        employer=employer,
        title="Baker's assistant",
        job_type="food",
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("16.50"),
        started_on=days_ago(started),
    )


def signature_png(width: int = 120, height: int = 40, ink: bool = True) -> bytes:
    """A drawn signature as the signing pad sends it: a transparent PNG with a stroke across it."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(5, height - 10), (width // 2, 8), (width - 5, height - 12)], fill="black", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature_data_url(ink: bool = True) -> str:
    return "data:image/png;base64," + base64.b64encode(signature_png(ink=ink)).decode()


def dvr_terms(world: World, **changes: object) -> "signing.ReleaseTerms":
    values: dict[str, object] = {
        "organization": world.orgs["dvr1"],
        "scope": "employment",
        "purpose": "to plan my job search with my DVR counselor",
        "starts_on": days_ago(0),
        "expires_on": days_ago(-365),
        "expires_event": "",
    }
    values.update(changes)
    return signing.ReleaseTerms(**values)  # type: ignore[arg-type]
