"""Writes to outcomes: keyword-only, atomic, validated, audited."""

import functools
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit.hooks import work_changed
from ipshub.audit.services import audit_record
from ipshub.lib import imports
from ipshub.outcomes import access, sources, uploads
from ipshub.outcomes.definitions import LEVELS, catalog
from ipshub.outcomes.figures import COUNTS, DECIMALS, NAMES, QUANTUM, breach_message, breaches
from ipshub.outcomes.metrics import Quarter, compute_quarter
from ipshub.outcomes.models import (
    EDITABLE,
    Benchmark,
    Goal,
    GoalMetric,
    QuarterlyReport,
    ReportEvent,
    Source,
    Status,
    Upload,
)
from ipshub.outcomes.selectors import benchmarks_for, current_report, due_on, in_progress_until, not_started_message
from ipshub.tenancy.models import Person, Program, State
from ipshub.tenancy.wages import long_date


def validate_period(year: int, quarter: int, definition_code: str) -> None:
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give the year as four digits, e.g. 2025.")
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("The quarter is 1, 2, 3 or 4.")
    elif not errors and (not_started := not_started_message(year, quarter)):
        errors["quarter"] = not_started
    if definition_code not in catalog().codes:
        errors["definition_code"] = _("Unknown definition. Choose one of: %(codes)s.") % {
            "codes": ", ".join(catalog().codes)
        }
    if errors:
        raise ValidationError(errors)


