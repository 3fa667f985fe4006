"""Westmark demo: meeting series and a few months of meetings, training, mentoring and TA."""

import datetime
from decimal import Decimal

from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.collaboration import services
from ipshub.collaboration.models import MeetingKind
from ipshub.tenancy.models import Person, Program

WEEKS = 12


def build(ctx: DemoContext) -> None:
    """Add this area's records to the Westmark demo."""
    today = timezone.localdate()
    people = ctx.people
    admin = people["admin"]
    monday = today - datetime.timedelta(days=today.weekday())

    def weekly(
        program: Program, kind: str, title: str, weekday: int, hour: int, who: list[str], trainer_every: int
    ) -> None:
        series = services.series_create(actor=admin, program=program, kind=kind, title=title)
        for week in range(WEEKS, -2, -1):  # twelve weeks back, and next week planned
            day = monday - datetime.timedelta(weeks=week) + datetime.timedelta(days=weekday)
            attendees = [people[u] for u in who]
            if week % trainer_every == 0 and program.trainer is not None:
                attendees.append(program.trainer)
            services.meeting_record(
                actor=admin,
                series=series,
                date=day,
                starts_at=datetime.time(hour, 0),
                ends_at=datetime.time(hour + 1, 0),
                attendees=attendees if day <= today else [],
                invited=[] if day <= today else attendees,
                location="Conference room B" if kind == MeetingKind.IPS_UNIT else "Clinic team room",
                agenda="Job leads; new referrals; people close to a job start" if kind == MeetingKind.IPS_UNIT else "",
                minutes="Shared six job leads; two people start work next week." if day <= today else "",
            )

    pine = ctx.programs["Pine County IPS"]
    weekly(
        pine,
        MeetingKind.IPS_UNIT,
        "Pine County IPS unit meeting",
        1,
        9,
        ["supervisor", "specialist", "flopez"],
        4,
    )
    weekly(
        pine,
        MeetingKind.TREATMENT_TEAM,
        "Pine County treatment team",
        3,
        13,
        ["casemanager", "specialist"],
        6,
    )
    red_cedar = ctx.programs["Red Cedar Nation IPS"]
    weekly(red_cedar, MeetingKind.IPS_UNIT, "Red Cedar IPS unit meeting", 0, 10, ["qhill", "ddavis"], 3)
    weekly(
        red_cedar,
        MeetingKind.TREATMENT_TEAM,
        "Red Cedar treatment team",
        2,
        14,
        ["rblackfeather", "ddavis"],
        5,
    )

    steering = services.series_create(
        actor=admin, program=pine, kind=MeetingKind.STEERING, title="Pine County IPS steering committee"
    )
    for months_ago in (5, 2):
        day = today - datetime.timedelta(days=30 * months_ago)
        meeting = services.meeting_record(
            actor=admin,
            series=steering,
            date=day,
            starts_at=datetime.time(15, 0),
            ends_at=datetime.time(16, 30),
            attendees=[people[u] for u in ("director", "supervisor", "dvrsupervisor")],
            invited=[people["trainer"]],
            agenda="Quarterly outcomes; fidelity action plan; employer advisory group",
            minutes="Employment rate 43% this quarter, above the national average.",
        )
        services.decision_add(actor=admin, meeting=meeting, text="Invite two employers to the next meeting.")
        services.follow_up_add(
            actor=admin,
            meeting=meeting,
            text="Send the quarterly outcomes to the DVR office",
            owner=people["supervisor"],
            due_on=today + datetime.timedelta(days=5 if months_ago == 2 else -120),
        )
    dvr = services.series_create(
        actor=admin,
        program=pine,
        kind=MeetingKind.DVR_COLLABORATION,
        title="Pine County DVR–IPS monthly meeting",
    )
    for months_ago in (2, 1, 0):
        services.meeting_record(
            actor=admin,
            series=dvr,
            date=today - datetime.timedelta(days=30 * months_ago + 3),
            starts_at=datetime.time(11, 0),
            ends_at=datetime.time(12, 0),
            attendees=[people[u] for u in ("counselor", "specialist", "supervisor")],
        )
    statewide = services.series_create(
        actor=people["statelead"],
        organization=ctx.orgs["Westmark State IPS Team"],
        kind=MeetingKind.SUPERVISORS,
        title="Westmark statewide IPS supervisor meeting",
    )
    services.meeting_record(
        actor=people["statelead"],
        series=statewide,
        date=today + datetime.timedelta(days=9),
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        location="Video call",
        invited=[people[u] for u in ("supervisor", "qhill", "kjohnson", "trainer", "lsantos")],
        agenda="Outcome-based supervision; sharing field mentoring practice",
    )

    _training(ctx, today)
    _mentoring_and_ta(ctx, today)


def _training(ctx: DemoContext, today: datetime.date) -> None:
    p = ctx.people
    records = [
        ("specialist", "ips_initial", 300, 28),
        ("supervisor", "ips_initial", 820, 28),
        ("supervisor", "online_supervisor", 700, 10),
        ("flopez", "online_specialist", 90, 10),
        ("casemanager", "mh_half_day", 400, 4),
        ("counselor", "online_dvr", 200, 3),
        ("trainer", "annual_conference", 150, 12),
        ("specialist", "quarterly_webinar", 20, 1),
    ]
    for username, course, days_ago, hours in records:
        person: Person = p[username]
        services.training_record(
            actor=ctx.people["admin"],
            membership=person.memberships.get(),
            course=course,
            completed_on=today - datetime.timedelta(days=days_ago),
            hours=Decimal(hours),
        )


def _mentoring_and_ta(ctx: DemoContext, today: datetime.date) -> None:
    p = ctx.people
    pine = ctx.programs["Pine County IPS"]
    for days_ago, specialist, activity, feedback in (
        (
            40,
            "specialist",
            "employer_visits",
            "Strong introduction at the hardware store; ask more about the manager's needs.",
        ),
        (
            12,
            "flopez",
            "employer_visits",
            "Good second visit to the bakery; bring a tailored proposal next time.",
        ),
        (
            5,
            "specialist",
            "follow_along",
            "Supportive check-in with a new worker; plan a natural-support conversation.",
        ),
    ):
        services.mentoring_log(
            actor=p["supervisor"],
            program=pine,
            specialist=p[specialist],
            date=today - datetime.timedelta(days=days_ago),
            activity=activity,
            feedback=feedback,
            next_steps="Review at next week's supervision.",
            hours=Decimal("2.0"),
        )
    for program_name, trainer, days_ago, kind, topics in (
        (
            "Pine County IPS",
            "trainer",
            45,
            "visit",
            "Job development with employers; field mentoring practice",
        ),
        ("Red Cedar Nation IPS", "trainer", 20, "visit", "Integrating the IPS unit with treatment teams"),
        ("Red Cedar Nation IPS", "trainer", 6, "call", "Preparing the baseline fidelity review"),
        ("Lake County IPS", "lsantos", 14, "consultation", "Benefits planning referrals"),
    ):
        services.ta_log(
            actor=p[trainer],
            program=ctx.programs[program_name],
            date=today - datetime.timedelta(days=days_ago),
            kind=kind,
            topics=topics,
            hours=Decimal("3.0") if kind == "visit" else Decimal("1.0"),
            results="Agreed three changes to the weekly schedule.",
            next_steps_program="Supervisor to add employer contacts to the unit meeting agenda.",
            next_steps_trainer="Send the job development tip sheet.",
        )
