"""Westmark demo: meeting series and meetings, training, mentoring and technical assistance.

Pine County IPS (in ongoing service) holds what a real program has over the last year, so its roles
matrix closes by itself: the partnership planning meeting of its first weeks, weekly IPS unit and treatment
team meetings (DVR's counselor at the unit meeting once a month), a steering committee meeting every
quarter (one of them reviewing the latest fidelity report the day it was delivered), monthly DVR–IPS
meetings, the statewide supervisors' meeting and the learning community webinar each quarter, its people's
training, and the trainer's technical assistance each quarter. What is left open is genuinely still to
come: this quarter's webinar, for one, is planned for later in the quarter's last month.
Dates are relative to today, by calendar month and quarter, like the rest of the demo.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from ipshub.areakit import hooks
from ipshub.areakit.demo import DemoContext
from ipshub.collaboration import services
from ipshub.collaboration.models import MeetingKind, MeetingSeries
from ipshub.tenancy.models import Person, Program

WEEKS = 12
# The day Pine County's latest fidelity report was delivered (fidelity/demo.py delivers it then): its
# steering committee reviewed the report with the reviewers that day, and the trainer followed up the next.
PINE_REPORT_DAYS_AGO = 170
ONE_DAY = datetime.timedelta(days=1)


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _months_since(first: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The first day of each month from `first`'s month to today's."""
    months = []
    day = first.replace(day=1)
    while day <= today:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _history_start(today: datetime.date) -> datetime.date:
    """The first day of the quarter a year ago: the roles matrix looks back that far."""
    return _quarter_start(today - datetime.timedelta(days=365))


def _quarters(today: datetime.date) -> list[datetime.date]:
    return [m for m in _months_since(_history_start(today), today) if m.month % 3 == 1]


def _on(month: datetime.date, day: int, offset: int = 0) -> datetime.date:
    """Day `day` of the month `offset` months after `month`."""
    first = month
    for _ in range(offset):
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first.replace(day=day)


def build(ctx: DemoContext) -> None:
    """Add this area's records to the Westmark demo."""
    today = timezone.localdate()
    people = ctx.people
    admin = people["admin"]
    monday = today - datetime.timedelta(days=today.weekday())

    def weekly(
        program: Program,
        kind: str,
        title: str,
        weekday: int,
        hour: int,
        who: list[str],
        trainer_every: int,
        monthly: list[str] | None = None,
        history: bool = False,
    ) -> None:
        """Twelve weeks back and next week planned; with `history`, every fourth week back a year before
        that. `monthly` people come every fourth week."""
        series = services.series_create(actor=admin, program=program, kind=kind, title=title)
        weeks = list(range(WEEKS, -2, -1))
        if history:  # weeks 2, 6, 10... before the twelve: the `monthly` people's weeks
            back = (today - _history_start(today)).days // 7 + 1
            weeks = list(range(back - back % 4 + 2, WEEKS, -4)) + weeks
        for week in weeks:
            day = monday - datetime.timedelta(weeks=week) + datetime.timedelta(days=weekday)
            attendees = [people[u] for u in who]
            if week % trainer_every == 0 and program.trainer is not None:
                attendees.append(program.trainer)
            if monthly and week % 4 == 2:
                attendees += [people[u] for u in monthly]
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
    _planning(ctx, pine, "trainer", ("statelead", "director", "supervisor", "dvrsupervisor"), 880)
    _planning(ctx, ctx.programs["Harbor City IPS"], "lsantos", ("mgarcia", "kjohnson", "scooper"), 20)
    weekly(
        pine,
        MeetingKind.IPS_UNIT,
        "Pine County IPS unit meeting",
        1,
        9,
        ["supervisor", "specialist", "flopez"],
        4,
        monthly=["counselor"],
        history=True,
    )
    weekly(
        pine,
        MeetingKind.TREATMENT_TEAM,
        "Pine County treatment team",
        3,
        13,
        ["casemanager", "specialist"],
        6,
        history=True,
    )
    red_cedar = ctx.programs["Red Cedar Nation IPS"]
    weekly(
        red_cedar,
        MeetingKind.IPS_UNIT,
        "Red Cedar IPS unit meeting",
        0,
        10,
        ["qhill", "ddavis"],
        3,
        monthly=["hmartin"],
    )
    weekly(
        red_cedar,
        MeetingKind.TREATMENT_TEAM,
        "Red Cedar treatment team",
        2,
        14,
        ["rblackfeather", "ddavis"],
        5,
    )
    _pine_steering(ctx, pine, today)
    _pine_dvr(ctx, pine, today)
    _statewide(ctx, today)
    _training(ctx, today)
    _mentoring_and_ta(ctx, today)


