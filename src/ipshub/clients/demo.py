"""Westmark demo: about 30 clients of Pine County IPS on the caseloads of "specialist" (Jamie Patel)
and "flopez", with referrals at every step, jobs, career profiles updated after each job, employer
contacts every month and, for the last 13 weeks, week by week (Jamie Patel mostly reaches the standard of
6 face-to-face contacts a week, F. Lopez often falls short: what the supervisor's dashboard shows),
follow-along supports, and consents to the DVR Pine Valley Office so that "counselor" sees a few clients
(their DVR cases opened and decided through the year); two of them re-signed theirs in IPS Hub this morning
(the signed release's PDF is made as the demo is built)."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from ipshub.areakit.demo import DemoContext
from ipshub.clients import case_file_demo, signing, weeks
from ipshub.clients.models import (
    BenefitsPlanning,
    CareerProfile,
    Client,
    Consent,
    ContactPurpose,
    DvrCase,
    Education,
    Employer,
    EmployerContact,
    Enrollment,
    EnrollmentEvent,
    Job,
    JobChange,
    JobSearchPlan,
    Status,
    SupportContact,
)
from ipshub.tenancy.models import Organization, Program

PROGRAM = "Pine County IPS"
DVR_OFFICE = "DVR Pine Valley Office"

EMPLOYERS = (
    ("Cedar Street Bakery", "Food service", "Morning bakers and counter staff", "Owner likes trial shifts."),
    ("Pine Valley Grocery", "Retail", "Stockers for the night shift", "Met the store manager in March."),
    ("Northwoods Hardware", "Retail", "Seasonal garden center help", ""),
    ("Lakeside Hotel", "Hospitality", "Housekeeping, laundry", "HR prefers applications online first."),
    ("Pine County Library", "Public sector", "Library pages", ""),
    ("Ridgeline Auto Care", "Automotive", "Car wash attendants", ""),
    ("Green Acres Nursery", "Agriculture", "Spring planting crew", "Hires every April."),
    ("Summit Print Works", "Manufacturing", "Bindery helpers", ""),
)

# (first, last, birth year, specialist, status, referral days ago,
#  job: (employer, title, type, hours, wage, started days ago, ended days ago or None, reason),
#  consent to DVR)
CLIENTS = (
    (
        "Avery",
        "Lindqvist",
        1988,
        "specialist",
        Status.ENGAGED,
        400,
        ("Cedar Street Bakery", "Baker's assistant", "food", 20, "16.50", 300, None, ""),
        True,
    ),
    (
        "Jordan",
        "Whitfield",
        1979,
        "specialist",
        Status.ENGAGED,
        380,
        ("Pine Valley Grocery", "Stock associate", "retail", 25, "17.25", 250, 40, "quit"),
        True,
    ),
    (
        "Maya",
        "Okonkwo",
        1995,
        "specialist",
        Status.ENGAGED,
        320,
        ("Lakeside Hotel", "Housekeeper", "cleaning", 30, "16.00", 200, None, ""),
        True,
    ),
    (
        "Luis",
        "Carrasco",
        1990,
        "specialist",
        Status.ENGAGED,
        300,
        ("Pine County Library", "Library page", "other", 12, "15.75", 150, None, ""),
        False,
    ),
    ("Hannah", "Brightwater", 1983, "specialist", Status.ENGAGED, 280, None, True),
    (
        "Theo",
        "Marchetti",
        1999,
        "specialist",
        Status.ENGAGED,
        260,
        ("Ridgeline Auto Care", "Car wash attendant", "cleaning", 15, "15.50", 120, 10, "laid_off"),
        False,
    ),
    ("Priya", "Raman", 1992, "specialist", Status.ENGAGED, 240, None, False),
    (
        "Samuel",
        "Eaglefeather",
        1986,
        "specialist",
        Status.ENGAGED,
        220,
        ("Green Acres Nursery", "Nursery worker", "other", 32, "17.00", 90, None, ""),
        True,
    ),
    ("Grace", "Delacroix", 1975, "specialist", Status.ENGAGED, 200, None, False),
    (
        "Omar",
        "Haddad",
        1997,
        "specialist",
        Status.ENGAGED,
        180,
        ("Summit Print Works", "Bindery helper", "manufacturing", 20, "18.00", 60, None, ""),
        False,
    ),
    ("Ruth", "Abernathy", 1968, "specialist", Status.FIRST_MEETING, 45, None, False),
    ("Kenji", "Sato", 2001, "specialist", Status.ACCEPTED, 20, None, False),
    ("Lena", "Fischer", 1993, "specialist", Status.ENGAGED, 160, None, True),
    (
        "Marcus",
        "Bell",
        1981,
        "specialist",
        Status.ENGAGED,
        150,
        ("Northwoods Hardware", "Garden center associate", "retail", 18, "16.25", 45, None, ""),
        False,
    ),
    (
        "Ines",
        "Duarte",
        1994,
        "specialist",
        Status.CLOSED,
        500,
        ("Lakeside Hotel", "Laundry attendant", "cleaning", 25, "15.80", 420, None, ""),
        False,
    ),
    (
        "Daniel",
        "Moreau",
        1989,
        "flopez",
        Status.ENGAGED,
        350,
        ("Cedar Street Bakery", "Dishwasher", "food", 20, "15.50", 280, None, ""),
        False,
    ),
    (
        "Fatima",
        "Nasser",
        1996,
        "flopez",
        Status.ENGAGED,
        330,
        ("Pine Valley Grocery", "Cashier", "retail", 28, "16.75", 210, None, ""),
        True,
    ),
    ("Owen", "Tallbear", 1984, "flopez", Status.ENGAGED, 300, None, False),
    (
        "Chloe",
        "Vance",
        1998,
        "flopez",
        Status.ENGAGED,
        270,
        ("Summit Print Works", "Press assistant", "manufacturing", 35, "18.50", 180, 30, "temporary"),
        False,
    ),
    ("Isaac", "Nowak", 1977, "flopez", Status.ENGAGED, 250, None, False),
    (
        "Sofia",
        "Reyes",
        1991,
        "flopez",
        Status.ENGAGED,
        230,
        ("Lakeside Hotel", "Front desk clerk", "office", 32, "17.50", 100, None, ""),
        False,
    ),
    ("Tobias", "Grant", 1987, "flopez", Status.ENGAGED, 210, None, False),
    ("Amara", "Obi", 2000, "flopez", Status.FIRST_MEETING, 35, None, False),
    (
        "Wesley",
        "Hart",
        1972,
        "flopez",
        Status.ENGAGED,
        190,
        ("Ridgeline Auto Care", "Detailer", "cleaning", 20, "16.00", 80, None, ""),
        False,
    ),
    ("Nadia", "Petrova", 1985, "flopez", Status.ENGAGED, 170, None, True),
    ("Elijah", "Brooks", 1993, "flopez", Status.CLOSED, 450, None, False),
    ("Zoe", "Kaplan", 2002, "", Status.RECEIVED, 5, None, False),
    ("Marcus", "Ellington", 1980, "", Status.RECEIVED, 2, None, False),
    ("Rosa", "Villanueva", 1976, "flopez", Status.ACCEPTED, 12, None, False),
    (
        "Henry",
        "Ashworth",
        1990,
        "specialist",
        Status.ENGAGED,
        130,
        ("Pine County Library", "Shelver", "other", 10, "15.75", 70, 25, "fired"),
        True,
    ),
)
# Clients who speak Spanish first (issue #24), most on the caseload of Frankie Lopez, who works in Spanish:
# last name → interpreter needed (for meetings with staff who don't speak Spanish). Everyone else: English.
SPANISH_SPEAKING = {"Reyes": False, "Villanueva": True, "Duarte": False, "Moreau": True}
# Clients sharing with DVR whose eligibility DVR has not decided yet (the others were found eligible).
DVR_PENDING = ("Eaglefeather", "Petrova")
# The caseload's "needs attention" (clients/caseload.py): everyone open has been seen in the past month and
# every ended job was followed by help toward the next, except these three.
NEEDS_ATTENTION = {
    "Abernathy": "first meeting a month ago and nothing since; no employer contact 45 days after referral",
    "Ashworth": "fired from the library 25 days ago; a check-in since, but no help toward the next job yet",
    "Obi": "referred 35 days ago, first meeting held, no employer contact yet",
}
# A transfer in the history, with its reason: (last name, from, to, days ago, reason).
TRANSFERS = (("Hart", "specialist", "flopez", 185, "Frankie covers the east side, where Wesley lives and works."),)


# Signed in IPS Hub (clients/signing.py): the program began signing releases on the device this week, and the
# case manager had the clients whose paper release to DVR had just run out re-sign it this morning, one by
# drawing and one by typing her name. (last name → how she signed)
RESIGNED = {"Brightwater": Consent.SignedBy.DRAWN, "Petrova": Consent.SignedBy.TYPED}


def _drawn_signature() -> bytes:
    """A signature as the pad sends it: ink on a transparent PNG."""
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.line(
        [(10, 70), (40, 20), (60, 75), (90, 30), (120, 70), (160, 40), (200, 65), (285, 45)], fill="black", width=3
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _sign_in_hub(ctx: DemoContext, enrollment: Enrollment, dvr: Organization, method: str) -> None:
    today = timezone.localdate()
    client = enrollment.client
    signing.consent_sign(
        actor=ctx.people["casemanager"],
        enrollment=enrollment,
        terms=signing.ReleaseTerms(
            organization=dvr,
            scope=Consent.Scope.EMPLOYMENT,
            purpose=signing.DEFAULT_PURPOSE,
            starts_on=today,
            expires_on=today + datetime.timedelta(days=365),
            expires_event="when my DVR case is closed" if method == Consent.SignedBy.DRAWN else "",
        ),
        signature=signing.Signature(
            method,
            typed_name=client.full_name if method == Consent.SignedBy.TYPED else "",
            png=_drawn_signature() if method == Consent.SignedBy.DRAWN else b"",
        ),
    )


def build(ctx: DemoContext) -> None:
    """Add this area's records to the Westmark demo."""
    program = ctx.programs[PROGRAM]
    dvr = ctx.orgs[DVR_OFFICE]
    counselor = ctx.people["counselor"]
    supervisor = ctx.people["supervisor"]
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    employers = {
        name: Employer.objects.create(
            program=program, name=name, industry=industry, hiring_needs=needs, relationship_notes=notes
        )
        for name, industry, needs, notes in EMPLOYERS
    }
    employer_list = list(employers.values())
    for n, (first, last, year, username, status, referred, job, shares) in enumerate(CLIENTS):
        specialist = ctx.people[username] if username else None
        client = Client.objects.create(
            agency=program.mh_agency,
            first_name=first,
            last_name=last,
            birth_date=datetime.date(year, 1 + n % 12, 1 + n % 27),
            preferred_language="es" if last in SPANISH_SPEAKING else "en",
            interpreter_needed=SPANISH_SPEAKING.get(last, False),
        )
        steps = {
            Status.ACCEPTED: referred - 5,
            Status.FIRST_MEETING: referred - 12,
            Status.ENGAGED: referred - 20,
        }
        order = [Status.ACCEPTED, Status.FIRST_MEETING, Status.ENGAGED]
        reached = (
            order
            if status in (Status.ENGAGED, Status.CLOSED)
            else order[: order.index(status) + 1]
            if status in order
            else []
        )
        closed = ago(max(1, referred - 300)) if status == Status.CLOSED else None
        enrollment = Enrollment.objects.create(
            client=client,
            program=program,
            specialist=specialist,
            referral_date=ago(referred),
            referral_source="case_manager" if n % 4 else "self",
            referred_by=ctx.people["casemanager"],
            status=status,
            accepted_on=ago(steps[Status.ACCEPTED]) if Status.ACCEPTED in reached else None,
            first_meeting_on=ago(steps[Status.FIRST_MEETING]) if Status.FIRST_MEETING in reached else None,
            engaged_on=ago(steps[Status.ENGAGED]) if Status.ENGAGED in reached else None,
            closed_on=closed,
            closure_reason="working" if closed else "",
        )
        EnrollmentEvent.objects.create(enrollment=enrollment, kind="status", to_value=Status.RECEIVED, on=ago(referred))
        if specialist:
            EnrollmentEvent.objects.create(
                enrollment=enrollment,
                kind="assign",
                to_value=str(specialist.pk),
                on=ago(referred - 3),
                by=supervisor,
                reason="First assignment",
            )
        previous = Status.RECEIVED
        for step in reached:
            EnrollmentEvent.objects.create(
                enrollment=enrollment, kind="status", from_value=previous, to_value=step, on=ago(steps[step])
            )
            previous = step
        if closed:
            EnrollmentEvent.objects.create(
                enrollment=enrollment,
                kind="status",
                from_value=previous,
                to_value=Status.CLOSED,
                on=closed,
                reason="Working and no longer wants support",
            )
        if Status.ENGAGED not in reached or specialist is None:
            continue
        engaged = ago(steps[Status.ENGAGED])
        CareerProfile.objects.create(
            enrollment=enrollment,
            version=1,
            preferences="Daytime hours, close to the bus line; enjoys hands-on work.",
            work_history="Several short jobs in food service and retail.",
            strengths="Reliable, friendly with customers.",
            supports="Sister helps with transport.",
            benefits="SSI and Medicaid" if n % 3 == 0 else "",
            written_on=engaged,
            written_by=specialist,
        )
        JobSearchPlan.objects.create(
            enrollment=enrollment,
            goal="A part-time job with regular daytime hours.",
            target_employers=", ".join(e.name for e in employer_list[n % 4 : n % 4 + 2]),
            updated_on=engaged,
        )
        if n % 3 != 2:
            BenefitsPlanning.objects.create(
                enrollment=enrollment,
                offered_on=engaged,
                completed_on=engaged + datetime.timedelta(days=10) if n % 2 else None,
                planner="WIPA benefits counselor",
                recorded_by=specialist,
            )
        for k in range(3 + n % 4):
            on = ago(referred) + datetime.timedelta(days=10 + 9 * k)
            if on > today:
                break
            EmployerContact.objects.create(
                program=program,
                employer=employer_list[(n + k) % len(employer_list)],
                specialist=specialist,
                enrollment=enrollment,
                contacted_on=on,
                face_to_face=k % 4 != 3,
                # Fidelity item 16: most contacts for a job seeker follow their stated preferences.
                follows_preferences=k % 5 != 4,
                purpose=ContactPurpose.CLIENT,
                outcome="Employer agreed to an interview." if k == 2 else "",
            )
        if shares:
            resigned = RESIGNED.get(last)
            Consent.objects.create(
                client=client,
                organization=dvr,
                starts_on=engaged,
                # A re-signed client's paper release ran out yesterday; the others' run on.
                expires_on=ago(1) if resigned else today + datetime.timedelta(days=300),
                recorded_by=specialist,
            )
            if resigned:
                _sign_in_hub(ctx, enrollment, dvr, resigned)
            DvrCase.objects.create(
                enrollment=enrollment,
                dvr_office=dvr,
                counselor=counselor,
                referred_on=engaged + datetime.timedelta(days=3),
                applied_on=engaged + datetime.timedelta(days=12),
                eligibility=DvrCase.Eligibility.PENDING if last in DVR_PENDING else DvrCase.Eligibility.ELIGIBLE,
                eligibility_on=None if last in DVR_PENDING else engaged + datetime.timedelta(days=50),
            )
        if n % 7 == 3:
            Education.objects.create(
                enrollment=enrollment,
                course="Food handler certificate",
                institution="Pine Valley Technical College",
                started_on=engaged + datetime.timedelta(days=20),
            )
        if job is None:
            continue
        employer, title, job_type, hours, wage, started, ended, reason = job
        record = Job.objects.create(
            enrollment=enrollment,
            employer=employers[employer],
            title=title,
            job_type=job_type,
            hours_per_week=Decimal(hours),
            hourly_wage=Decimal(wage),
            disclosure="partial" if n % 2 else "none",
            started_on=ago(started),
            ended_on=ago(ended) if ended else None,
            end_reason=reason,
        )
        # The career profile is updated after each job experience: once the job has started, and when it ends.
        updates = [(started - 7, f"After starting at {employer}", "Likes the work and the team; wants steady hours.")]
        if ended:
            updates.append((max(ended - 3, 0), f"After the job at {employer} ended", "A similar job, more hours."))
        for version, (days, reason, preferences) in enumerate(updates, start=2):
            CareerProfile.objects.create(
                enrollment=enrollment,
                version=version,
                preferences=preferences,
                work_history=f"{title} at {employer}.",
                strengths="Reliable, friendly with customers.",
                reason=reason,
                written_on=ago(days),
                written_by=specialist,
            )
        if n % 5 == 0 and not ended:
            JobChange.objects.create(
                job=record,
                changed_on=ago(started - 60),
                title=title,
                hours_per_week=Decimal(hours + 5),
                hourly_wage=Decimal(wage) + 1,
                is_competitive=True,
            )
            record.hours_per_week, record.hourly_wage = Decimal(hours + 5), Decimal(wage) + 1
            record.save(update_fields=["hours_per_week", "hourly_wage"])
            # Fidelity item 12: benefits planning again for the raise, for every other such change.
            if n % 10 == 0:
                BenefitsPlanning.objects.create(
                    enrollment=enrollment,
                    reason=BenefitsPlanning.Reason.CHANGE,
                    offered_on=ago(started - 55),
                    planner="WIPA benefits counselor",
                    recorded_by=specialist,
                )
        day = started - 3
        k = 0
        while day > (ended or 0) and day > 0 and k < 12:
            SupportContact.objects.create(
                enrollment=enrollment,
                contacted_on=ago(day),
                kind="in_person" if k % 3 else "phone",
                setting="community" if k % 4 else "office",
                by=specialist,
                note="Checked in about the schedule." if k == 0 else "",
            )
            day -= 7 if k < 4 else 30
            k += 1
    _caseload_story(ctx, program, today)
    case_file_demo.build(program)  # progress notes and documents of three clients
    # Job development week by week, the standard being 6 face-to-face employer contacts a week (fidelity item 17):
    # Jamie Patel reaches it most weeks, F. Lopez falls short in many - what home, the contact log, the
    # supervisor's dashboard and its drill-down show. This week only has the days up to today. Each week also
    # has one phone call, which counts as a contact but not toward the standard.
    weekly = {
        "specialist": (6, 7, 5, 6, 8, 6, 6, 4, 7, 6, 6, 7, 6),
        "flopez": (3, 4, 6, 2, 5, 3, 4, 6, 3, 2, 4, 5, 3),
    }
    this_week = weeks.week_of(today)
    purposes_by_turn = (ContactPurpose.INTRODUCE, ContactPurpose.LEARN, ContactPurpose.FOLLOW_UP)
    for back in range(weeks.HISTORY_WEEKS):
        week = this_week.shifted(-back)
        for username, counts in weekly.items():
            for k in range(counts[back] + 1):
                on = week.monday + datetime.timedelta(days=k % 5)
                if on > today:
                    continue
                EmployerContact.objects.create(
                    program=program,
                    employer=employer_list[(k * 3 + back) % len(employer_list)],
                    specialist=ctx.people[username],
                    contacted_on=on,
                    face_to_face=k != counts[back],
                    # Fidelity item 16: general visits scout for the kinds of work the caseload wants;
                    # about one in six is a cold visit for whatever is hiring.
                    follows_preferences=(k + back) % 6 != 0,
                    purpose=purposes_by_turn[(k + back) % 3],
                    outcome="Learned about seasonal hiring." if k == 1 and back == 0 else "",
                )
    # Job development goes on all year: each specialist visits employers every month, not only for one job
    # seeker (the program's monthly employer-contact duty; the fidelity scale counts these visits too).
    purposes = (ContactPurpose.LEARN, ContactPurpose.FOLLOW_UP, ContactPurpose.INTRODUCE)
    for back in range(1, 14):
        year, month0 = divmod(today.year * 12 + today.month - 1 - back, 12)
        month = month0 + 1
        for k, (username, day) in enumerate((("specialist", 8), ("flopez", 22))):
            EmployerContact.objects.create(
                program=program,
                employer=employer_list[(back + 3 * k) % len(employer_list)],
                specialist=ctx.people[username],
                contacted_on=datetime.date(year, month, day),
                follows_preferences=True,  # fidelity item 16: planned visits for the caseload's preferences
                purpose=purposes[(back + k) % len(purposes)],
                outcome="Asked about openings for the season." if back % 4 == 0 else "",
            )


