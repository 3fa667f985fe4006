"""Westmark's fidelity reviews: Pine County's history (its baseline and two follow-ups delivered, each with
its visit agenda and action plan, and the next follow-up planned, its date moved), Red Cedar Nation's
upcoming baseline, and Lake County's overdue one, visited last week and being scored (#26: the second
reviewer has a demo sign-in, `reviewer2`, and is part way through, so scoring and consensus can be tried).

Each review is dated as it happened: scheduled (created), visited, agreed, reported; the services stamp
the creation and the consensus with the time they run, so the demo sets those two afterwards."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipshub.areakit.demo import DemoContext
from ipshub.fidelity import preparation, services
from ipshub.fidelity.models import ActionItem, DocumentRequest, PrepTask, Review, SelfAssessment
from ipshub.fidelity.scales import current_scale
from ipshub.fidelity.self_assessment_services import SelfScoreEntry, self_assessment_create
from ipshub.fidelity.services import ScoreEntry
from ipshub.tenancy.models import Person, Program

# Pine County's agreed scores (None = cannot rate) and where the second reviewer first differed.
PINE_CONSENSUS = [4, 5, 5, 4, 3, 4, 4, 3, 5, 3, 3, 2, 4, 4, 4, None, 3, 3, 4, 4, 5, 4, 3, 3, 4]
SECOND_REVIEWER_DIFFERS = {5: 4, 8: 2, 12: 3, 17: 2, 24: 4}
# The follow-ups: better each time, still below 100 (so each schedules the next six months on).
PINE_FOLLOW_UP_1: list[int | None] = [4, 5, 5, 4, 3, 4, 4, 3, 5, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 5, 4, 3, 3, 4]
PINE_FOLLOW_UP_2: list[int | None] = [4, 5, 5, 4, 4, 4, 4, 3, 5, 3, 3, 3, 4, 4, 4, 3, 4, 3, 4, 4, 5, 4, 3, 4, 4]
STRENGTHS = {
    2: "Specialists spend nearly all their time on employment services.",
    9: "Anyone who wants to work is referred, including self-referrals from the clubhouse.",
    21: "Almost every job is competitive and in the community.",
}
RECOMMENDATIONS = {
    12: "Offer comprehensive benefits planning to every client before a job start, with the WIPA office.",
    17: "Plan six face-to-face employer contacts per specialist a week; track them in the unit meeting.",
    24: "Move routine paperwork to Fridays so specialists spend more scheduled hours in the community.",
}
FOLLOW_UP_RECOMMENDATIONS = {
    17: "Keep employer contacts at six a week per specialist; review the log in supervision.",
    18: "Offer a wider range of job types: ask each client about jobs they have not tried.",
}
# Pine County's latest report (collaboration/demo.py's steering committee reviews it that day).
PINE_REPORT_DAYS_AGO = 170
UNRATED = "Employer contact logs did not record the client's preferences."


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _scheduled(review: Review, days: int) -> None:
    """When the review was scheduled (the service stamps now)."""
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() + datetime.timedelta(days=days))


def _open_review(program: Program) -> Review:
    return Review.objects.get(program=program, status__in=Review.OPEN_STATUSES)


def build(ctx: DemoContext) -> None:
    lead, reviewer, second = ctx.people["statelead"], ctx.people["reviewer"], ctx.people["reviewer2"]
    _pine(ctx, lead, reviewer, second)
    _specialist_time(ctx)
    red_cedar = ctx.programs["Red Cedar Nation IPS"]
    review = services.review_schedule_baseline(actor=lead, program=red_cedar, began_on=_days(-150))
    _scheduled(review, -150)
    services.review_set_team(actor=lead, review=review, lead=reviewer, second=second)
    services.review_plan(
        actor=lead,
        review=review,
        visit_day_1=_days(10),
        visit_day_2=_days(11),
        contact_name="Quinn Hill, IPS supervisor",
        contact_email="qhill@westmark.example",
        documents_requested=str(services.STANDARD_DOCUMENTS),
    )
    services.agenda_use_standard(actor=lead, review=review)
    services.review_reschedule(
        actor=lead,
        review=review,
        due_on=_days(11),
        reason="Visit set with the program after the tribal council's approval.",
    )
    _red_cedar_preparation(ctx, review)
    lake = services.review_schedule_baseline(actor=lead, program=ctx.programs["Lake County IPS"], began_on=_days(-250))
    _scheduled(lake, -250)
    _lake_scoring(ctx, lake)
    _pine_self_assessments(ctx)


# --- #26: a review in its scoring stage, so two reviewers' scoring and consensus can be tried ---------------
# Lake County's baseline, long overdue, was visited last week. The lead reviewer (`reviewer`) has submitted;
# the second (`reviewer2`) has scored the first LAKE_SECOND_SCORED items and saved them: signing in as
# reviewer2, one finishes and submits, and then the lead reviewer records consensus.
LAKE_LEAD_SCORES: list[int | None] = [3, 4, 4, 3, 2, 3, 3, 2, 4, 3, 2, 1, 3, 3, 3, None, 2, 3, 4, 3, 4, 3, 2, 2, 3]
LAKE_SECOND_SCORES: dict[int, int] = {
    1: 3,
    2: 4,
    3: 3,
    4: 3,
    5: 2,
    6: 3,
    7: 3,
    8: 3,
    9: 4,
    10: 3,
    11: 2,
    12: 2,
    13: 3,
    14: 3,
}
LAKE_UNRATED = "The employer contact log was started last month; too few entries to judge."


def _lake_scoring(ctx: DemoContext, review: Review) -> None:
    lead, reviewer, second = ctx.people["statelead"], ctx.people["reviewer"], ctx.people["reviewer2"]
    services.review_set_team(actor=lead, review=review, lead=reviewer, second=second)
    services.review_plan(
        actor=lead,
        review=review,
        visit_day_1=_days(-6),
        visit_day_2=_days(-5),
        contact_name="Blake Wilson, mental health director",
        contact_email="bwilson@westmark.example",
        documents_requested=str(services.STANDARD_DOCUMENTS),
    )
    services.agenda_use_standard(actor=lead, review=review)
    items = list(review.scale.items.all())
    services.scores_save(
        actor=reviewer,
        review=review,
        entries=[
            ScoreEntry(
                item=item,
                score=str(score) if score else "cannot",
                reason="" if score else LAKE_UNRATED,
                notes="From the chart review and the interviews with both specialists.",
                sources=", ".join(item.sources[:2]),
            )
            for item, score in zip(items, LAKE_LEAD_SCORES, strict=True)
        ],
    )
    services.scores_submit(actor=reviewer, review=review)
    services.scores_save(
        actor=second,
        review=review,
        entries=[
            ScoreEntry(item=item, score=str(LAKE_SECOND_SCORES[item.number]), sources=", ".join(item.sources[:1]))
            for item in items
            if item.number in LAKE_SECOND_SCORES
        ],
    )


def _held(
    ctx: DemoContext,
    review: Review,
    *,
    visit: int,
    scores: list[int | None],
    differs: dict[int, int],
    recommendations: dict[int, str],
    report: int,
    invited: tuple[tuple[int, str, str, bool | None], ...] = (),
) -> None:
    """A review held `visit` days from today: team, plan, standard agenda, invitations, both reviewers'
    scores, consensus ten days after, the report `report` days from today."""
    lead, reviewer, second = ctx.people["statelead"], ctx.people["reviewer"], ctx.people["reviewer2"]
    services.review_set_team(actor=lead, review=review, lead=reviewer, second=second)
    services.review_plan(
        actor=lead,
        review=review,
        visit_day_1=_days(visit),
        visit_day_2=_days(visit + 1),
        contact_name="Morgan Reyes, IPS supervisor",
        contact_email="supervisor@westmark.example",
        documents_requested=str(services.STANDARD_DOCUMENTS),
    )
    services.agenda_use_standard(actor=lead, review=review)
    for days, who, relation, accepted in invited:
        services.invitee_add(
            actor=ctx.people["supervisor"],
            review=review,
            who=who,
            relation=relation,
            invited_on=_days(days),
            accepted=accepted,
        )
    items = list(review.scale.items.all())
    for person, changed in ((reviewer, {}), (second, differs)):
        entries = [
            ScoreEntry(
                item=item,
                score=str(changed.get(item.number, score)) if score else "cannot",
                reason="" if score else UNRATED,
                notes="Seen in the chart review and the specialist interviews.",
                sources=", ".join(item.sources[:2]),
            )
            for item, score in zip(items, scores, strict=True)
        ]
        services.scores_save(actor=person, review=review, entries=entries)
        services.scores_submit(actor=person, review=review)
    services.consensus_save(
        actor=reviewer,
        review=review,
        entries=[
            ScoreEntry(
                item=item,
                score=str(score) if score else "cannot",
                reason="" if score else UNRATED,
                rationale="Agreed after discussing the chart review." if item.number in differs else "",
                strengths=STRENGTHS.get(item.number, ""),
                recommendations=recommendations.get(item.number, ""),
            )
            for item, score in zip(items, scores, strict=True)
        ],
    )
    services.consensus_complete(actor=reviewer, review=review)
    Review.objects.filter(pk=review.pk).update(
        consensus_completed_at=timezone.now() + datetime.timedelta(days=visit + 10)
    )
    services.report_save_overall(
        actor=reviewer,
        review=review,
        strengths="A committed team with strong executive support, zero exclusion and competitive jobs.",
        recommendations="Strengthen benefits planning, employer contact and time in the community.",
    )
    services.report_deliver(actor=reviewer, review=review, delivered_on=_days(report))


def _action_plan(ctx: DemoContext, review: Review, written: int, due: int, steering: int | None) -> None:
    """The plan from the report's recommendations, written `written` days from today; the steering
    committee reviewed it `steering` days from today."""
    supervisor = ctx.people["supervisor"]
    actions = services.actions_from_recommendations(
        actor=ctx.people["statelead"], review=review, owner=supervisor, due_on=_days(due)
    )
    ActionItem.objects.filter(pk__in=[a.pk for a in actions]).update(
        created_at=timezone.now() + datetime.timedelta(days=written)
    )
    if steering is not None:
        first = actions[0]
        services.action_update(
            actor=ctx.people["director"],
            action=first,
            status=ActionItem.Status.IN_PROGRESS,
            due_on=first.due_on,
            owner=supervisor,
            steering_reviewed_on=_days(steering),
            note="Reviewed by the steering committee: on track.",
        )


def _pine(ctx: DemoContext, lead: Person, reviewer: Person, second: Person) -> None:
    pine = ctx.programs["Pine County IPS"]
    # The baseline, scheduled when implementation began; delivering it scheduled each follow-up in turn.
    baseline = services.review_schedule_baseline(actor=lead, program=pine, began_on=_days(-840))
    _scheduled(baseline, -840)
    _held(
        ctx,
        baseline,
        visit=-580,
        scores=PINE_CONSENSUS,
        differs=SECOND_REVIEWER_DIFFERS,
        recommendations=RECOMMENDATIONS,
        report=-560,
    )
    _action_plan(ctx, baseline, written=-555, due=-380, steering=None)
    follow_up = _open_review(pine)
    _scheduled(follow_up, -560)
    _held(
        ctx,
        follow_up,
        visit=-390,
        scores=PINE_FOLLOW_UP_1,
        differs={17: 2},
        recommendations=FOLLOW_UP_RECOMMENDATIONS,
        report=-370,
        invited=((-400, "Client A, working 8 months at a grocery store", "client", True),),
    )
    _action_plan(ctx, follow_up, written=-365, due=-250, steering=-330)
    latest = _open_review(pine)
    _scheduled(latest, -370)
    _held(
        ctx,
        latest,
        visit=-190,
        scores=PINE_FOLLOW_UP_2,
        differs={5: 3, 24: 3},
        recommendations=FOLLOW_UP_RECOMMENDATIONS,
        report=-PINE_REPORT_DAYS_AGO,
        invited=(
            (-204, "Client B, job seeker, a year in services", "client", True),
            (-204, "Parent of client B", "family_member", False),
            (-201, "Client C, working part time at a hardware store", "client", True),
        ),
    )
    _action_plan(ctx, latest, written=-PINE_REPORT_DAYS_AGO + 2, due=-60, steering=-150)
    # The next follow-up: planned, its date moved, the invitations going out.
    upcoming = _open_review(pine)
    _scheduled(upcoming, -PINE_REPORT_DAYS_AGO)
    services.review_set_team(actor=lead, review=upcoming, lead=reviewer, second=second)
    services.review_plan(
        actor=lead,
        review=upcoming,
        visit_day_1=_days(30),
        visit_day_2=_days(31),
        contact_name="Morgan Reyes, IPS supervisor",
        contact_email="supervisor@westmark.example",
        documents_requested=str(services.STANDARD_DOCUMENTS),
    )
    services.agenda_use_standard(actor=lead, review=upcoming)
    services.review_reschedule(
        actor=lead,
        review=upcoming,
        due_on=_days(30),
        reason="Two new specialists started; the program asked for the follow-up once they finish training.",
    )
    for days, who, relation in (
        (-5, "Client D, working 6 months at a restaurant", "client"),
        (-3, "Spouse of client D", "family_member"),
    ):
        services.invitee_add(
            actor=ctx.people["supervisor"], review=upcoming, who=who, relation=relation, invited_on=_days(days)
        )


# --- Specialists' time (issue 26) ---------------------------------------------------------------------
# Jamie Patel works full time on Pine County's IPS unit, nearly all of it on employment services; F. Lopez
# works three days a week and also covers the agency's front desk one morning - which the estimate's items 1
# (caseload per FTE) and 2 (time on employment services) show.


def _specialist_time(ctx: DemoContext) -> None:
    pine = ctx.programs["Pine County IPS"]
    supervisor = ctx.people["supervisor"]
    for username, fte, share in (("specialist", "1.00", 96), ("flopez", "0.60", 85)):
        services.specialist_time_set(
            actor=supervisor, program=pine, specialist=ctx.people[username], fte=Decimal(fte), employment_share=share
        )


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------
# Pine County's team scores itself while it prepares for the follow-up visit in 30 days. Against the last
# review (PINE_FOLLOW_UP_2) the team is more hopeful where it has changed things since: weekly treatment team
# meetings (5), the unit's shared caseloads (7), field mentoring (8), intake asking about work (10), the
# benefits planner it hired after the review's recommendation (12), preferences on the contact log (16),
# six employer contacts a week (17), repeat visits (18). It is harder on itself where it slipped: many recent
# jobs in food service (19) and two new specialists still in training spending more hours in the office (24).
PINE_SELF_EARLIER: dict[int, int] = {n: s for n, s in enumerate(PINE_FOLLOW_UP_2, start=1) if s is not None}
PINE_SELF_EARLIER.update({12: 4, 17: 5})
PINE_SELF_LATEST: dict[int, int] = {
    **PINE_SELF_EARLIER,
    5: 5,
    7: 5,
    8: 4,
    10: 4,
    12: 5,
    16: 4,
    18: 4,
    19: 3,
    24: 3,
}
PINE_SELF_NOTES = {
    12: "Our benefits planner (hired in the spring) meets every job seeker before a start and after changes.",
    17: "Six face-to-face contacts a week each, counted in the Monday unit meeting.",
    19: "Most of this year's jobs were in food service; we need more variety.",
    24: "The two new specialists spend more time in the office while they train.",
}


def _pine_self_assessments(ctx: DemoContext) -> None:
    pine = ctx.programs["Pine County IPS"]
    items = {item.number: item for item in current_scale().items.all()}
    for days_ago, scores, participants, person, note in (
        (95, PINE_SELF_EARLIER, "Morgan Reyes and the four employment specialists", "specialist", ""),
        (
            12,
            PINE_SELF_LATEST,
            "Morgan Reyes, the six employment specialists and Jordan Ellis",
            "supervisor",
            "Scored at the unit meeting to prepare for the follow-up review.",
        ),
    ):
        assessment = self_assessment_create(
            actor=ctx.people[person],
            program=pine,
            assessed_on=_days(-days_ago),
            participants=participants,
            note=note,
            entries=[
                SelfScoreEntry(item=items[n], score=str(score), note=PINE_SELF_NOTES.get(n, "") if note else "")
                for n, score in scores.items()
            ],
        )
        when = timezone.now() - datetime.timedelta(days=days_ago)
        SelfAssessment.objects.filter(pk=assessment.pk).update(created_at=when, updated_at=when)


# --- Review preparation (issue #26): Red Cedar's visit in ten days, part way through its preparation --------

# The steps done, and how many days ago (the kick-off call, the self-assessment, the agenda); the documents and
# the chart sample are late, as they often are two weeks before a visit.
RED_CEDAR_STEPS_DONE = {"kickoff": 62, "self_assessment": 20, "agenda": 5}
# Marked by hand, so each says how (#26, branch fidfin): no record in the product shows this work.
RED_CEDAR_STEP_NOTES = {
    "kickoff": "Video call with the IPS supervisor, both reviewers and the state team; dates agreed.",
    "self_assessment": "Scored on paper at the unit meeting; the sheet goes to the reviewers with the documents.",
    "agenda": "Agenda sent to the program; interviews arranged by phone.",
}
CASELOAD_CSV = (
    "Specialist,Clients on caseload,Entered in the last 6 months\nDrew Davis,18,7\nUnassigned (new referrals),2,2\n"
)
CONTACT_LOG_CSV = "Week of,Specialist,Face-to-face employer contacts\n" + "".join(
    f"{(_days(-7 * w - 7)).isoformat()},Drew Davis,{n}\n" for w, n in enumerate((6, 5, 7, 4))
)


def _red_cedar_preparation(ctx: DemoContext, review: Review) -> None:
    """Three of the six requests answered by the IPS supervisor (two files, one note), three steps done."""
    supervisor = ctx.people["qhill"]
    requests = {r.title.split(" ")[0]: r for r in DocumentRequest.objects.filter(review=review)}
    answers = (
        (
            "IPS",
            "Caseload counts by specialist; the list with names is in the chart room.",
            "caseload.csv",
            CASELOAD_CSV,
        ),
        ("Employer", "The last four weeks of the unit's contact log.", "employer-contacts.csv", CONTACT_LOG_CSV),
        ("Job", "Kept in the tribal HR system; printed copies will be on the table at the visit.", "", ""),
    )
    for first_word, note, name, content in answers:
        files = [_uploaded(name, content)] if name else []
        preparation.document_request_answer(actor=supervisor, request=requests[first_word], note=note, files=files)
    for key, days_ago in RED_CEDAR_STEPS_DONE.items():
        step = PrepTask.objects.get(review=review, key=key)
        preparation.prep_task_mark(
            actor=supervisor if key != "agenda" else ctx.people["statelead"],
            task=step,
            done=True,
            note=RED_CEDAR_STEP_NOTES[key],
        )
        PrepTask.objects.filter(pk=step.pk).update(done_at=timezone.now() - datetime.timedelta(days=days_ago))


def _uploaded(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")