def _planning(ctx: DemoContext, program: Program, trainer: str, who: tuple[str, ...], days_ago: int) -> None:
    """The four parties' first planning meeting, in the program's first weeks (prior to implementation)."""
    people = ctx.people
    planning = services.series_create(
        actor=people[trainer],
        program=program,
        kind=MeetingKind.PLANNING,
        title=f"{program.name} partnership planning",
    )
    services.meeting_record(
        actor=people[trainer],
        series=planning,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(12, 0),
        attendees=[people[u] for u in (trainer, *who)],
        location=f"{program.mh_agency.name}, board room",
        agenda="What IPS asks of each partner; referral procedure; billing and reporting; a start date",
        minutes="The four parties agreed to implement IPS. DVR will name a liaison counselor. "
        "Target start: in two months.",
    )


def _pine_steering(ctx: DemoContext, pine: Program, today: datetime.date) -> None:
    people = ctx.people
    admin = people["admin"]
    steering = services.series_create(
        actor=admin, program=pine, kind=MeetingKind.STEERING, title="Pine County IPS steering committee"
    )
    members = [people[u] for u in ("director", "supervisor", "dvrsupervisor")]
    held: list[datetime.date] = []
    for months_ago in (5, 2):
        day = today - datetime.timedelta(days=30 * months_ago)
        meeting = services.meeting_record(
            actor=admin,
            series=steering,
            date=day,
            starts_at=datetime.time(15, 0),
            ends_at=datetime.time(16, 30),
            attendees=members,
            invited=[people["trainer"]],
            agenda="Quarterly outcomes; fidelity action plan; employer advisory group",
            minutes="Employment rate 43% this quarter, above the national average.",
        )
        held.append(day)
        services.decision_add(actor=admin, meeting=meeting, text="Invite two employers to the next meeting.")
        services.follow_up_add(
            actor=admin,
            meeting=meeting,
            text="Send the quarterly outcomes to the DVR office",
            owner=people["supervisor"],
            due_on=today + datetime.timedelta(days=5 if months_ago == 2 else -120),
        )
    report_day = today - datetime.timedelta(days=PINE_REPORT_DAYS_AGO)
    meeting = services.meeting_record(
        actor=admin,
        series=steering,
        date=report_day,
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        attendees=[*members, people["trainer"], people["reviewer"]],
        agenda="The fidelity review report, with the lead reviewer; strategies for improvement",
        minutes="The lead reviewer presented the report. The committee chose employer contacts and time in the "
        "community as the plan's focus.",
    )
    services.decision_add(actor=admin, meeting=meeting, text="Draft the fidelity action plan with the trainer.")
    held.append(report_day)
    # Every other quarter of the year has its meeting too.
    for quarter in _quarters(today):
        if any(_quarter_start(day) == quarter for day in held):
            continue
        day = _on(quarter, 12, 1)
        if day >= today:
            continue
        services.meeting_record(
            actor=admin,
            series=steering,
            date=day,
            starts_at=datetime.time(15, 0),
            ends_at=datetime.time(16, 30),
            attendees=[*members, people["trainer"]],
            agenda="Quarterly outcomes; referrals from the clinics; the fidelity action plan",
            minutes="Outcomes reviewed; the action plan is on track.",
        )


def _pine_dvr(ctx: DemoContext, pine: Program, today: datetime.date) -> None:
    """The DVR–IPS meeting on the tenth of every month (next month's planned)."""
    people = ctx.people
    dvr = services.series_create(
        actor=ctx.people["admin"],
        program=pine,
        kind=MeetingKind.DVR_COLLABORATION,
        title="Pine County DVR–IPS monthly meeting",
    )
    who = [people[u] for u in ("counselor", "specialist", "supervisor")]
    months = _months_since(_history_start(today), today)
    months.append((months[-1] + datetime.timedelta(days=32)).replace(day=1))
    for month in months:
        day = month.replace(day=10)
        held = day < today
        services.meeting_record(
            actor=ctx.people["admin"],
            series=dvr,
            date=day,
            starts_at=datetime.time(11, 0),
            ends_at=datetime.time(12, 0),
            attendees=who if held else [],
            invited=[] if held else who,
            agenda="Shared clients' DVR status; new DVR referrals; benefits counseling",
        )
        if not held:
            break


def _statewide_series(ctx: DemoContext, kind: str, title: str) -> MeetingSeries:
    return services.series_create(
        actor=ctx.people["statelead"], organization=ctx.orgs["Westmark State IPS Team"], kind=kind, title=title
    )


