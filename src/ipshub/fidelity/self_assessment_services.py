"""Writes to a program's fidelity self-assessments (issue #26): keyword-only, atomic; each checks that the
actor is one of the program's own people (fidelity/access.py), validates, writes and audits.

A self-assessment is saved whole: the entries sent are its scores, and an item sent without a score is
unscored (a team often scores over more than one meeting). It keeps the scale version it was made on."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.audit.services import audit_record
from ipshub.fidelity import access, preparation, rules
from ipshub.fidelity.models import FidelityItem, SelfAssessment, SelfAssessmentScore
from ipshub.fidelity.scales import current_scale
from ipshub.tenancy.models import Person, Program

PARTICIPANTS_MAX = 300
NOTE_MAX = 4000


@dataclass(frozen=True)
class SelfScoreEntry:
    item: FidelityItem
    score: str  # "1".."5", or "" (not scored)
    note: str = ""


def self_assessment_problems(
    *,
    scale_id: int,
    assessed_on: datetime.date | None,
    participants: str,
    note: str,
    entries: Iterable[SelfScoreEntry],
) -> tuple[list[tuple[FidelityItem, int, str]], dict[str, str]]:
    """The scored items as (item, score, note), and every problem at once keyed by the web form's fields (the
    form's clean() shows them beside its own errors; a date it could not read is None and not checked here)."""
    errors: dict[str, str] = {}
    if assessed_on is None:
        pass
    elif problem := rules.year_problem(assessed_on):
        errors["assessed_on"] = problem
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The day the team scored can't be in the future.")
    if len(participants.strip()) > PARTICIPANTS_MAX:
        errors["participants"] = _("Keep it to %(max)s characters.") % {"max": PARTICIPANTS_MAX}
    if len(note.strip()) > NOTE_MAX:
        errors["note"] = _("Keep it to %(max)s characters.") % {"max": NOTE_MAX}
    scored: list[tuple[FidelityItem, int, str]] = []
    seen: set[int] = set()
    for entry in entries:
        n = entry.item.number
        if entry.item.scale_id != scale_id:
            raise ValidationError(_("That item belongs to another version of the scale."))
        if n in seen:
            errors[f"score_{n}"] = _("Item %(number)s is given twice.") % {"number": n}
            continue
        seen.add(n)
        text = entry.note.strip()
        if len(text) > NOTE_MAX:
            errors[f"note_{n}"] = _("Item %(number)s: keep the note to %(max)s characters.") % {
                "number": n,
                "max": NOTE_MAX,
            }
        if entry.score == "":
            if text:
                errors[f"score_{n}"] = _("Item %(number)s: choose a score for the note, or clear the note.") % {
                    "number": n
                }
            continue
        if entry.score not in {"1", "2", "3", "4", "5"}:
            errors[f"score_{n}"] = _("Item %(number)s: choose a score from 1 to 5, or leave it unscored.") % {
                "number": n
            }
            continue
        scored.append((entry.item, int(entry.score), text))
    if not scored and not any(key.startswith("score_") for key in errors):
        errors["__all__"] = _("Score at least one item.")
    return scored, errors


def _validated(
    *, scale_id: int, assessed_on: datetime.date, participants: str, note: str, entries: Iterable[SelfScoreEntry]
) -> list[tuple[FidelityItem, int, str]]:
    scored, errors = self_assessment_problems(
        scale_id=scale_id, assessed_on=assessed_on, participants=participants, note=note, entries=entries
    )
    if errors:
        raise ValidationError(errors)
    return scored


def _write_scores(assessment: SelfAssessment, scored: list[tuple[FidelityItem, int, str]]) -> None:
    assessment.scores.all().delete()
    SelfAssessmentScore.objects.bulk_create(
        SelfAssessmentScore(assessment=assessment, item=item, score=score, note=text) for item, score, text in scored
    )


def _audit(actor: Person, action: str, assessment: SelfAssessment, scored: list[tuple[FidelityItem, int, str]]) -> None:
    total = rules.total_of([score for _, score, _ in scored], assessment.scale.bands or rules.DEFAULT_BANDS)
    audit_record(
        actor=actor,
        action=f"fidelity.{action}",
        obj=assessment,
        state_id=assessment.program.state_id,
        summary=f"{assessment.program}: {action.replace('_', ' ')}",
        detail={
            "assessed_on": str(assessment.assessed_on),
            "items_scored": str(len(scored)),
            "total_of_scored": str(total.rated_total),
        },
    )


