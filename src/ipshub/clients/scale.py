"""Generated client histories for `ipshub seed`: referrals, the referral steps, closures and
re-openings, consents and DVR cases, career profiles, benefits planning, employers and employer
contacts (general and for job seekers), jobs with changes and endings, education and follow-along
supports. Written per program in batches so memory stays flat at the national scale."""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from ipshub.clients.models import (
    BenefitsPlanning,
    CareerProfile,
    Client,
    ClosureReason,
    Consent,
    ContactPurpose,
    DvrCase,
    Education,
    Employer,
    EmployerContact,
    EndReason,
    Enrollment,
    EnrollmentEvent,
    Job,
    JobType,
    ReferralSource,
    Status,
    SupportContact,
)
from ipshub.demo.context import ScaleContext
from ipshub.tenancy.models import Phase, Program

BATCH = 5000

FIRST = [
    "Alex",
    "Avery",
    "Blake",
    "Cameron",
    "Casey",
    "Charlie",
    "Dakota",
    "Drew",
    "Elliot",
    "Emery",
    "Finley",
    "Harper",
    "Hayden",
    "Jamie",
    "Jesse",
    "Jordan",
    "Kai",
    "Kendall",
    "Logan",
    "Morgan",
    "Parker",
    "Peyton",
    "Quinn",
    "Reese",
    "Riley",
    "Rowan",
    "Sage",
    "Sam",
    "Skyler",
    "Taylor",
    "Maria",
    "Jose",
    "Wei",
    "Aisha",
    "Omar",
    "Fatima",
    "Liam",
    "Noah",
    "Emma",
    "Olivia",
    "Ava",
    "Mia",
    "Lucas",
    "Mateo",
    "Chloe",
    "Grace",
    "Hannah",
    "Ethan",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
]
BUSINESSES = [
    "Bakery",
    "Grocery",
    "Hardware",
    "Diner",
    "Cafe",
    "Warehouse",
    "Hotel",
    "Clinic",
    "Library",
    "Garage",
    "Florist",
    "Pharmacy",
    "Laundry",
    "Print",
    "Shop",
    "Pet",
    "Care",
    "Farm",
    "Market",
    "Recycling",
    "Center",
    "Bookstore",
    "Gym",
    "Cinema",
    "Car",
    "Wash",
    "Nursery",
    "Daycare",
    "Print",
    "Works",
]
TITLES = {
    JobType.FOOD: ("Dishwasher", "Line cook", "Barista", "Server"),
    JobType.RETAIL: ("Cashier", "Stock associate", "Sales associate"),
    JobType.CLEANING: ("Custodian", "Housekeeper", "Groundskeeper"),
    JobType.OFFICE: ("Receptionist", "Office assistant", "Data entry clerk"),
    JobType.WAREHOUSE: ("Package handler", "Delivery driver", "Order picker"),
    JobType.CARE: ("Peer support specialist", "Personal care aide"),
    JobType.TRADES: ("Carpenter's helper", "Painter"),
    JobType.MANUFACTURING: ("Assembler", "Machine operator"),
    JobType.TECH: ("IT help desk", "Web tester"),
    JobType.OTHER: ("Dog walker", "Library page"),
}


class _Writer:
    """Collect rows per model and write them in batches of BATCH."""

    def __init__(self, counts: Counter[str]) -> None:
        self.rows: dict[type, list] = {}
        self.counts = counts

    def add(self, row: object) -> None:
        bucket = self.rows.setdefault(type(row), [])
        bucket.append(row)
        if len(bucket) >= BATCH:
            self.flush(type(row))

    def flush(self, model: type | None = None) -> None:
        for kind in [model] if model else list(self.rows):
            rows = self.rows.get(kind, [])
            if rows:
                kind.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
                self.counts[kind._meta.verbose_name_plural.replace(" ", "_")] += len(rows)  # type: ignore[attr-defined]
                self.rows[kind] = []


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    span = max(0, (end - start).days)
    return start + datetime.timedelta(days=rng.randint(0, span))


