"""Writes for implementation tracking: keyword-only, atomic, validated, audited."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit import hooks
from ipshub.audit.services import audit_record
from ipshub.catalog.models import Strategy
from ipshub.catalog.selectors import questions as catalog_questions
from ipshub.implementation import access as impl_access
from ipshub.implementation import reasons
from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import (
    ACCEPTED_EXTENSIONS,
    Assignment,
    AssignmentComment,
    BulkAction,
    DataAccepted,
    DataRequest,
    DataRequestAnswer,
    Evidence,
    ItemStatus,
    Material,
    MaterialDistribution,
    OutreachActivity,
    OutreachKind,
    PartnershipItem,
    PartnershipKind,
    PartnershipStatus,
    ReadinessAnswer,
    ReadinessAssessment,
    Resource,
    ResourceShare,
    ResourceTopic,
    StatusSource,
    SteeringMember,
    StrategyProgress,
)
from ipshub.implementation.reasons import Reason
from ipshub.implementation.selectors import program_opened_on, unmet_partnership_items
from ipshub.lib.uploads import check_upload
from ipshub.tenancy import access
from ipshub.tenancy.models import Organization, Person, Phase, PhaseChange, Program
from ipshub.tenancy.services import program_change_phase, program_note_event, program_recheck_phase

# A program's dates are days of its work: years far away are typing mistakes (as fidelity's rules say).
FIRST_YEAR, LAST_YEAR = 1900, 2199

# --- Set-up when a program enters a phase ---------------------------------------------------------


def partnership_items_ensure(program: Program) -> None:
    existing = set(PartnershipItem.objects.filter(program=program).values_list("kind", flat=True))
    PartnershipItem.objects.bulk_create(
        PartnershipItem(program=program, kind=kind) for kind in PartnershipKind.values if kind not in existing
    )


def program_setup_sync(program: Program) -> int:
    """Everything a program in its phase should have: its set-up checklist, and its assignments (those of
    this phase and of any it skipped, each following the work recorded). Idempotent; returns how many
    assignments were made."""
    partnership_items_ensure(program)
    return assignments_reconcile([program.pk]).created


def on_program_phase_entered(
    *, program: Program, phase: str, effective_on: datetime.date, actor: Person | None
) -> None:
    made = program_setup_sync(program)
    # Other areas act on the same phase change after this (fidelity schedules the baseline review): reconcile
    # again once it all commits, so their records' duties come too.
    hooks.work_changed(program.pk)
    if made:
        audit_record(
            actor=actor,
            action="implementation.assignments_create",
            obj=program,
            state_id=program.state_id,
            summary=f"{program}: {made} responsibilities assigned on entering '{Phase(phase).label}'",
            detail={"phase": phase, "count": made},
        )


# --- The partnership set-up gate ------------------------------------------------------------------


def partnership_gate(program: Program, to_phase: str) -> list[str]:
    if to_phase != Phase.IMPLEMENTATION or program.phase != Phase.PRIOR:
        return []
    return unmet_partnership_items(program)


# --- Roadmap checklist ----------------------------------------------------------------------------


def _check_dates(program: Program, **dates: datetime.date | None) -> None:
    opened = program_opened_on(program)
    errors = {
        name: f"This date is before the program was opened ({opened:%B %-d, %Y}). Enter {opened:%B %-d, %Y} or later."
        for name, value in dates.items()
        if value is not None and value < opened
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def strategy_progress_update(
    *,
    actor: Person,
    program: Program,
    strategy: Strategy,
    status: str,
    reason: str = "",
    notes: str = "",
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
) -> StrategyProgress:
    impl_access.require_leader(actor, program)
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == ItemStatus.NOT_APPLICABLE and not reason.strip():
        raise ValidationError({"reason": _("Say why this strategy does not apply to the program.")})
    _check_dates(program, started_on=started_on, completed_on=completed_on)
    if started_on and completed_on and completed_on < started_on:
        raise ValidationError({"completed_on": _("The completion date is before the start date. Correct one of them.")})
    if status == ItemStatus.DONE and completed_on is None:
        completed_on = timezone.localdate()
    progress, _created = StrategyProgress.objects.get_or_create(program=program, strategy=strategy)
    progress.status, progress.reason, progress.notes = status, reason.strip(), notes.strip()
    progress.started_on, progress.completed_on, progress.updated_by = started_on, completed_on, actor
    progress.save()
    audit_record(
        actor=actor,
        action="implementation.strategy_update",
        obj=progress,
        state_id=program.state_id,
        summary=f"{program}: {strategy.key} → {progress.get_status_display()}",
    )
    return progress


# --- Assignments ----------------------------------------------------------------------------------


# The statuses a person may set on the assignment page; superseded is the product's (or a state lead's
# retirement, below).
HAND_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)


def _say_why(assignment: Assignment, reason: Reason | None) -> None:
    """The reason in English (status_reason) and as parts each reader sees in their language (status_why)."""
    assignment.status_reason = reason.english() if reason is not None else ""
    assignment.status_why = reason.as_parts() if reason is not None else {}


@transaction.atomic
def assignment_update(
    *,
    actor: Person,
    assignment: Assignment,
    status: str,
    due_on: datetime.date,
    owner: Person | None = None,
    notes: str = "",
    comment: str = "",
) -> Assignment:
    """A person updates an assignment. Marking it done or not applicable by hand needs a note (a comment) and
    stands until a person changes it; a duty closed only by confirmation is confirmed by its own party."""
    impl_access.require_assignment_updater(actor, assignment)
    program = assignment.program
    errors: dict[str, str] = {}
    if status not in HAND_STATUSES:
        errors["status"] = _("Choose a status from the list.")
    try:
        _check_dates(program, due_on=due_on)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if owner is not None and (
        assignment.organization_id is None
        or not owner.memberships.filter(organization_id=assignment.organization_id, is_active=True).exists()
    ):
        errors["owner"] = _("%(owner)s does not work at %(value)s. Choose one of its people.") % {
            "owner": owner,
            "value": assignment.organization or _("the assigned organization"),
        }
    closing_by_hand = status in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE) and status != assignment.status
    rule = assignment.responsibility.fulfilment
    if closing_by_hand and not comment.strip():
        how = rule.get("describe", "")
        label = str(ItemStatus(status).label).lower()
        errors["comment"] = _("Say in a comment why you mark it “%(status)s” by hand.") % {"status": label}
        if how:
            how = assignment.responsibility.local("describe") or how
            errors["comment"] += " " + _("IPS Hub closes it by itself when the work is recorded: %(how)s") % {
                "how": how
            }
    if (
        status == ItemStatus.DONE
        and rule.get("kind") == "confirmation"
        and not impl_access.is_of_party(actor, assignment)
    ):
        errors["status"] = _("Only a person of %(value)s can confirm this duty is done: it is theirs to confirm.") % {
            "value": assignment.organization or _("the responsible party")
        }
    if errors:
        raise ValidationError(errors)
    before = {"status": assignment.status, "due_on": str(assignment.due_on), "owner": assignment.owner_id}
    assignment.due_on, assignment.owner, assignment.notes = due_on, owner, notes.strip()
    if status != assignment.status:
        assignment.status = status
        assignment.status_changed_at = timezone.now()
        if status in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE):
            assignment.status_source = StatusSource.PERSON
            _say_why(
                assignment,
                Reason(reasons.SET_BY, {"actor": str(actor), "on": timezone.localdate(), "comment": comment.strip()}),
            )
        else:  # open again: the work decides from now on
            assignment.status_source = StatusSource.NONE
            _say_why(assignment, None)
            assignment.fulfilled_by = []
    if status == ItemStatus.DONE and assignment.completed_on is None:
        assignment.completed_on = timezone.localdate()
    elif status != ItemStatus.DONE:
        assignment.completed_on = None
    assignment.save()
    if comment.strip():
        AssignmentComment.objects.create(assignment=assignment, author=actor, text=comment.strip())
    audit_record(
        actor=actor,
        action="implementation.assignment_update",
        obj=assignment,
        state_id=program.state_id,
        detail={"before": before, "status": status, "due_on": str(due_on)},
    )
    hooks.work_changed(program.pk)
    return assignment


@transaction.atomic
def assignments_bulk_set(*, actor: Person, assignments: list[Assignment], action: str, reason: str = "") -> int:
    """A state lead waives, retires or restores several assignments at once, with a reason (audited, and
    reversible: a restore reopens them and lets the work decide again). Returns how many changed."""
    errors: dict[str, str] = {}
    if action not in BulkAction.values:
        errors["action"] = _("Choose waive, retire or restore.")
    if action in (BulkAction.WAIVE, BulkAction.RETIRE) and not reason.strip():
        errors["reason"] = _("Give the reason: it is shown on each assignment and kept in the audit log.")
    if not assignments:
        errors["assignments"] = _("Choose at least one assignment.")
    if errors:
        raise ValidationError(errors)
    for program in {a.program for a in assignments}:
        impl_access.require_waiver(actor, program)
    now, today = timezone.now(), timezone.localdate()
    changed: list[Assignment] = []
    for assignment in assignments:
        if action == BulkAction.RESTORE:
            if assignment.status_source != StatusSource.PERSON:
                continue
            assignment.status, assignment.status_source = ItemStatus.NOT_STARTED, StatusSource.NONE
            _say_why(assignment, None)
        else:
            message = reasons.WAIVED_BY if action == BulkAction.WAIVE else reasons.RETIRED_BY
            assignment.status = ItemStatus.NOT_APPLICABLE if action == BulkAction.WAIVE else ItemStatus.SUPERSEDED
            assignment.status_source = StatusSource.PERSON
            _say_why(assignment, Reason(message, {"actor": str(actor), "on": today, "reason": reason.strip()}))
        assignment.status_changed_at = now
        assignment.completed_on = None
        assignment.fulfilled_by = []
        changed.append(assignment)
    Assignment.objects.bulk_update(
        changed,
        ["status", "status_source", "status_reason", "status_why", "status_changed_at", "completed_on", "fulfilled_by"],
    )
    for program in {a.program for a in changed}:
        ids = [a.pk for a in changed if a.program_id == program.pk]
        audit_record(
            actor=actor,
            action=f"implementation.assignments_{action}",
            obj=program,
            state_id=program.state_id,
            summary=f"{program}: {len(ids)} responsibilities {action}d" + (f": {reason.strip()}" if reason else ""),
            detail={"assignments": ids, "reason": reason.strip()},
        )
        hooks.work_changed(program.pk)
    return len(changed)


# --- Evidence -------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    actor: Person,
    program: Program,
    title: str,
    file: "UploadedFile[bytes] | None" = None,
    link: str = "",
    assignment: Assignment | None = None,
    partnership_item: PartnershipItem | None = None,
    strategy: Strategy | None = None,
) -> Evidence:
    if assignment is not None:
        impl_access.require_assignment_updater(actor, assignment)
    else:
        impl_access.require_leader(actor, program)
    if not title.strip():
        raise ValidationError({"title": _("Give the evidence a title, e.g. 'Signed service agreement'.")})
    if file is None and not link.strip():
        raise ValidationError({"file": _("Choose a file to upload, or enter a link.")})
    if file is not None and link.strip():
        raise ValidationError({"link": _("Add either a file or a link, not both. Clear the link or the file.")})
    evidence = Evidence(
        program=program,
        title=title.strip(),
        link=link.strip(),
        assignment=assignment,
        partnership_item=partnership_item,
        added_by=actor,
    )
    if strategy is not None:
        evidence.strategy_progress, _new = StrategyProgress.objects.get_or_create(program=program, strategy=strategy)
    if file is not None:
        checked = check_upload(file)
        evidence.original_name, evidence.content_type, evidence.size = (
            checked.original_name,
            checked.content_type,
            checked.size,
        )
        evidence.file.save(checked.stored_name, file, save=False)
    evidence.full_clean(exclude=["file"])
    evidence.save()
    audit_record(
        actor=actor,
        action="implementation.evidence_add",
        obj=evidence,
        state_id=program.state_id,
        detail={"file": evidence.original_name, "link": evidence.link},
    )
    return evidence


# --- Partnership set-up ---------------------------------------------------------------------------


@transaction.atomic
def partnership_item_update(
    *,
    actor: Person,
    item: PartnershipItem,
    status: str,
    parties: str = "",
    agreed_on: datetime.date | None = None,
    notes: str = "",
    waiver_reason: str = "",
) -> PartnershipItem:
    program = item.program
    impl_access.require_leader(actor, program)
    if status not in PartnershipStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == PartnershipStatus.WAIVED and not waiver_reason.strip():
        raise ValidationError(
            {"waiver_reason": _("Say why this item is waived, e.g. 'DVR's statewide agreement covers it'.")}
        )
    if status == PartnershipStatus.DONE and item.kind == PartnershipKind.START_DATE and agreed_on is None:
        raise ValidationError({"agreed_on": _("Enter the agreed start date.")})
    _check_dates(program, agreed_on=agreed_on)
    item.status, item.parties, item.agreed_on, item.notes = status, parties.strip(), agreed_on, notes.strip()
    item.waiver_reason = waiver_reason.strip() if status == PartnershipStatus.WAIVED else ""
    item.updated_by = actor
    item.save()
    audit_record(
        actor=actor,
        action="implementation.partnership_update",
        obj=item,
        state_id=program.state_id,
        summary=f"{program}: {item.get_kind_display()} → {item.get_status_display()}",
        detail={"status": status, "waiver_reason": item.waiver_reason},
    )
    hooks.work_changed(program.pk)
    # Completing the set-up may open the gate for a referral or kick-off that already happened.
    program_recheck_phase(actor=actor, program=item.program)
    return item


@transaction.atomic
def program_kickoff_set(*, actor: Person, program: Program, kickoff_date: datetime.date) -> PhaseChange | None:
    """Record the kick-off date; when it has come, tell the program (which may start implementation,
    if the partnership set-up is complete). Returns the phase change, if one happened."""
    impl_access.require_leader(actor, program)
    _check_dates(program, kickoff_date=kickoff_date)
    program.kickoff_date = kickoff_date
    program.save(update_fields=["kickoff_date"])
    audit_record(
        actor=actor,
        action="implementation.kickoff_set",
        obj=program,
        state_id=program.state_id,
        summary=f"{program}: kick-off {kickoff_date:%B %-d, %Y}",
    )
    if kickoff_date > timezone.localdate():
        return None
    return program_note_event(actor=actor, program=program, event="kickoff", on=kickoff_date)


def kickoffs_due(today: datetime.date) -> int:
    """For the daily command: programs whose kick-off date has now come start implementation."""
    moved = 0
    for program in Program.objects.filter(phase=Phase.PRIOR, kickoff_date__lte=today):
        with transaction.atomic():
            on = program.kickoff_date or today
            if program_note_event(actor=None, program=program, event="kickoff", on=on):
                moved += 1
    return moved


@transaction.atomic
def program_phase_override(
    *, actor: Person, program: Program, to_phase: str, effective_on: datetime.date, reason: str
) -> PhaseChange:
    access.require_program_manager(actor, program.state_id)
    if not FIRST_YEAR <= effective_on.year <= LAST_YEAR:
        # A typing mistake: the phase's responsibilities, due some days after it, would run off the calendar.
        raise ValidationError(
            {
                "effective_on": _("Use a date between the years %(FIRST_YEAR)s and %(LAST_YEAR)s.")
                % {"FIRST_YEAR": FIRST_YEAR, "LAST_YEAR": LAST_YEAR}
            }
        )
    return program_change_phase(
        actor=actor,
        program=program,
        to_phase=to_phase,
        effective_on=effective_on,
        reason=reason,
        is_override=True,
    )


# --- Readiness ------------------------------------------------------------------------------------


@transaction.atomic
def readiness_record(
    *, actor: Person, program: Program, held_on: datetime.date, answers: dict[str, str], **fields: str
) -> ReadinessAssessment:
    impl_access.require_leader(actor, program)
    _check_dates(program, held_on=held_on)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record the assessment after the meeting; this date is in the future.")})
    keys = set(catalog_questions().values_list("key", flat=True))
    unknown = set(answers) - keys
    if unknown:
        raise ValidationError(_("Unknown questions: %(join)s.") % {"join": ", ".join(sorted(unknown))})
    assessment = ReadinessAssessment(program=program, held_on=held_on, recorded_by=actor, **fields)
    assessment.full_clean()
    assessment.save()
    ReadinessAnswer.objects.bulk_create(
        ReadinessAnswer(assessment=assessment, question_key=key, answer=text.strip())
        for key, text in answers.items()
        if text.strip()
    )
    audit_record(actor=actor, action="implementation.readiness_record", obj=assessment, state_id=program.state_id)
    hooks.work_changed(program.pk)
    return assessment


# --- Steering committee ---------------------------------------------------------------------------


@transaction.atomic
def steering_member_add(
    *,
    actor: Person,
    program: Program,
    name: str,
    role: str,
    affiliation: str = "",
    joined_on: datetime.date | None,
) -> SteeringMember:
    impl_access.require_leader(actor, program)
    if not name.strip():
        raise ValidationError({"name": _("Enter the member's name.")})
    _check_dates(program, joined_on=joined_on)
    member = SteeringMember(
        program=program, name=name.strip(), role=role, affiliation=affiliation.strip(), joined_on=joined_on
    )
    member.full_clean()
    member.save()
    audit_record(actor=actor, action="implementation.steering_add", obj=member, state_id=program.state_id)
    hooks.work_changed(program.pk)
    return member


@transaction.atomic
def steering_member_remove(*, actor: Person, member: SteeringMember) -> None:
    impl_access.require_leader(actor, member.program)
    audit_record(
        actor=actor,
        action="implementation.steering_remove",
        obj=member,
        state_id=member.program.state_id,
        detail={"program": member.program_id},
    )
    member.delete()
    hooks.work_changed(member.program_id)


# --- Resource library -----------------------------------------------------------------------------


@transaction.atomic
def resource_create(
    *,
    actor: Person,
    organization: Organization,
    title: str,
    kind: str,
    stage_key: str,
    tool_key: str = "",
    description: str = "",
    link: str = "",
    file: "UploadedFile[bytes] | None" = None,
    topic: str = ResourceTopic.GENERAL,
) -> Resource:
    if organization.pk not in impl_access.curated_state_team_ids(actor) and not access.is_platform_admin(actor):
        impl_access.require_curator(actor, Resource(organization=organization))
    if file is None and not link.strip():
        raise ValidationError({"link": _("Enter a link, or choose a file to upload.")})
    if file is not None and link.strip():
        raise ValidationError({"link": _("Add either a file or a link, not both. Clear the link or the file.")})
    if topic not in ResourceTopic.values:
        raise ValidationError({"topic": _("Choose a topic from the list.")})
    resource = Resource(
        organization=organization,
        title=title.strip(),
        kind=kind,
        stage_key=stage_key,
        tool_key=tool_key,
        description=description.strip(),
        link=link.strip(),
        topic=topic,
        added_by=actor,
    )
    if file is not None:
        checked = check_upload(file)
        resource.original_name, resource.content_type = checked.original_name, checked.content_type
        resource.file.save(checked.stored_name, file, save=False)
    resource.full_clean(exclude=["file"])
    resource.save()
    audit_record(actor=actor, action="implementation.resource_create", obj=resource, state_id=organization.state_id)
    return resource


@transaction.atomic
def resource_delete(*, actor: Person, resource: Resource) -> None:
    impl_access.require_curator(actor, resource)
    audit_record(
        actor=actor,
        action="implementation.resource_delete",
        obj=resource,
        state_id=resource.organization.state_id,
    )
    # Its shares go with it: the programs it was sent to may have a duty to reopen.
    sent_to = set(resource.shares.values_list("program_id", flat=True))
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()
    for program_id in sent_to:
        hooks.work_changed(program_id)


# --- The small records of the roles matrix's tick-box duties --------------------------------------


def record_date_errors(program: Program, **dates: datetime.date | None) -> dict[str, str]:
    """Dates of something that happened: not before the program was opened, not in the future. Forms call
    it too, so a form shows these with its other errors at once."""
    opened = program_opened_on(program)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    for name, value in dates.items():
        if value is None:
            continue
        if value < opened:
            errors[name] = _("This date is before the program was opened (%(opened)s). Enter %(opened)s or later.") % {
                "opened": format(opened, "%B %-d, %Y")
            }
        elif value > today:
            errors[name] = _("This date is in the future. Record it once it has happened.")
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def outreach_errors(program: Program, *, held_on: datetime.date | None, kind: str, forum: str) -> dict[str, str]:
    errors = record_date_errors(program, held_on=held_on)
    if held_on is None:
        errors["held_on"] = _("Enter the date it was shared.")
    if kind not in OutreachKind.values:
        errors["kind"] = _("Choose what was shared: a presentation, a success story, media or other.")
    if not forum.strip():
        errors["forum"] = _("Say where it was shared or to whom, e.g. 'County board meeting' or 'Pine Valley Gazette'.")
    return errors


@transaction.atomic
def outreach_record(
    *,
    actor: Person,
    program: Program,
    held_on: datetime.date,
    kind: str,
    forum: str,
    description: str = "",
) -> OutreachActivity:
    """Log IPS shared in a public forum (a presentation, a success story...)."""
    impl_access.require_leader(actor, program)
    _raise(outreach_errors(program, held_on=held_on, kind=kind, forum=forum))
    activity = OutreachActivity(
        program=program,
        held_on=held_on,
        kind=kind,
        forum=forum.strip(),
        description=description.strip(),
        recorded_by=actor,
    )
    activity.full_clean()
    activity.save()
    audit_record(actor=actor, action="implementation.outreach_record", obj=activity, state_id=program.state_id)
    hooks.work_changed(program.pk)
    return activity


@transaction.atomic
def outreach_delete(*, actor: Person, activity: OutreachActivity) -> None:
    program = activity.program
    impl_access.require_leader(actor, program)
    audit_record(
        actor=actor,
        action="implementation.outreach_delete",
        obj=activity,
        state_id=program.state_id,
        detail={"program": program.pk},
    )
    activity.delete()
    hooks.work_changed(program.pk)


def distribution_errors(
    program: Program,
    *,
    material: str,
    distributed_on: datetime.date | None,
    recipients: str,
    copies: int | None,
) -> dict[str, str]:
    errors = record_date_errors(program, distributed_on=distributed_on)
    if distributed_on is None:
        errors["distributed_on"] = _("Enter the date they were handed out or put up.")
    if material not in Material.values:
        errors["material"] = _("Choose the Practical Guide or the handouts and posters.")
    if not recipients.strip():
        errors["recipients"] = _(
            "Say to whom the guide went, or where the handouts are displayed, e.g. 'Each IPS specialist' or "
            "'Lobby and waiting rooms'."
        )
    if copies is not None and copies < 1:
        errors["copies"] = _("Enter 1 or more copies, or leave it empty.")
    return errors


@transaction.atomic
def material_distribution_record(
    *,
    actor: Person,
    program: Program,
    material: str,
    distributed_on: datetime.date,
    recipients: str,
    copies: int | None = None,
) -> MaterialDistribution:
    """Log the Practical Guide handed to IPS staff, or IPS handouts and posters displayed."""
    impl_access.require_leader(actor, program)
    _raise(
        distribution_errors(
            program, material=material, distributed_on=distributed_on, recipients=recipients, copies=copies
        )
    )
    distribution = MaterialDistribution(
        program=program,
        material=material,
        distributed_on=distributed_on,
        recipients=recipients.strip(),
        copies=copies,
        recorded_by=actor,
    )
    distribution.full_clean()
    distribution.save()
    audit_record(
        actor=actor, action="implementation.material_distribution_record", obj=distribution, state_id=program.state_id
    )
    hooks.work_changed(program.pk)
    return distribution


@transaction.atomic
def material_distribution_delete(*, actor: Person, distribution: MaterialDistribution) -> None:
    program = distribution.program
    impl_access.require_leader(actor, program)
    audit_record(
        actor=actor,
        action="implementation.material_distribution_delete",
        obj=distribution,
        state_id=program.state_id,
        detail={"program": program.pk},
    )
    distribution.delete()
    hooks.work_changed(program.pk)


def share_errors(program: Program, *, resource: Resource | None, sent_on: datetime.date | None) -> dict[str, str]:
    errors = record_date_errors(program, sent_on=sent_on)
    if sent_on is None:
        errors["sent_on"] = _("Enter the date the resource was sent.")
    if resource is None or resource.organization.state_id != program.state_id:
        errors["resource"] = _("Choose a resource of your state's library.")
    return errors


@transaction.atomic
def resource_send(
    *, actor: Person, resource: Resource, program: Program, sent_on: datetime.date, note: str = ""
) -> ResourceShare:
    """The state team sends a resource of its library to a program (e.g. the sources of revenue for IPS)."""
    impl_access.require_state_team(actor, program)
    _raise(share_errors(program, resource=resource, sent_on=sent_on))
    share = ResourceShare(resource=resource, program=program, sent_on=sent_on, sent_by=actor, note=note.strip())
    share.full_clean()
    share.save()
    audit_record(
        actor=actor,
        action="implementation.resource_send",
        obj=share,
        state_id=program.state_id,
        summary=f"'{resource.title}' sent to {program}",
    )
    hooks.work_changed(program.pk)
    return share


@transaction.atomic
def resource_share_delete(*, actor: Person, share: ResourceShare) -> None:
    """Take back a resource sent by mistake."""
    program = share.program
    impl_access.require_state_team(actor, program)
    audit_record(
        actor=actor,
        action="implementation.resource_share_delete",
        obj=share,
        state_id=program.state_id,
        detail={"program": program.pk},
    )
    share.delete()
    hooks.work_changed(program.pk)


def data_request_errors(
    program: Program,
    *,
    asked_on: datetime.date | None,
    due_on: datetime.date | None,
    what: str,
    accepts: str,
) -> dict[str, str]:
    errors = record_date_errors(program, asked_on=asked_on)
    if asked_on is None:
        errors["asked_on"] = _("Enter the date of the request.")
    if due_on is None:
        errors["due_on"] = _("Enter the date the data is due.")
    elif asked_on is not None and due_on < asked_on:
        errors["due_on"] = _("The due date is before the request (%(asked_on)s). Enter a later date.") % {
            "asked_on": format(asked_on, "%B %-d, %Y")
        }
    if not what.strip():
        errors["what"] = _("Say what data is asked for, e.g. 'Caseload sizes per specialist, last quarter'.")
    if accepts not in DataAccepted.values:
        errors["accepts"] = _("Choose which files the answer may be: a spreadsheet, a document, or either.")
    return errors


@transaction.atomic
def data_request_create(
    *,
    actor: Person,
    program: Program,
    asked_on: datetime.date,
    due_on: datetime.date,
    what: str,
    accepts: str,
) -> DataRequest:
    """The state team asks the program for data, answered with an upload by the provider or the agency."""
    impl_access.require_state_team(actor, program)
    _raise(data_request_errors(program, asked_on=asked_on, due_on=due_on, what=what, accepts=accepts))
    request = DataRequest(
        program=program, asked_by=actor, asked_on=asked_on, due_on=due_on, what=what.strip(), accepts=accepts
    )
    request.full_clean()
    request.save()
    audit_record(actor=actor, action="implementation.data_request_create", obj=request, state_id=program.state_id)
    hooks.work_changed(program.pk)
    return request


@transaction.atomic
def data_request_delete(*, actor: Person, request: DataRequest) -> None:
    """Withdraw a request sent by mistake, while nothing has been uploaded to it."""
    program = request.program
    impl_access.require_state_team(actor, program)
    if request.answers.exists():
        raise ValidationError(_("This request has been answered, so it stays on the record. It can't be withdrawn."))
    audit_record(
        actor=actor,
        action="implementation.data_request_delete",
        obj=request,
        state_id=program.state_id,
        detail={"program": program.pk},
    )
    request.delete()
    hooks.work_changed(program.pk)


def accepted_text(accepts: str) -> str:
    return " or ".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS.get(accepts, ()))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _check_accepted(request: DataRequest, file: "UploadedFile[bytes]") -> None:
    name = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ACCEPTED_EXTENSIONS[request.accepts]:
        raise ValidationError(
            {
                "file": _(
                    "'%(name)s' is not what this request accepts: it asks for %(accepted)s. "
                    "Upload a %(accepted_text)s file."
                )
                % {
                    "name": name,
                    "accepted": _lower_first(str(DataAccepted(request.accepts).label)),
                    "accepted_text": accepted_text(request.accepts),
                }
            }
        )


@transaction.atomic
def data_request_answer(
    *,
    actor: Person,
    request: DataRequest,
    file: "UploadedFile[bytes]",
    answered_on: datetime.date | None = None,
    note: str = "",
) -> DataRequestAnswer:
    """Answer a data request with a file of a kind it accepts (checked by name and by content)."""
    program = request.program
    impl_access.require_data_answerer(actor, program)
    answered_on = answered_on or timezone.localdate()
    errors = record_date_errors(program, answered_on=answered_on)
    if "answered_on" not in errors and answered_on < request.asked_on:
        errors["answered_on"] = _("This is before the request was sent (%(asked_on)s).") % {
            "asked_on": format(request.asked_on, "%B %-d, %Y")
        }
    _raise(errors)
    _check_accepted(request, file)
    checked = check_upload(file)
    answer = DataRequestAnswer(
        request=request,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        note=note.strip(),
        answered_by=actor,
        answered_on=answered_on,
    )
    answer.file.save(checked.stored_name, file, save=False)
    answer.save()
    audit_record(
        actor=actor,
        action="implementation.data_request_answer",
        obj=answer,
        state_id=program.state_id,
        detail={"request": request.pk, "file": answer.original_name},
    )
    hooks.work_changed(program.pk)
    return answer


@transaction.atomic
def data_request_answer_delete(*, actor: Person, answer: DataRequestAnswer) -> None:
    """Take back a wrong file (the request is open again if it was the only one)."""
    program = answer.request.program
    impl_access.require_data_answer_remover(actor, answer)
    audit_record(
        actor=actor,
        action="implementation.data_request_answer_delete",
        obj=answer,
        state_id=program.state_id,
        detail={"request": answer.request_id, "file": answer.original_name, "program": program.pk},
    )
    stored = answer.file
    answer.delete()
    # The file goes once the removal is committed (a rolled-back removal keeps it).
    transaction.on_commit(lambda: stored.delete(save=False))
    hooks.work_changed(program.pk)