@transaction.atomic
def self_assessment_create(
    *,
    actor: Person,
    program: Program,
    assessed_on: datetime.date,
    entries: Iterable[SelfScoreEntry],
    participants: str = "",
    note: str = "",
) -> SelfAssessment:
    """A new self-assessment of the program on the current scale."""
    access.require_self_assessor(actor, program)
    scale = current_scale()
    scored = _validated(
        scale_id=scale.pk, assessed_on=assessed_on, participants=participants, note=note, entries=entries
    )
    assessment = SelfAssessment.objects.create(
        program=program,
        scale=scale,
        assessed_on=assessed_on,
        participants=participants.strip(),
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    _write_scores(assessment, scored)
    _audit(actor, "self_assessment_create", assessment, scored)
    preparation.follow_self_assessment(assessment)  # #26: completes the open reviews' self-assessment step
    return assessment


@transaction.atomic
def self_assessment_update(
    *,
    actor: Person,
    assessment: SelfAssessment,
    assessed_on: datetime.date,
    entries: Iterable[SelfScoreEntry],
    participants: str = "",
    note: str = "",
) -> SelfAssessment:
    """Replace a self-assessment's date, participants, note and scores (an item not sent is unscored)."""
    access.require_self_assessor(actor, assessment.program)
    scored = _validated(
        scale_id=assessment.scale_id, assessed_on=assessed_on, participants=participants, note=note, entries=entries
    )
    assessment.assessed_on = assessed_on
    assessment.participants = participants.strip()
    assessment.note = note.strip()
    assessment.updated_by = actor
    assessment.save(update_fields=["assessed_on", "participants", "note", "updated_by", "updated_at"])
    _write_scores(assessment, scored)
    _audit(actor, "self_assessment_update", assessment, scored)
    return assessment


@dataclass(frozen=True)
class SelfItemSaved:
    """What one item's save left: its score row (None: the item is now unscored) and how many items are scored."""

    score: SelfAssessmentScore | None
    scored: int
    item_count: int


@transaction.atomic
def self_assessment_item_save(
    *, actor: Person, assessment: SelfAssessment, item: FidelityItem, score: str, note: str = ""
) -> SelfItemSaved:
    """One item's score and note, saved as the team scores it (the form's script, the API's per-item POST); a
    blank score unscores the item. The other items, the day and the participants are left as they are."""
    access.require_self_assessor(actor, assessment.program)
    scored, errors = self_assessment_problems(
        scale_id=assessment.scale_id,
        assessed_on=None,
        participants="",
        note="",
        entries=[SelfScoreEntry(item=item, score=score, note=note)],
    )
    errors.pop("__all__", None)  # "score at least one item" is for the whole form: one item may be unscored
    if errors:
        raise ValidationError(errors)
    row: SelfAssessmentScore | None = None
    if scored:
        _, value, text = scored[0]
        row, _ = SelfAssessmentScore.objects.update_or_create(
            assessment=assessment, item=item, defaults={"score": value, "note": text}
        )
    else:
        assessment.scores.filter(item=item).delete()
    assessment.updated_by = actor
    assessment.save(update_fields=["updated_by", "updated_at"])
    all_scores = [value for value in assessment.scores.values_list("score", flat=True)]
    total = rules.total_of(all_scores, assessment.scale.bands or rules.DEFAULT_BANDS)
    audit_record(
        actor=actor,
        action="fidelity.self_assessment_item_save",
        obj=assessment,
        state_id=assessment.program.state_id,
        summary=f"{assessment.program}: self-assessment item {item.number} saved",
        detail={
            "item": str(item.number),
            "score": str(row.score) if row else "",
            "items_scored": str(len(all_scores)),
            "total_of_scored": str(total.rated_total),
        },
    )
    return SelfItemSaved(score=row, scored=len(all_scores), item_count=assessment.scale.items.count())