def generate(ctx: ScaleContext) -> dict[str, int]:
    counts: Counter[str] = Counter()
    today = timezone.localdate()
    per_program = max(1, ctx.scale.clients // max(1, len(ctx.programs)))
    dvr_by_program = dict(
        Program.dvr_offices.through.objects.filter(program__in=[p.pk for p in ctx.programs]).values_list(
            "program_id", "organization_id"
        )
    )
    for index, program in enumerate(ctx.programs):
        if program.phase == Phase.PRIOR:
            continue  # no referrals yet: the first referral is what starts implementation
        _program(ctx, index, program, per_program, dvr_by_program.get(program.pk), today, counts)
    return dict(counts)


def _program(
    ctx: ScaleContext,
    index: int,
    program: Program,
    n_clients: int,
    dvr_office_id: int | None,
    today: datetime.date,
    counts: Counter[str],
) -> None:
    rng = ctx.rng
    specialists = ctx.specialists[index]
    counselor = ctx.dvr_counselors[index]
    began = max(program.kickoff_date or program.phase_since, today - datetime.timedelta(days=365 * ctx.scale.years))
    employers = Employer.objects.bulk_create(
        [
            Employer(
                program=program,
                name=f"{rng.choice(LAST)} {business} {n + 1}",
                industry=business,
                contact_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                hiring_needs="Reliable staff for weekday shifts.",
            )
            for n, business in enumerate(rng.choice(BUSINESSES) for _ in range(max(5, n_clients // 3)))
        ],
        batch_size=BATCH,
    )
    counts["employers"] += len(employers)
    clients = Client.objects.bulk_create(
        [
            Client(
                agency_id=program.mh_agency_id,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                birth_date=datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            )
            for _ in range(n_clients)
        ],
        batch_size=BATCH,
    )
    counts["clients"] += len(clients)
    plans = []
    for client in clients:
        referred = _day(rng, began, today)
        steps: list[tuple[str, datetime.date]] = [(Status.RECEIVED, referred)]
        day = referred
        for next_status, gap in ((Status.ACCEPTED, 7), (Status.FIRST_MEETING, 14), (Status.ENGAGED, 30)):
            day = day + datetime.timedelta(days=rng.randint(1, gap))
            if day > today or rng.random() < 0.04:
                break
            steps.append((next_status, day))
        closed = None
        if steps[-1][0] == Status.ENGAGED and rng.random() < 0.25:
            close_on = steps[-1][1] + datetime.timedelta(days=rng.randint(60, 600))
            if close_on <= today:
                closed = close_on
        reopened = None
        if closed and rng.random() < 0.2:
            reopened = closed + datetime.timedelta(days=rng.randint(30, 200))
            if reopened > today:
                reopened = None
        plans.append((client, steps, closed, reopened))
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                client=client,
                program=program,
                specialist_id=rng.choice(specialists) if len(steps) > 1 else None,
                referral_date=steps[0][1],
                referral_source=rng.choice(ReferralSource.values),
                status=Status.ACCEPTED if reopened else Status.CLOSED if closed else steps[-1][0],
                accepted_on=reopened or dict(steps).get(Status.ACCEPTED),
                first_meeting_on=None if reopened else dict(steps).get(Status.FIRST_MEETING),
                engaged_on=None if reopened else dict(steps).get(Status.ENGAGED),
                closed_on=None if reopened else closed,
                closure_reason=rng.choice(ClosureReason.values) if closed and not reopened else "",
                reopened_on=reopened,
            )
            for client, steps, closed, reopened in plans
        ],
        batch_size=BATCH,
    )
    counts["enrollments"] += len(enrollments)
    out = _Writer(counts)
    for enrollment, (_client, steps, closed, reopened) in zip(enrollments, plans, strict=True):
        previous: str = ""
        for status, on in steps:
            out.add(EnrollmentEvent(enrollment=enrollment, kind="status", from_value=previous, to_value=status, on=on))
            previous = status
        if closed:
            out.add(
                EnrollmentEvent(enrollment=enrollment, kind="status", from_value=previous, to_value="closed", on=closed)
            )
        if reopened:
            out.add(
                EnrollmentEvent(
                    enrollment=enrollment,
                    kind="status",
                    from_value="closed",
                    to_value="accepted",
                    on=reopened,
                    reason="Re-opened",
                )
            )
        engaged = dict(steps).get(Status.ENGAGED)
        if enrollment.specialist_id is None or engaged is None:
            continue
        _history(rng, out, enrollment, engaged, employers, closed or today, dvr_office_id, counselor)
    # General employer contacts: each specialist's job development, about two to three a week.
    for specialist in specialists:
        week = began - datetime.timedelta(days=began.weekday())
        while week <= today:
            for _ in range(rng.randint(0, 5)):
                on = week + datetime.timedelta(days=rng.randint(0, 4))
                if on <= today:
                    out.add(
                        EmployerContact(
                            program=program,
                            employer=rng.choice(employers),
                            specialist_id=specialist,
                            contacted_on=on,
                            face_to_face=rng.random() < 0.8,
                            purpose=rng.choice(
                                (ContactPurpose.INTRODUCE, ContactPurpose.LEARN, ContactPurpose.FOLLOW_UP)
                            ),
                        )
                    )
            week += datetime.timedelta(days=7)
    out.flush()


def _history(
    rng: random.Random,
    out: _Writer,
    enrollment: Enrollment,
    engaged: datetime.date,
    employers: list[Employer],
    until: datetime.date,
    dvr_office_id: int | None,
    counselor_id: int,
) -> None:
    assert enrollment.specialist_id is not None
    out.add(
        CareerProfile(
            enrollment=enrollment,
            version=1,
            preferences="Daytime work near the bus line.",
            strengths="Punctual, friendly.",
            written_on=engaged,
            written_by_id=enrollment.specialist_id,
        )
    )
    if rng.random() < 0.6:
        out.add(
            BenefitsPlanning(
                enrollment=enrollment, offered_on=engaged, completed_on=engaged + datetime.timedelta(days=14)
            )
        )
    if dvr_office_id and rng.random() < 0.4:
        out.add(Consent(client_id=enrollment.client_id, organization_id=dvr_office_id, starts_on=engaged))
        out.add(
            DvrCase(
                enrollment=enrollment,
                dvr_office_id=dvr_office_id,
                counselor_id=counselor_id,
                referred_on=engaged,
                applied_on=engaged + datetime.timedelta(days=10),
                eligibility="eligible",
                eligibility_on=engaged + datetime.timedelta(days=40),
            )
        )
    if rng.random() < 0.1:
        out.add(
            Education(
                enrollment=enrollment,
                course="Certificate",
                institution="Community college",
                started_on=engaged,
            )
        )
    first_contact = enrollment.referral_date + datetime.timedelta(days=rng.randint(3, 60))
    for n in range(rng.randint(1, 8)):
        on = first_contact + datetime.timedelta(days=7 * n)
        if on > until:
            break
        out.add(
            EmployerContact(
                program_id=enrollment.program_id,
                employer=rng.choice(employers),
                specialist_id=enrollment.specialist_id,
                enrollment=enrollment,
                contacted_on=on,
                face_to_face=rng.random() < 0.85,
                purpose=ContactPurpose.CLIENT,
            )
        )
    start = first_contact + datetime.timedelta(days=rng.randint(14, 120))
    version = 1
    while start <= until and rng.random() < 0.55:
        job_type = rng.choice(JobType.values)
        ended = start + datetime.timedelta(days=rng.randint(20, 500)) if rng.random() < 0.5 else None
        if ended is not None and ended > until:
            ended = None
        out.add(
            Job(
                enrollment=enrollment,
                employer=rng.choice(employers),
                title=rng.choice(TITLES[JobType(job_type)]),
                job_type=job_type,
                hours_per_week=Decimal(rng.choice((8, 12, 15, 20, 25, 30, 40))),
                hourly_wage=Decimal(rng.randint(1500, 2600)) / 100,
                is_competitive=rng.random() < 0.95,
                started_on=start,
                ended_on=ended,
                end_reason=rng.choice(EndReason.values) if ended else "",
                next_job_help_offered_on=ended + datetime.timedelta(days=rng.randint(1, 5)) if ended else None,
            )
        )
        # Follow-along: weekly in the first month, then monthly.
        on = start + datetime.timedelta(days=3)
        stop = min(ended or until, until)
        n = 0
        while on <= stop and n < 24:
            out.add(
                SupportContact(
                    enrollment=enrollment,
                    contacted_on=on,
                    kind=rng.choice(SupportContact.Kind.values),
                    setting=SupportContact.Setting.COMMUNITY if rng.random() < 0.7 else SupportContact.Setting.OFFICE,
                    by_id=enrollment.specialist_id,
                )
            )
            on += datetime.timedelta(days=7 if n < 4 else 30)
            n += 1
        if ended is None:
            break
        version += 1
        out.add(
            CareerProfile(
                enrollment=enrollment,
                version=version,
                preferences="Updated after the last job.",
                reason="After a job ended",
                written_on=ended,
                written_by_id=enrollment.specialist_id,
            )
        )
        start = ended + datetime.timedelta(days=rng.randint(10, 120))
