"""Writes to fidelity reviews: keyword-only, atomic; each checks permission, validates, writes, audits."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshub.areakit import hooks
from ipshub.audit.services import audit_record
from ipshub.fidelity import access, preparation, rules, selectors
from ipshub.fidelity.models import (
    ActionItem,
    ActionNote,
    AgendaSlot,
    ConsensusScore,
    FidelityItem,
    ReportDelivery,
    Review,
    ReviewDateChange,
    ReviewerScore,
    ReviewInvitee,
    ReviewTeamMember,
    SpecialistTime,
)
from ipshub.fidelity.scales import current_scale
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.services import program_note_event


def _audit(actor: Person | None, action: str, review: Review, obj: Model | None = None, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=f"fidelity.{action}",
        obj=obj if obj is not None else review,
        state_id=review.program.state_id,
        summary=f"{review.program}: {action.replace('_', ' ')}",
        detail={k: str(v) for k, v in detail.items()},
    )


def _require_status(review: Review, *statuses: str, doing: str) -> None:
    if review.status not in statuses:
        raise ValidationError(
            _("This review is '%(status)s', so you can't %(doing)s now.")
            % {"status": review.get_status_display(), "doing": doing}
        )


# --- Scheduling -----------------------------------------------------------------------------------


def _create_review(actor: Person | None, program: Program, kind: str, due_on: datetime.date) -> Review:
    review = Review.objects.create(program=program, scale=current_scale(), kind=kind, due_on=due_on)
    preparation.timeline_create(review)  # the preparation steps, counted back from the due date (issue #26)
    _audit(actor, "review_schedule", review, kind=kind, due_on=due_on)
    hooks.work_changed(program.pk)
    return review


@transaction.atomic
def review_schedule(*, actor: Person, program: Program, kind: str, due_on: datetime.date) -> Review:
    """Schedule a review by hand (the rule schedules most of them)."""
    access.require_review_manager(actor, program)
    if kind not in Review.Kind.values:
        raise ValidationError({"kind": _("Choose baseline or follow-up.")})
    if Review.objects.filter(program=program, status__in=Review.OPEN_STATUSES).exists():
        raise ValidationError(
            {
                "due_on": _("%(program)s already has a review under way. Move its date instead of adding one.")
                % {"program": program}
            }
        )
    return _create_review(actor, program, kind, due_on)


@transaction.atomic
def review_schedule_baseline(*, actor: Person | None, program: Program, began_on: datetime.date) -> Review:
    """The rule: entering implementation schedules the baseline review. Idempotent."""
    existing = (
        Review.objects.filter(program=program, kind=Review.Kind.BASELINE)
        .exclude(status=Review.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    return _create_review(actor, program, Review.Kind.BASELINE, rules.baseline_due(began_on))


@transaction.atomic
def review_reschedule(*, actor: Person, review: Review, due_on: datetime.date, reason: str) -> Review:
    access.require_review_manager(actor, review)
    _require_status(review, *Review.OPEN_STATUSES, doing=_("move its date"))
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the date is moving; the reason is kept with the review.")
    if due_on == review.due_on:
        errors["due_on"] = _("The review is already due on %(day)s. Choose another date.") % {
            "day": date_format(due_on, "F j, Y")
        }
    if errors:
        raise ValidationError(errors)
    change = ReviewDateChange.objects.create(
        review=review, from_date=review.due_on, to_date=due_on, reason=reason.strip(), changed_by=actor
    )
    review.due_on = due_on
    review.save(update_fields=["due_on"])
    moved = preparation.timeline_move(review)  # the steps not yet done follow the review (issue #26)
    _audit(actor, "review_reschedule", review, change, to=due_on, reason=reason.strip(), steps_moved=moved)
    hooks.work_changed(review.program_id)
    return review


@transaction.atomic
def review_cancel(*, actor: Person, review: Review, reason: str) -> Review:
    access.require_review_manager(actor, review)
    _require_status(review, *Review.OPEN_STATUSES, doing=_("cancel it"))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the review is cancelled.")})
    review.status = Review.Status.CANCELLED
    review.save(update_fields=["status"])
    _audit(actor, "review_cancel", review, reason=reason.strip())
    hooks.work_changed(review.program_id)
    return review


# --- Planning -------------------------------------------------------------------------------------


@transaction.atomic
def review_set_team(*, actor: Person, review: Review, lead: Person, second: Person) -> Review:
    access.require_review_manager(actor, review)
    _require_status(review, Review.Status.SCHEDULED, Review.Status.PLANNED, doing=_("change the team"))
    eligible = {p.pk for p in selectors.eligible_reviewers(review.program)}
    errors = {}
    if lead.pk not in eligible:
        errors["lead"] = _("%(person)s is not a fidelity reviewer on %(state)s's IPS team.") % {
            "person": lead,
            "state": review.program.state,
        }
    if second.pk not in eligible:
        errors["second"] = _("%(person)s is not a fidelity reviewer on %(state)s's IPS team.") % {
            "person": second,
            "state": review.program.state,
        }
    if lead.pk == second.pk:
        errors["second"] = _("A review needs two different reviewers. Choose someone else.")
    if errors:
        raise ValidationError(errors)
    if ReviewerScore.objects.filter(review=review).exists():
        raise ValidationError(_("Scoring has started; the team can no longer change."))
    review.team.all().delete()
    ReviewTeamMember.objects.create(review=review, person=lead, is_lead=True)
    ReviewTeamMember.objects.create(review=review, person=second, is_lead=False)
    review.status = Review.Status.PLANNED
    review.save(update_fields=["status"])
    _audit(actor, "review_set_team", review, lead=lead, second=second)
    return review


@transaction.atomic
def review_plan(
    *,
    actor: Person,
    review: Review,
    visit_day_1: datetime.date,
    visit_day_2: datetime.date,
    window_opens: datetime.date | None = None,
    window_closes: datetime.date | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    documents_requested: str = "",
) -> Review:
    access.require_planner(actor, review)
    _require_status(review, *Review.OPEN_STATUSES, doing=_("change its plan"))
    given: dict[str, datetime.date | None] = {"visit_day_1": visit_day_1, "visit_day_2": visit_day_2}
    given |= {"window_opens": window_opens, "window_closes": window_closes}
    far = {name: problem for name, day in given.items() if day and (problem := rules.year_problem(day))}
    if far:
        raise ValidationError(far)
    default_open, default_close = rules.default_window(visit_day_1, visit_day_2)
    window_opens = window_opens or default_open
    window_closes = window_closes or default_close
    errors = {}
    if visit_day_2 < visit_day_1:
        errors["visit_day_2"] = _("The second visit day can't come before the first.")
    if window_opens > visit_day_1:
        errors["window_opens"] = _("Reviewers' access must open on or before the first visit day.")
    if window_closes < visit_day_2:
        errors["window_closes"] = _("Reviewers' access must last at least until the second visit day.")
    if (window_closes - window_opens).days > 90:
        errors["window_closes"] = _("Reviewers' access can last at most 90 days. Choose an earlier date.")
    if errors:
        raise ValidationError(errors)
    values = {
        "visit_day_1": visit_day_1,
        "visit_day_2": visit_day_2,
        "window_opens": window_opens,
        "window_closes": window_closes,
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip(),
        "contact_phone": contact_phone.strip(),
        "documents_requested": documents_requested.strip(),
    }
    for name, value in values.items():
        setattr(review, name, value)
    review.full_clean()
    review.save(update_fields=list(values))
    # Issue #26: the checklist follows the documents requested; the steps not yet done follow the visit.
    preparation.checklist_sync(review)
    moved = preparation.timeline_move(review)
    _audit(actor, "review_plan", review, visit=visit_day_1, window=f"{window_opens}–{window_closes}", steps_moved=moved)
    hooks.work_changed(review.program_id)
    return review


# The usual two-day visit (review manual): interviews, observation and chart review.
STANDARD_AGENDA = (
    (1, "08:30", "09:30", AgendaSlot.Activity.INTERVIEW, gettext_lazy("Executive director and agency leaders")),
    (1, "09:45", "10:45", AgendaSlot.Activity.INTERVIEW, gettext_lazy("IPS supervisor")),
    (1, "11:00", "12:00", AgendaSlot.Activity.OBSERVATION, gettext_lazy("IPS unit meeting")),
    (1, "13:00", "14:30", AgendaSlot.Activity.INTERVIEW, gettext_lazy("Employment specialists")),
    (
        1,
        "14:45",
        "16:30",
        AgendaSlot.Activity.CHART_REVIEW,
        gettext_lazy("Chart review (fidelity chart review worksheet)"),
    ),
    (2, "08:30", "09:30", AgendaSlot.Activity.OBSERVATION, gettext_lazy("Treatment team meeting")),
    (2, "09:45", "10:45", AgendaSlot.Activity.INTERVIEW, gettext_lazy("Clinicians and case managers")),
    (2, "11:00", "12:00", AgendaSlot.Activity.INTERVIEW, gettext_lazy("Clients and family members")),
    (2, "13:00", "14:00", AgendaSlot.Activity.INTERVIEW, gettext_lazy("VR counselors")),
    (
        2,
        "14:15",
        "15:45",
        AgendaSlot.Activity.EMPLOYER_CONTACT,
        gettext_lazy("An employment specialist with employers"),
    ),
    (2, "16:00", "16:30", AgendaSlot.Activity.OTHER, gettext_lazy("Closing conversation with the program")),
)

STANDARD_DOCUMENTS = gettext_lazy(
    "IPS caseload list with each client's entry date and specialist\n"
    "Employer contact logs for the last month\n"
    "Job list for the last year: job type, employer, start and end dates, wages\n"
    "Field mentoring log of the IPS supervisor\n"
    "Steering committee minutes and the latest quarterly outcomes\n"
    "Job descriptions of the employment specialists and the IPS supervisor"
)


@transaction.atomic
def agenda_use_standard(*, actor: Person, review: Review) -> list[AgendaSlot]:
    access.require_planner(actor, review)
    _require_status(review, *Review.OPEN_STATUSES, doing=_("change its agenda"))
    review.agenda.all().delete()
    slots = AgendaSlot.objects.bulk_create(
        AgendaSlot(
            review=review,
            day=day,
            starts_at=datetime.time.fromisoformat(start),
            ends_at=datetime.time.fromisoformat(end),
            activity=activity,
            topic=str(topic),
        )
        for day, start, end, activity, topic in STANDARD_AGENDA
    )
    _audit(actor, "agenda_standard", review)
    preparation.follow_agenda(review, actor)  # #26: the timeline's agenda step follows the work
    hooks.work_changed(review.program_id)
    return slots


@transaction.atomic
def agenda_slot_add(
    *,
    actor: Person,
    review: Review,
    day: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
    activity: str,
    topic: str,
) -> AgendaSlot:
    access.require_planner(actor, review)
    _require_status(review, *Review.OPEN_STATUSES, doing=_("change its agenda"))
    errors = {}
    if day not in (1, 2):
        errors["day"] = _("A visit has two days: choose day 1 or day 2.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The slot must end after it starts.")
    if activity not in AgendaSlot.Activity.values:
        errors["activity"] = _("Choose an interview, an observation, a chart review or job development.")
    if not topic.strip():
        errors["topic"] = _("Say who is interviewed or what is observed.")
    if errors:
        raise ValidationError(errors)
    slot = AgendaSlot.objects.create(
        review=review, day=day, starts_at=starts_at, ends_at=ends_at, activity=activity, topic=topic.strip()
    )
    _audit(actor, "agenda_add", review, slot, topic=topic)
    preparation.follow_agenda(review, actor)  # #26: the timeline's agenda step follows the work
    hooks.work_changed(review.program_id)
    return slot


# --- Scoring --------------------------------------------------------------------------------------

CANNOT_RATE = "cannot"


@dataclass(frozen=True)
class ScoreEntry:
    item: FidelityItem
    score: str  # "1".."5", "cannot", or "" (not scored yet)
    reason: str = ""
    notes: str = ""
    sources: str = ""
    rationale: str = ""
    strengths: str = ""
    recommendations: str = ""


def _score_values(entry: ScoreEntry, errors: dict[str, str], prefix: str) -> tuple[int | None, str] | None:
    """(score, cannot-rate reason) for an entry, or None when it is left blank; errors keyed by field."""
    n = entry.item.number
    if entry.score == "":
        return None
    if entry.score == CANNOT_RATE:
        if not entry.reason.strip():
            errors[f"reason_{n}"] = _(
                "Item %(number)s: say why it can't be rated (for example, no records to review)."
            ) % {"number": n}
            return None
        return None, entry.reason.strip()
    if entry.score not in {"1", "2", "3", "4", "5"}:
        errors[f"score_{n}"] = _("Item %(number)s: choose a score from 1 to 5, or 'cannot rate'.") % {"number": n}
        return None
    return int(entry.score), ""


@transaction.atomic
def scores_save(*, actor: Person, review: Review, entries: Iterable[ScoreEntry]) -> int:
    """Save a reviewer's own scores (blank items stay unscored). Returns how many items were saved."""
    member = access.require_team_member(actor, review)
    _require_status(review, Review.Status.PLANNED, Review.Status.SCORING, doing=_("score"))
    if member.scores_submitted_at is not None:
        raise ValidationError(_("You have submitted your scores; they can no longer change."))
    errors: dict[str, str] = {}
    saved = 0
    for entry in entries:
        if entry.item.scale_id != review.scale_id:
            raise ValidationError(_("That item belongs to another version of the scale."))
        values = _score_values(entry, errors, "score")
        if values is None:
            continue
        score, reason = values
        ReviewerScore.objects.update_or_create(
            review=review,
            item=entry.item,
            reviewer=actor,
            defaults={
                "score": score,
                "cannot_rate_reason": reason,
                "notes": entry.notes.strip(),
                "data_sources": entry.sources.strip(),
            },
        )
        saved += 1
    if errors:
        raise ValidationError(errors)
    if review.status == Review.Status.PLANNED:
        review.status = Review.Status.SCORING
        review.save(update_fields=["status"])
    _audit(actor, "scores_save", review, items=saved)
    return saved