def validate_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """Check a set of figures; every problem is keyed by its field and says how to fix it."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for figure in COUNTS:
        value = figures.get(figure.name, 0)
        if value is None or value == "":
            value = 0
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[figure.name] = _("Give a whole number, zero or more.")
        clean[figure.name] = value
    for figure in DECIMALS:
        value = figures.get(figure.name)
        if value in (None, ""):
            clean[figure.name] = None
            continue
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            errors[figure.name] = _("Give a number, e.g. 18.5, or leave it empty.")
            continue
        top = Decimal(figure.top or 0)
        if not Decimal(0) <= value <= top:
            errors[figure.name] = _("Give a number between 0 and %(top)s, or leave it empty.") % {"top": top}
        clean[figure.name] = value.quantize(QUANTUM)
    if not errors:
        for figure, bound in breaches(clean):
            errors[figure.name] = breach_message(figure, bound, clean, verb="can't be more than")
    if errors:
        raise ValidationError(errors)
    return clean


def _event(report: QuarterlyReport, actor: Person, action: str, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, comment=comment, actor=actor)
    audit_record(
        actor=actor,
        action=f"outcome_report.{action}",
        obj=report,
        state_id=report.program.state_id,
        detail={"comment": comment} if comment else None,
    )


@transaction.atomic
def report_save(
    *,
    actor: Person,
    program: Program,
    year: int,
    quarter: int,
    definition_code: str,
    figures: dict[str, Any],
    source: str = Source.SUBMITTED,
) -> QuarterlyReport:
    """Enter a quarter's figures: a new draft, or replace the figures of the current draft (so entering or
    uploading the same quarter twice never counts it twice)."""
    access.require_writer(actor, program)
    validate_period(year, quarter, definition_code)
    clean = validate_figures(figures)
    existing = current_report(program, year, quarter, definition_code)
    if existing is not None and existing.status not in EDITABLE:
        if existing.status == Status.ACCEPTED:
            raise ValidationError(
                {
                    "quarter": _(
                        "The %(year)s Q%(quarter)s report was accepted and is locked. Make a correction instead."
                    )
                    % {"year": year, "quarter": quarter}
                }
            )
        raise ValidationError(
            {
                "quarter": _(
                    "The %(year)s Q%(quarter)s report is waiting for the state team's review; it can't change now."
                )
                % {"year": year, "quarter": quarter}
            }
        )
    definition = catalog().latest(definition_code)
    if existing is None:
        report = QuarterlyReport.objects.create(
            program=program,
            year=year,
            quarter=quarter,
            definition_code=definition_code,
            definition_version=definition.version,
            source=source,
            due_on=due_on(year, quarter),
            **clean,
        )
        _event(report, actor, "create")
        return report
    for name, value in clean.items():
        setattr(existing, name, value)
    existing.source = source
    existing.definition_version = definition.version
    existing.save()
    _event(existing, actor, "update")
    return existing


@transaction.atomic
def report_update(*, actor: Person, report: QuarterlyReport, figures: dict[str, Any]) -> QuarterlyReport:
    access.require_writer(actor, report.program)
    if not report.is_current or report.status not in EDITABLE:
        raise ValidationError(
            _("This report is %(status)s; only a draft or a returned report can change.")
            % {"status": report.get_status_display().lower()}
        )
    clean = validate_figures(figures)
    for name, value in clean.items():
        setattr(report, name, value)
    report.source = Source.SUBMITTED
    report.save()
    _event(report, actor, "update")
    return report


def submit_problems(*, report: QuarterlyReport, submit_early: bool, early_reason: str | None) -> dict[str, str]:
    """A quarter still in progress is submitted only early on purpose, with a reason (its figures may still
    change); every problem at once, by field."""
    until = in_progress_until(report.year, report.quarter)
    if until is None:
        return {}
    problems: dict[str, str] = {}
    if not submit_early:
        problems["submit_early"] = _(
            "%(period)s is still in progress: it ends on %(until)s, and its figures may still "
            "change. Submit it after that day, or choose 'Submit early' and say why."
        ) % {"period": report.period, "until": long_date(until)}
    if not (early_reason or "").strip():
        problems["early_reason"] = _("Say why the report goes in before the quarter ends (kept with the report).")
    return problems


@transaction.atomic
def report_submit(
    *, actor: Person, report: QuarterlyReport, submit_early: bool = False, early_reason: str = ""
) -> QuarterlyReport:
    """Send the report to the state team. A quarter still in progress goes only with submit_early and a
    reason, stored on the report and in its trail."""
    access.require_writer(actor, report.program)
    if not report.is_current or report.status not in EDITABLE:
        raise ValidationError(
            _("Only a draft or a returned report can be submitted; this one is %(status)s.")
            % {"status": report.get_status_display().lower()}
        )
    problems = submit_problems(report=report, submit_early=submit_early, early_reason=early_reason)
    if problems:
        raise ValidationError(problems)
    early = in_progress_until(report.year, report.quarter) is not None
    report.early_submission_reason = early_reason.strip() if early else ""
    report.status = Status.SUBMITTED
    # The first submission decides whether the report was on time; resubmitting after a return does not.
    report.submitted_at = report.submitted_at or timezone.now()
    report.submitted_by = actor
    report.save()
    comment = f"Submitted before the quarter ended: {report.early_submission_reason}" if early else ""
    _event(report, actor, "submit", comment)
    work_changed(report.program_id)  # the provider's quarterly report duty, and the state team's review
    return report


@transaction.atomic
def report_return(*, actor: Person, report: QuarterlyReport, comment: str) -> QuarterlyReport:
    access.require_reviewer(actor, report.program.state_id)
    if report.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change, so the program can correct it.")})
    report.status = Status.RETURNED
    report.reviewed_at, report.reviewed_by, report.review_comment = timezone.now(), actor, comment.strip()
    report.save()
    _event(report, actor, "return", comment.strip())
    work_changed(report.program_id)  # reopens the submission duty until the report is resubmitted
    return report


@transaction.atomic
def report_accept(*, actor: Person, report: QuarterlyReport, comment: str = "") -> QuarterlyReport:
    access.require_reviewer(actor, report.program.state_id)
    if report.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status = Status.ACCEPTED
    report.reviewed_at, report.reviewed_by, report.review_comment = timezone.now(), actor, comment.strip()
    report.save()
    _event(report, actor, "accept", comment.strip())
    work_changed(report.program_id)
    return report


@transaction.atomic
def report_correct(*, actor: Person, report: QuarterlyReport, reason: str, figures: dict[str, Any]) -> QuarterlyReport:
    """An accepted report is locked: a correction is a new draft version with a reason, reviewed again."""
    access.require_writer(actor, report.program)
    if report.status != Status.ACCEPTED or not report.is_current:
        raise ValidationError(
            _("Only the current accepted report is corrected; edit a draft or returned report instead.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the accepted figures are being corrected.")})
    clean = validate_figures(figures)
    report.is_current = False
    report.save(update_fields=["is_current", "updated_at"])
    correction = QuarterlyReport.objects.create(
        program=report.program,
        year=report.year,
        quarter=report.quarter,
        definition_code=report.definition_code,
        definition_version=report.definition_version,
        source=Source.SUBMITTED,
        version=report.version + 1,
        correction_reason=reason.strip(),
        due_on=report.due_on,
        submitted_at=report.submitted_at,
        submitted_by=report.submitted_by,
        **clean,
    )
    _event(correction, actor, "correct", reason.strip())
    work_changed(report.program_id)
    return correction


# --- Goals and benchmarks -------------------------------------------------------------------------


@transaction.atomic
def goal_set(
    *, actor: Person, program: Program, year: int, quarter: int, metric: str, target: Decimal, note: str = ""
) -> Goal:
    access.require_writer(actor, program)
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give the year as four digits, e.g. 2026.")
    if quarter not in (0, 1, 2, 3, 4):
        errors["quarter"] = _("Choose the whole year or a quarter 1-4.")
    if metric not in GoalMetric.values:
        errors["metric"] = _("Choose a metric from the list.")
    if target < 0 or (metric == GoalMetric.EMPLOYMENT_RATE and target > 100):
        errors["target"] = _("Give a target of zero or more (a rate is at most 100).")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    goal, created = Goal.objects.update_or_create(
        program=program,
        year=year,
        quarter=quarter,
        metric=metric,
        defaults={"target": target, "note": note, "updated_at": now},
        create_defaults={"target": target, "note": note, "created_at": now, "updated_at": now},
    )
    audit_record(
        actor=actor,
        action="outcome_goal.set",
        obj=goal,
        state_id=program.state_id,
        detail={"target": str(target), "created": created},
    )
    work_changed(program.pk)  # setting goals is a duty of the roles matrix, once and then yearly
    return goal


@transaction.atomic
def goal_delete(*, actor: Person, goal: Goal) -> None:
    access.require_writer(actor, goal.program)
    audit_record(
        actor=actor,
        action="outcome_goal.delete",
        obj=goal,
        state_id=goal.program.state_id,
        detail={"program": goal.program_id},
    )
    goal.delete()
    work_changed(goal.program_id)  # a duty the goal fulfilled may reopen


@transaction.atomic
def benchmarks_set(
    *, actor: Person, state: State, definition_code: str, minimal: Decimal, average: Decimal, excellent: Decimal
) -> None:
    access.require_reviewer(actor, state.pk)
    if definition_code not in catalog().codes:
        raise ValidationError({"definition_code": _("Choose a definition from the list.")})
    new = {"minimal": minimal, "average": average, "excellent": excellent}
    for level, value in new.items():
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({level: _("Give a percentage between 0 and 100.")})
    if not minimal < average < excellent:
        raise ValidationError({"average": _("The benchmarks must rise: minimal below average below excellent.")})
    before = benchmarks_for(state, definition_code)
    for level in LEVELS:
        Benchmark.objects.update_or_create(
            state=state, definition_code=definition_code, level=level, defaults={"rate": new[level]}
        )
    audit_record(
        actor=actor,
        action="outcome_benchmarks.set",
        summary=f"{state}: {definition_code} benchmarks",
        state_id=state.pk,
        detail={"before": {k: str(v) for k, v in before.items()}, "after": {k: str(v) for k, v in new.items()}},
    )


# --- Uploads --------------------------------------------------------------------------------------


@transaction.atomic
def upload_check(*, actor: Person, program: Program, filename: str, content: bytes) -> Upload:
    """The dry run: read the file and check every row (the import pipeline with the figures' row adapter),
    store the result; nothing is entered yet."""
    access.require_writer(actor, program)
    try:
        table = uploads.read(filename, content)
    except uploads.UploadError as exc:
        raise ValidationError({"file": str(exc)}) from None
    rows = uploads.check(program, table)
    upload = Upload.objects.create(
        program=program,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=rows,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="outcome_upload.check",
        obj=upload,
        state_id=program.state_id,
        detail={"rows": len(rows), "bad_rows": len(upload.bad_rows)},
    )
    return upload


@transaction.atomic
def upload_commit(*, actor: Person, upload: Upload, only_good_rows: bool) -> int:
    """Enter the upload's rows as drafts (replacing any draft for the same quarter and definition)."""
    access.require_writer(actor, upload.program)
    if upload.committed_at is not None:
        raise ValidationError(_("This upload was already entered. Upload the file again to check it afresh."))
    if not upload.rows:
        raise ValidationError(_("The file has no rows of figures to enter."))
    if upload.bad_rows and not only_good_rows:
        raise ValidationError(
            _("%(count)s row(s) have problems. Fix the file and upload it again, or enter only the good rows.")
            % {"count": len(upload.bad_rows)}
        )
    # The values checked in the dry run go through the same pipeline: each row in a savepoint, every
    # problem collected; one that turned bad since (a quarter submitted meanwhile) enters nothing.
    adapter = uploads.FigureRows(program=upload.program, save=functools.partial(report_save, actor=actor))
    result = imports.ImportResult(kind=adapter.kind, rows=len(upload.good_rows))
    for row in upload.good_rows:
        checked = {**row["values"], "definition": row["values"]["definition_code"]}
        imports.run_rows(adapter, [checked], first=row["line"] - 2, result=result, write=True)
    if result.errors:
        raise ValidationError(
            [
                _("Line %(line)s, %(column)s: %(message)s") % {"line": e.row, "column": e.column, "message": e.message}
                for e in result.errors
            ]
        )
    upload.committed_at = timezone.now()
    upload.committed_rows = len(upload.good_rows)
    upload.save(update_fields=["committed_at", "committed_rows"])
    audit_record(
        actor=actor,
        action="outcome_upload.commit",
        obj=upload,
        state_id=upload.program.state_id,
        detail={"rows": upload.committed_rows, "only_good_rows": only_good_rows},
    )
    return upload.committed_rows


@transaction.atomic
def report_compute(
    *, actor: Person, program: Program, year: int, quarter: int, definition_code: str
) -> QuarterlyReport:
    """Compute a quarter's figures from the client records (when a loader is registered) into a draft."""
    loader = sources.history_loader()
    if loader is None:
        raise ValidationError(_("Computing from client records is not switched on here; enter or upload the figures."))
    validate_period(year, quarter, definition_code)
    q = Quarter(year, quarter)
    histories = loader([program.pk], q.first_day, q.last_day).get(program.pk, ())
    result = compute_quarter(histories, q, catalog().latest(definition_code))
    report = report_save(
        actor=actor,
        program=program,
        year=year,
        quarter=quarter,
        definition_code=definition_code,
        figures={name: getattr(result, name) for name in NAMES},
        source=Source.COMPUTED,
    )
    report.computed_at = timezone.now()
    report.save(update_fields=["computed_at"])
    return report