def _statewide(ctx: DemoContext, today: datetime.date) -> None:
    """The supervisors' meeting early in each quarter, the webinar in each quarter's last month."""
    people, lead = ctx.people, ctx.people["statelead"]
    supervisors = _statewide_series(ctx, MeetingKind.SUPERVISORS, "Westmark statewide IPS supervisor meeting")
    webinar = _statewide_series(ctx, MeetingKind.WEBINAR, "Westmark IPS learning community webinar")
    supervisors_who = [people[u] for u in ("supervisor", "qhill", "kjohnson", "trainer", "lsantos")]
    webinar_who = [people[u] for u in ("specialist", "flopez", "casemanager", "ddavis", "trainer")]
    for quarter in _quarters(today):
        for series, day, who, hours in (
            (supervisors, _on(quarter, 20), supervisors_who, (13, 15)),
            (webinar, _on(quarter, 16, 2), webinar_who, (12, 13)),
        ):
            held = day < today
            services.meeting_record(
                actor=lead,
                series=series,
                date=day,
                starts_at=datetime.time(hours[0], 0),
                ends_at=datetime.time(hours[1], 0),
                location="Video call",
                attendees=who if held else [],
                invited=[] if held else who,
                agenda="Outcome-based supervision; sharing field mentoring practice"
                if series == supervisors
                else "Job development with employers who say they have no openings",
            )
    services.meeting_record(
        actor=lead,
        series=supervisors,
        date=today + datetime.timedelta(days=9),
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        location="Video call",
        invited=supervisors_who,
        agenda="Outcome-based supervision; sharing field mentoring practice",
    )


def _training(ctx: DemoContext, today: datetime.date) -> None:
    p = ctx.people
    records = [
        ("specialist", "ips_initial", today - datetime.timedelta(days=300), 28),
        ("supervisor", "ips_initial", today - datetime.timedelta(days=820), 28),
        ("supervisor", "online_supervisor", today - datetime.timedelta(days=700), 10),
        ("flopez", "online_specialist", today - datetime.timedelta(days=90), 10),
        ("casemanager", "online_practitioner", today - datetime.timedelta(days=390), 3),
        ("casemanager", "mh_half_day", today - datetime.timedelta(days=400), 4),
        ("counselor", "online_dvr", today - datetime.timedelta(days=200), 3),
    ]
    # The annual conference, each May: last year's, and this year's once it has happened.
    for year in sorted({(today - datetime.timedelta(days=365)).year, today.year}):
        conference = datetime.date(year, 5, 14)
        if conference < today:
            records += [(u, "annual_conference", conference, 12) for u in ("trainer", "supervisor", "specialist")]
    for username, course, completed_on, hours in records:
        person: Person = p[username]
        services.training_record(
            actor=ctx.people["admin"],
            membership=person.memberships.get(),
            course=course,
            completed_on=completed_on,
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
    entries = [
        ("Pine County IPS", "trainer", 870, "consultation", "Initial training and planning with the new partners"),
        ("Pine County IPS", "trainer", 45, "visit", "Job development with employers; field mentoring practice"),
        (
            "Pine County IPS",
            "trainer",
            PINE_REPORT_DAYS_AGO - 1,
            "consultation",
            "The fidelity report and the quarter's outcomes with the IPS supervisor and agency leaders",
        ),
        ("Red Cedar Nation IPS", "trainer", 120, "visit", "Kick-off: the IPS unit and the referral procedure"),
        ("Red Cedar Nation IPS", "trainer", 20, "visit", "Integrating the IPS unit with treatment teams"),
        ("Red Cedar Nation IPS", "trainer", 6, "call", "Preparing the baseline fidelity review"),
        ("Lake County IPS", "lsantos", 14, "consultation", "Benefits planning referrals"),
    ]
    # Pine County's trainer visits or consults every quarter.
    topics = ("Outcome review with the supervisor and leaders", "Field mentoring of the new specialist")
    for n, quarter in enumerate(_quarters(today)):
        day = _on(quarter, 15, 1)
        if day < today:
            kind = "visit" if n % 2 else "consultation"
            entries.append(("Pine County IPS", "trainer", (today - day).days, kind, topics[n % 2]))
    # From finding to result (issue #23): the TA given since Pine County's latest fidelity report names the
    # action-plan items it works on and their fidelity items (asked of the fidelity area through its hook).
    pine_links = hooks.fidelity_links(ctx.programs["Pine County IPS"])
    latest_plan = [a for a in pine_links.action_items if a.review == pine_links.action_items[0].review][:2]
    for program_name, trainer, days_ago, kind, topic in entries:
        addresses = program_name == "Pine County IPS" and days_ago < PINE_REPORT_DAYS_AGO and bool(latest_plan)
        services.ta_log(
            actor=p[trainer],
            program=ctx.programs[program_name],
            date=today - datetime.timedelta(days=days_ago),
            kind=kind,
            topics=topic,
            hours=Decimal("3.0") if kind == "visit" else Decimal("1.0"),
            results="Agreed three changes to the weekly schedule.",
            next_steps_program="Supervisor to add employer contacts to the unit meeting agenda.",
            next_steps_trainer="Send the job development tip sheet.",
            fidelity_items=sorted({n for a in latest_plan for n in a.item_numbers}) if addresses else (),
            action_item_ids=[a.id for a in latest_plan] if addresses else (),
        )