@transaction.atomic
def scores_submit(*, actor: Person, review: Review) -> ReviewTeamMember:
    member = access.require_team_member(actor, review)
    _require_status(review, Review.Status.PLANNED, Review.Status.SCORING, doing=_("submit scores"))
    if member.scores_submitted_at is not None:
        raise ValidationError(_("You have already submitted your scores."))
    scored = set(ReviewerScore.objects.filter(review=review, reviewer=actor).values_list("item__number", flat=True))
    missing = [i.number for i in review.scale.items.all() if i.number not in scored]
    if missing:
        raise ValidationError(
            _("Score every item before submitting (or mark it 'cannot rate' with a reason). Still to score: %(items)s.")
            % {"items": ", ".join(map(str, missing))}
        )
    member.scores_submitted_at = timezone.now()
    member.save(update_fields=["scores_submitted_at"])
    if not review.team.filter(scores_submitted_at__isnull=True).exists():
        review.status = Review.Status.CONSENSUS
        review.save(update_fields=["status"])
    _audit(actor, "scores_submit", review, member)
    preparation.follow_visit(review, actor)  # #26: both reviewers' scores complete the visit step
    return member


@transaction.atomic
def consensus_save(*, actor: Person, review: Review, entries: Iterable[ScoreEntry]) -> int:
    """The lead reviewer records the agreed score, rationale, strengths and recommendations per item."""
    access.require_lead_reviewer(actor, review)
    _require_status(review, Review.Status.CONSENSUS, Review.Status.REPORTING, doing=_("record consensus"))
    errors: dict[str, str] = {}
    saved = 0
    for entry in entries:
        values = _score_values(entry, errors, "score")
        if values is None:
            continue
        score, reason = values
        ConsensusScore.objects.update_or_create(
            review=review,
            item=entry.item,
            defaults={
                "score": score,
                "cannot_rate_reason": reason,
                "rationale": entry.rationale.strip(),
                "strengths": entry.strengths.strip(),
                "recommendations": entry.recommendations.strip(),
            },
        )
        saved += 1
    if errors:
        raise ValidationError(errors)
    _audit(actor, "consensus_save", review, items=saved)
    return saved