def _caseload_story(ctx: DemoContext, program: Program, today: datetime.date) -> None:
    """Recent contacts and help after job endings, so that "needs attention" on the caseload names only the
    clients of NEEDS_ATTENTION; and the transfers of TRANSFERS in the clients' histories."""
    enrollments = (
        Enrollment.objects.filter(program=program, specialist__isnull=False)
        .exclude(status=Status.CLOSED)
        .select_related("client", "specialist")
        .order_by("pk")
    )
    for k, enrollment in enumerate(enrollments):
        last_name = enrollment.client.last_name
        if last_name not in NEEDS_ATTENTION:
            # Help toward the next job within the 3 days the reminder asks for.
            for job in Job.objects.filter(enrollment=enrollment, ended_on__isnull=False):
                assert job.ended_on is not None
                job.next_job_help_offered_on = job.ended_on + datetime.timedelta(days=2)
                job.save(update_fields=["next_job_help_offered_on"])
        if last_name in ("Abernathy", "Obi") or (today - enrollment.referral_date).days <= 30:
            continue
        days = 20 if last_name == "Ashworth" else 1 + (k * 5) % 24
        assert enrollment.specialist is not None
        SupportContact.objects.create(
            enrollment=enrollment,
            contacted_on=today - datetime.timedelta(days=days),
            kind="phone" if k % 3 == 0 else "in_person",
            setting="community",
            by=enrollment.specialist,
            note="Checked in after the job ended." if last_name == "Ashworth" else "",
        )
    for last_name, before, after, days_ago, reason in TRANSFERS:
        enrollment = Enrollment.objects.get(program=program, client__last_name=last_name)
        first, moved_to = ctx.people[before], ctx.people[after]
        EnrollmentEvent.objects.filter(enrollment=enrollment, kind="assign").update(to_value=str(first.pk))
        EnrollmentEvent.objects.create(
            enrollment=enrollment,
            kind="assign",
            from_value=str(first.pk),
            to_value=str(moved_to.pk),
            on=today - datetime.timedelta(days=days_ago),
            by=ctx.people["supervisor"],
            reason=reason,
        )
