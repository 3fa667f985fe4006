"""Generated client histories for `ipshub seed`: referrals, the referral steps, closures and
re-openings, consents and DVR cases, career profiles, benefits planning, employers and employer
contacts (general and for job seekers), jobs with changes and endings, education and follow-along
supports. Generated one program at a time and streamed to the database in batches (COPY on
PostgreSQL, see ipshub.areakit.bulk) so memory stays flat at the national scale."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ipshub.areakit.bulk import BulkWriter, Table
from ipshub.areakit.scale import ScaleContext
from ipshub.clients import weeks
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
from ipshub.tenancy.models import Phase, Program

# Follow-along contacts per job at most (about two years of them).
SUPPORTS_PER_JOB = 56

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


@dataclass
class _Tables:
    """The tables this area writes, each opened once with the columns its rows give."""

    employers: Table
    clients: Table
    enrollments: Table
    events: Table
    profiles: Table
    benefits: Table
    consents: Table
    dvr_cases: Table
    education: Table
    employer_contacts: Table
    jobs: Table
    supports: Table

    @classmethod
    def open(cls, out: BulkWriter) -> "_Tables":
        return cls(
            employers=out.table(
                Employer,
                ["program", "name", "industry", "contact_name", "hiring_needs"],
                with_ids=True,
                label="employers",
            ),
            clients=out.table(
                Client, ["agency", "first_name", "last_name", "birth_date"], with_ids=True, label="clients"
            ),
            enrollments=out.table(
                Enrollment,
                [
                    "client",
                    "program",
                    "specialist",
                    "referral_date",
                    "referral_source",
                    "status",
                    "accepted_on",
                    "first_meeting_on",
                    "engaged_on",
                    "closed_on",
                    "closure_reason",
                    "reopened_on",
                ],
                with_ids=True,
                label="enrollments",
            ),
            events=out.table(
                EnrollmentEvent,
                ["enrollment", "kind", "from_value", "to_value", "on", "reason"],
                label="enrollment_events",
            ),
            profiles=out.table(
                CareerProfile,
                ["enrollment", "version", "preferences", "strengths", "reason", "written_on", "written_by"],
                label="career_profiles",
            ),
            benefits=out.table(
                BenefitsPlanning, ["enrollment", "offered_on", "completed_on"], label="benefits_plannings"
            ),
            consents=out.table(Consent, ["client", "organization", "starts_on"], label="consents"),
            dvr_cases=out.table(
                DvrCase,
                ["enrollment", "dvr_office", "counselor", "referred_on", "applied_on", "eligibility", "eligibility_on"],
                label="dvr_cases",
            ),
            education=out.table(Education, ["enrollment", "course", "institution", "started_on"], label="educations"),
            employer_contacts=out.table(
                EmployerContact,
                ["program", "employer", "specialist", "enrollment", "contacted_on", "face_to_face", "purpose"],
                label="employer_contacts",
            ),
            jobs=out.table(
                Job,
                [
                    "enrollment",
                    "employer",
                    "title",
                    "job_type",
                    "hours_per_week",
                    "hourly_wage",
                    "is_competitive",
                    "started_on",
                    "ended_on",
                    "end_reason",
                    "next_job_help_offered_on",
                ],
                label="jobs",
            ),
            supports=out.table(
                SupportContact, ["enrollment", "contacted_on", "kind", "setting", "by"], label="support_contacts"
            ),
        )


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    span = max(0, (end - start).days)
    return start + datetime.timedelta(days=rng.randint(0, span))


def generate(ctx: ScaleContext) -> dict[str, int]:
    counts: Counter[str] = Counter()
    today = timezone.localdate()
    # Programs still "prior to implementation" have no clients yet; the others share the scale's clients.
    active = [p for p in ctx.programs if p.phase != Phase.PRIOR]
    per_program, extra = divmod(ctx.scale.clients, max(1, len(active)))
    dvr_by_program = dict(
        Program.dvr_offices.through.objects.filter(program__in=[p.pk for p in ctx.programs]).values_list(
            "program_id", "organization_id"
        )
    )
    out = BulkWriter(counts)
    tables = _Tables.open(out)
    n = 0
    for index, program in enumerate(ctx.programs):
        if program.phase == Phase.PRIOR:
            continue  # no referrals yet: the first referral is what starts implementation
        size = max(1, per_program + (1 if n < extra else 0))
        _program(ctx, tables, index, program, size, dvr_by_program.get(program.pk), today)
        n += 1
    out.flush()
    return dict(counts)


def _program(
    ctx: ScaleContext,
    t: _Tables,
    index: int,
    program: Program,
    n_clients: int,
    dvr_office_id: int | None,
    today: datetime.date,
) -> None:
    rng = ctx.rng
    specialists = ctx.specialists[index]
    counselor = ctx.dvr_counselors[index]
    began = max(program.kickoff_date or program.phase_since, today - datetime.timedelta(days=365 * ctx.scale.years))
    employers = [
        t.employers.add(
            program.pk,
            f"{rng.choice(LAST)} {business} {n + 1}",
            business,
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "Reliable staff for weekday shifts.",
        )
        for n, business in enumerate(rng.choice(BUSINESSES) for _ in range(max(5, n_clients // 3)))
    ]
    referral_sources, closure_reasons = ReferralSource.values, ClosureReason.values
    for _ in range(n_clients):
        client_id = t.clients.add(
            program.mh_agency_id,
            rng.choice(FIRST),
            rng.choice(LAST),
            datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        )
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
        on_step = dict(steps)
        specialist = rng.choice(specialists) if len(steps) > 1 else None
        enrollment_id = t.enrollments.add(
            client_id,
            program.pk,
            specialist,
            referred,
            rng.choice(referral_sources),
            Status.ACCEPTED if reopened else Status.CLOSED if closed else steps[-1][0],
            reopened or on_step.get(Status.ACCEPTED),
            None if reopened else on_step.get(Status.FIRST_MEETING),
            None if reopened else on_step.get(Status.ENGAGED),
            None if reopened else closed,
            rng.choice(closure_reasons) if closed and not reopened else "",
            reopened,
        )
        previous: str = ""
        for status, on in steps:
            t.events.add(enrollment_id, "status", previous, str(status), on, "")
            previous = status
        if closed:
            t.events.add(enrollment_id, "status", previous, "closed", closed, "")
        if reopened:
            t.events.add(enrollment_id, "status", "closed", "accepted", reopened, "Re-opened")
        engaged = on_step.get(Status.ENGAGED)
        if specialist is None or engaged is None:
            continue
        _history(
            rng,
            t,
            _Enrollment(enrollment_id, client_id, program.pk, specialist, referred),
            engaged,
            employers,
            closed or today,
            dvr_office_id,
            counselor,
            strength=ctx.strength(index, referred),
        )
    # General employer contacts: each specialist's job development, from about one a week in a weak program
    # to three or four in a strong one (ScaleContext.strength, issue #23).
    purposes = (ContactPurpose.INTRODUCE, ContactPurpose.LEARN, ContactPurpose.FOLLOW_UP)
    # Each week of the program's life, by the product's one definition of a week (Monday to Sunday).
    week = weeks.week_of(began)
    mondays = []
    while week.monday <= today:
        mondays.append(week.monday)
        week = week.shifted(1)
    days = [datetime.timedelta(days=n) for n in range(5)]
    add = t.employer_contacts.add
    for specialist in specialists:
        for monday in mondays:
            for _ in range(rng.randint(0, round(1 + 6 * ctx.strength(index, monday)))):
                on = monday + rng.choice(days)
                if on <= today:
                    add(
                        program.pk,
                        rng.choice(employers),
                        specialist,
                        None,
                        on,
                        rng.random() < 0.8,
                        rng.choice(purposes),
                    )


@dataclass(frozen=True)
class _Enrollment:
    id: int
    client_id: int
    program_id: int
    specialist_id: int
    referral_date: datetime.date


def _history(
    rng: random.Random,
    t: _Tables,
    enrollment: _Enrollment,
    engaged: datetime.date,
    employers: list[int],
    until: datetime.date,
    dvr_office_id: int | None,
    counselor_id: int,
    strength: float = 0.5,
) -> None:
    e, by = enrollment.id, enrollment.specialist_id
    t.profiles.add(e, 1, "Daytime work near the bus line.", "Punctual, friendly.", "", engaged, by)
    if rng.random() < 0.6:
        t.benefits.add(e, engaged, engaged + datetime.timedelta(days=14))
    if dvr_office_id and rng.random() < 0.4:
        t.consents.add(enrollment.client_id, dvr_office_id, engaged)
        t.dvr_cases.add(
            e,
            dvr_office_id,
            counselor_id,
            engaged,
            engaged + datetime.timedelta(days=10),
            "eligible",
            engaged + datetime.timedelta(days=40),
        )
    if rng.random() < 0.1:
        t.education.add(e, "Certificate", "Community college", engaged)
    # A strong program meets an employer with a new client within a couple of weeks; a weak one takes two months.
    first_contact = enrollment.referral_date + datetime.timedelta(days=rng.randint(3, round(10 + 50 * (1 - strength))))
    for n in range(rng.randint(1, 8)):
        on = first_contact + datetime.timedelta(days=7 * n)
        if on > until:
            break
        t.employer_contacts.add(
            enrollment.program_id, rng.choice(employers), by, e, on, rng.random() < 0.85, ContactPurpose.CLIENT
        )
    start = first_contact + datetime.timedelta(days=rng.randint(14, 120))
    version = 1
    kinds, community, office = (
        SupportContact.Kind.values,
        SupportContact.Setting.COMMUNITY,
        SupportContact.Setting.OFFICE,
    )
    while start <= until and rng.random() < 0.55:
        job_type = rng.choice(JobType.values)
        ended = start + datetime.timedelta(days=rng.randint(20, 500)) if rng.random() < 0.5 else None
        if ended is not None and ended > until:
            ended = None
        t.jobs.add(
            e,
            rng.choice(employers),
            rng.choice(TITLES[JobType(job_type)]),
            job_type,
            Decimal(rng.choice((8, 12, 15, 20, 25, 30, 40))),
            Decimal(rng.randint(1500, 2600)) / 100,
            rng.random() < 0.95,
            start,
            ended,
            rng.choice(EndReason.values) if ended else "",
            ended + datetime.timedelta(days=rng.randint(1, 5)) if ended else None,
        )
        # Follow-along: weekly in the first month, then every two weeks, for as long as the job lasts.
        on = start + datetime.timedelta(days=3)
        stop = min(ended or until, until)
        n = 0
        while on <= stop and n < SUPPORTS_PER_JOB:
            t.supports.add(e, on, rng.choice(kinds), community if rng.random() < 0.7 else office, by)
            on += datetime.timedelta(days=7 if n < 4 else 14)
            n += 1
        if ended is None:
            break
        version += 1
        t.profiles.add(e, version, "Updated after the last job.", "", "After a job ended", ended, by)
        start = ended + datetime.timedelta(days=rng.randint(10, 120))