@transaction.atomic
def consensus_complete(*, actor: Person, review: Review) -> Review:
    access.require_lead_reviewer(actor, review)
    _require_status(review, Review.Status.CONSENSUS, doing=_("complete consensus"))
    agreed = set(review.consensus_scores.values_list("item__number", flat=True))
    missing = [i.number for i in review.scale.items.all() if i.number not in agreed]
    if missing:
        raise ValidationError(
            _("Agree a score for every item first. Still open: %(items)s.") % {"items": ", ".join(map(str, missing))}
        )
    review.status = Review.Status.REPORTING
    review.consensus_completed_at = timezone.now()
    review.save(update_fields=["status", "consensus_completed_at"])
    _audit(actor, "consensus_complete", review, total=selectors.review_total(review).estimate)
    hooks.work_changed(review.program_id)
    return review


# --- Report ---------------------------------------------------------------------------------------


@transaction.atomic
def report_save_overall(*, actor: Person, review: Review, strengths: str, recommendations: str) -> Review:
    access.require_lead_reviewer(actor, review)
    _require_status(review, Review.Status.REPORTING, doing=_("edit the report"))
    if not strengths.strip() or not recommendations.strip():
        raise ValidationError(
            {
                **({"strengths": _("Write the program's overall strengths.")} if not strengths.strip() else {}),
                **({"recommendations": _("Write the overall recommendations.")} if not recommendations.strip() else {}),
            }
        )
    review.overall_strengths, review.overall_recommendations = strengths.strip(), recommendations.strip()
    review.save(update_fields=["overall_strengths", "overall_recommendations"])
    _audit(actor, "report_edit", review)
    return review


@transaction.atomic
def report_deliver(*, actor: Person, review: Review, delivered_on: datetime.date) -> Review:
    """Deliver the report to the mental health agency, the employment provider and the DVR office(s);
    schedule the next review by the rule; the program's first report moves it to ongoing delivery."""
    access.require_deliverer(actor, review)
    _require_status(review, Review.Status.REPORTING, doing=_("deliver the report"))
    if not review.overall_strengths or not review.overall_recommendations:
        raise ValidationError(_("Write the overall strengths and recommendations before delivering."))
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("A delivery date can't be in the future.")})
    if review.visit_day_1 and delivered_on < review.visit_day_1:
        raise ValidationError({"delivered_on": _("The report can't be delivered before the visit.")})
    program = review.program
    first_report = not Review.objects.filter(program=program, status=Review.Status.DELIVERED).exists()
    organizations = [
        program.mh_agency,
        *([program.employment_provider] if program.employment_provider else []),
    ]
    organizations += list(program.dvr_offices.all())
    ReportDelivery.objects.bulk_create(
        ReportDelivery(review=review, organization=org, delivered_on=delivered_on, delivered_by=actor)
        for org in organizations
    )
    review.status, review.report_date = Review.Status.DELIVERED, delivered_on
    review.save(update_fields=["status", "report_date"])
    total = selectors.review_total(review)
    _audit(actor, "report_deliver", review, to=", ".join(o.name for o in organizations), total=total.estimate)
    if not Review.objects.filter(program=program, status__in=Review.OPEN_STATUSES).exists():
        _create_review(actor, program, Review.Kind.FOLLOW_UP, rules.next_review_due(delivered_on, total.estimate or 0))
    if first_report:
        program_note_event(actor=actor, program=program, event="first_fidelity_report", on=delivered_on)
    hooks.work_changed(program.pk)
    return review


# --- Action plan ----------------------------------------------------------------------------------


def check_action_owner(review: Review, owner: Person | None) -> None:
    """Raise ValidationError when `owner` may not own an action of this review's plan (public: the
    meeting follow-up converter asks it before choosing an owner)."""
    if owner is not None and owner.pk not in {p.pk for p in selectors.possible_owners(review)}:
        raise ValidationError(
            {"owner": _("%(person)s does not work in this program or on the state team.") % {"person": owner}}
        )


@transaction.atomic
def action_create(
    *,
    actor: Person,
    review: Review,
    title: str,
    items: Iterable[FidelityItem],
    owner: Person | None,
    due_on: datetime.date,
) -> ActionItem:
    access.require_action_editor(actor, review)
    _require_status(review, Review.Status.DELIVERED, doing=_("add actions"))
    items = list(items)
    if not title.strip():
        raise ValidationError({"title": _("Say what will be done.")})
    if any(i.scale_id != review.scale_id for i in items):
        raise ValidationError({"items": _("Choose items of this review's scale.")})
    check_action_owner(review, owner)
    action = ActionItem.objects.create(review=review, title=title.strip(), owner=owner, due_on=due_on)
    action.items.set(items)
    _audit(actor, "action_create", review, action, title=title)
    hooks.work_changed(review.program_id)
    return action


@transaction.atomic
def actions_from_recommendations(
    *, actor: Person, review: Review, owner: Person | None, due_on: datetime.date
) -> list[ActionItem]:
    """One action per item whose consensus has a recommendation and no action yet."""
    access.require_action_editor(actor, review)
    _require_status(review, Review.Status.DELIVERED, doing=_("add actions"))
    check_action_owner(review, owner)
    linked = set(
        ActionItem.items.through.objects.filter(actionitem__review=review).values_list("fidelityitem_id", flat=True)
    )
    created = []
    for consensus in review.consensus_scores.select_related("item").exclude(recommendations=""):
        if consensus.item_id in linked:
            continue
        action = ActionItem.objects.create(
            review=review, title=consensus.recommendations[:300], owner=owner, due_on=due_on
        )
        action.items.set([consensus.item])
        created.append(action)
    if not created:
        raise ValidationError(_("Every recommendation already has an action."))
    _audit(actor, "actions_from_recommendations", review, count=len(created))
    hooks.work_changed(review.program_id)
    return created


@transaction.atomic
def action_update(
    *,
    actor: Person,
    action: ActionItem,
    status: str,
    due_on: datetime.date,
    owner: Person | None,
    steering_reviewed_on: datetime.date | None = None,
    note: str = "",
) -> ActionItem:
    access.require_action_updater(actor, action)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    check_action_owner(action.review, owner)
    if steering_reviewed_on and steering_reviewed_on > timezone.localdate():
        raise ValidationError({"steering_reviewed_on": _("That date is in the future.")})
    action.status, action.due_on, action.owner = status, due_on, owner
    action.steering_reviewed_on = steering_reviewed_on
    action.save(update_fields=["status", "due_on", "owner", "steering_reviewed_on"])
    if note.strip():
        ActionNote.objects.create(action=action, text=note.strip(), author=actor)
    _audit(actor, "action_update", action.review, action, status=status)
    hooks.work_changed(action.review.program_id)
    return action


@transaction.atomic
def action_delete(*, actor: Person, action: ActionItem) -> None:
    """Remove an action added in error (the plan's editors: state team, lead reviewer, program leaders)."""
    review = action.review
    access.require_action_editor(actor, review)
    _audit(actor, "action_delete", review, action, title=action.title, review_id=review.pk)
    action.delete()
    hooks.work_changed(review.program_id)


# --- Interview invitations ------------------------------------------------------------------------


def _require_invitations_open(review: Review) -> None:
    if review.status == Review.Status.CANCELLED:
        raise ValidationError(_("This review was cancelled, so its invitations can't change."))


@transaction.atomic
def invitee_add(
    *,
    actor: Person,
    review: Review,
    who: str,
    relation: str,
    invited_on: datetime.date | None,
    accepted: bool | None = None,
) -> ReviewInvitee:
    """Record a client or family member invited to be interviewed at the visit (a description, never a
    name: the reviewers plan with it outside the client records)."""
    access.require_invitee_editor(actor, review)
    _require_invitations_open(review)
    errors: dict[str, str] = {}
    if not who.strip():
        errors["who"] = _(
            "Describe who was invited without naming them, e.g. “Client A, job seeker, 2 years in services”."
        )
    if relation not in ReviewInvitee.Relation.values:
        errors["relation"] = _("Choose whether a client or a family member was invited.")
    if invited_on is None:
        errors["invited_on"] = _("Enter the date they were invited.")
    else:
        today = timezone.localdate()
        last_day = review.visit_day_2 or review.visit_day_1
        if invited_on > today:
            errors["invited_on"] = _(
                "The invitation date (%(day)s) is in the future. Record an invitation once it is made."
            ) % {"day": date_format(invited_on, "F j, Y")}
        elif last_day is not None and invited_on > last_day:
            errors["invited_on"] = _("Invitations come before the visit, which ended on %(day)s.") % {
                "day": date_format(last_day, "F j, Y")
            }
    if errors:
        raise ValidationError(errors)
    assert invited_on is not None
    invitee = ReviewInvitee.objects.create(
        review=review,
        who=who.strip(),
        relation=relation,
        invited_on=invited_on,
        accepted=accepted,
        recorded_by=actor,
    )
    _audit(actor, "invitee_add", review, invitee, relation=relation, invited_on=invited_on)
    preparation.follow_agenda(review, actor)  # #26: the timeline's agenda step follows the work
    hooks.work_changed(review.program_id)
    return invitee


@transaction.atomic
def invitee_answer(*, actor: Person, invitee: ReviewInvitee, accepted: bool | None) -> ReviewInvitee:
    """Record whether the person accepted the invitation (None: no answer yet)."""
    review = invitee.review
    access.require_invitee_editor(actor, review)
    _require_invitations_open(review)
    invitee.accepted = accepted
    invitee.save(update_fields=["accepted"])
    _audit(actor, "invitee_answer", review, invitee, accepted=accepted)
    return invitee


@transaction.atomic
def invitee_delete(*, actor: Person, invitee: ReviewInvitee) -> None:
    review = invitee.review
    access.require_invitee_editor(actor, review)
    _require_invitations_open(review)
    _audit(actor, "invitee_delete", review, invitee, relation=invitee.relation)
    invitee.delete()
    preparation.follow_agenda(review, actor)  # #26: the last invitee gone reopens the agenda step
    hooks.work_changed(review.program_id)


# --- Specialists' time, for items 1 and 2 of the estimate (issue 26) ----------------------------------


@transaction.atomic
def specialist_time_set(
    *, actor: Person, program: Program, specialist: Person, fte: Decimal, employment_share: int
) -> SpecialistTime:
    """Record a specialist's full-time equivalent on the program and share of time on employment services."""
    access.require_specialist_time_editor(actor, program)
    errors: dict[str, list[str]] = {}
    if specialist.pk not in {p.pk for p in selectors.program_specialists(program)}:
        errors["specialist"] = [_("Choose an employment specialist of this program.")]
    if not Decimal("0.05") <= fte <= Decimal("1"):
        errors["fte"] = [_("Enter a full-time equivalent from 0.05 to 1.00.")]
    if not 0 <= employment_share <= 100:
        errors["employment_share"] = [_("Enter a percent from 0 to 100.")]
    if errors:
        raise ValidationError(errors)
    time, created = SpecialistTime.objects.update_or_create(
        program=program,
        specialist=specialist,
        defaults={"fte": fte, "employment_share": employment_share, "updated_by": actor},
    )
    audit_record(
        actor=actor,
        action="fidelity.specialist_time_set",
        obj=time,
        summary=f"{specialist} at {fte} FTE, {employment_share}% on employment services",
        state_id=program.state_id,
        detail={"program": program.pk, "specialist": specialist.pk, "created": created},
    )
    return time
