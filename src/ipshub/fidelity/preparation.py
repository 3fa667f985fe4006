"""Review preparation (issue #26): the documents-requested checklist the program answers with files and a
note, the preparation timeline, and the chart-review worksheet drawn from the records.

Decisions where the issue is silent (also in docs/fidelity.md):
- The checklist is the review's "documents requested" text, one request a line; saving the plan adds new
  lines and drops unanswered requests no longer listed (answered ones are kept: the program's files stay).
- The answers (notes and files) are read by the program's director and IPS supervisor and by the review team
  inside its access window only; the state team sees which requests are answered, not the answers.
- The timeline's six steps are due a fixed number of days before the first visit day (before the due date
  while the visit isn't planned); moving the review or its visit moves the steps not yet done.
- The chart sample: ten clients (or as many as the reviewers choose, 1 to 50) drawn at random, reproducibly
  (seeded by the review), from the clients open at some time in the twelve months up to the day the
  reviewers' window opens (the visit day or due date before a window is planned), so the sample doesn't
  change while the reviewers use it; a larger sample keeps the clients of a smaller one.
- Timeline steps complete themselves from the recorded work where a rule exists (see "Steps the recorded
  work completes" below); overdue steps are due items of the people who do them (reminders.py).
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshub.areakit import hooks
from ipshub.areakit.records import ChartClient
from ipshub.audit.services import audit_record
from ipshub.fidelity import access
from ipshub.fidelity.models import DocumentRequest, DocumentUpload, PrepTask, Review, SelfAssessment
from ipshub.lib.uploads import check_upload
from ipshub.tenancy.models import Person

# (key, title, party, days before the visit)
TIMELINE = (
    ("kickoff", "Kick-off call: program, reviewers and state team agree the dates", PrepTask.Party.BOTH, 70),
    ("documents", "Documents requested uploaded to the checklist", PrepTask.Party.PROGRAM, 42),
    ("self_assessment", "Self-assessment done by the IPS supervisor and team", PrepTask.Party.PROGRAM, 28),
    ("chart_sample", "Chart sample chosen and the charts pulled for the visit", PrepTask.Party.REVIEWERS, 21),
    ("agenda", "Visit agenda agreed and interviews invited", PrepTask.Party.BOTH, 14),
    ("visit", "Review visit", PrepTask.Party.REVIEWERS, 0),
)
CHART_SAMPLE_SIZE = 10  # the default; the reviewers choose another size per review (Review.chart_sample_size)
CHART_SAMPLE_MAX = 50
CHART_LOOKBACK_DAYS = 365


def _audit(actor: Person | None, action: str, review: Review, obj: object = None, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=f"fidelity.{action}",
        obj=obj if obj is not None else review,  # type: ignore[arg-type]  # a model of this app
        state_id=review.program.state_id,
        summary=f"{review.program}: {action.replace('_', ' ')}",
        detail=detail,
    )


# --- Timeline -----------------------------------------------------------------------------------------


def timeline_anchor(review: Review) -> datetime.date:
    """The day the timeline counts back from: the first visit day, or the due date before it is planned."""
    return review.visit_day_1 or review.due_on


def timeline_create(review: Review) -> list[PrepTask]:
    """The preparation steps of a newly scheduled review (inside the scheduling service's transaction,
    audited with it)."""
    anchor = timeline_anchor(review)
    return PrepTask.objects.bulk_create(
        PrepTask(
            review=review,
            key=key,
            title=title,
            party=party,
            days_before=days,
            due_on=anchor - datetime.timedelta(days=days),
        )
        for key, title, party, days in TIMELINE
    )


def timeline_move(review: Review) -> int:
    """Move the steps not yet done to the review's (new) anchor; return how many moved (inside the caller's
    transaction and audit)."""
    anchor = timeline_anchor(review)
    moved = 0
    for task in review.prep_tasks.filter(done_at__isnull=True):
        due = anchor - datetime.timedelta(days=task.days_before)
        if task.due_on != due:
            task.due_on = due
            task.save(update_fields=["due_on"])
            moved += 1
    return moved


PREP_NOTE_MAX = 1000


@transaction.atomic
def prep_task_mark(*, actor: Person, task: PrepTask, done: bool, note: str = "") -> PrepTask:
    """Mark a preparation step done by hand, with an optional note (a step no rule completes, or one done in
    a way the records don't show), or not done after all."""
    review = task.review
    access.require_prep_task_marker(actor, review)
    note = note.strip()
    if len(note) > PREP_NOTE_MAX:
        raise ValidationError({"note": _("Keep the note to %(max)s characters.") % {"max": PREP_NOTE_MAX}})
    if done and task.done_at is None:
        task.done_at, task.done_by, task.done_by_work = timezone.now(), actor, ""
    if done:
        task.done_note = note or task.done_note
    else:
        task.done_at, task.done_by, task.done_by_work, task.done_note = None, None, "", ""
    task.save(update_fields=["done_at", "done_by", "done_by_work", "done_note"])
    _audit(actor, "prep_task_done" if done else "prep_task_reopen", review, task, task=task.key, note=note)
    return task


# --- Steps the recorded work completes (#26, branch fidfin) ---------------------------------------------
# A step with a rule completes itself when its work is recorded, dated when the work was done and by whom,
# saying which work it was; it reopens when that work is undone (the last answer taken back, a new request
# added). A step marked done by hand is left alone by the rules. "kickoff" has no record to follow.


@dataclass(frozen=True)
class WorkDone:
    at: datetime.datetime
    by: Person | None
    what: str


def _follow(review: Review, key: str, work: WorkDone | None) -> None:
    """Complete the review's step `key` by `work`, or reopen it if the work that completed it is gone."""
    task = review.prep_tasks.filter(key=key).first()
    if task is None:
        return
    if work is not None and task.done_at is None:
        task.done_at, task.done_by, task.done_by_work, task.done_note = work.at, work.by, work.what[:300], ""
        task.save(update_fields=["done_at", "done_by", "done_by_work", "done_note"])
        _audit(work.by, "prep_task_done_by_work", review, task, task=key, work=work.what)
    elif work is None and task.done_at is not None and task.done_by_work:
        _audit(None, "prep_task_reopen_by_work", review, task, task=key, work=task.done_by_work)
        task.done_at, task.done_by, task.done_by_work = None, None, ""
        task.save(update_fields=["done_at", "done_by", "done_by_work"])


def follow_documents(review: Review) -> None:
    """The documents step: done when every request of the checklist is answered (there is at least one)."""
    requests = list(review.document_requests.select_related("answered_by"))
    work = None
    if requests and all(r.answered_at is not None for r in requests):
        last = max(requests, key=lambda r: r.answered_at or timezone.now())
        count = len(requests)
        what = f"All {count} documents requested are answered" if count > 1 else "The document requested is answered"
        assert last.answered_at is not None
        work = WorkDone(last.answered_at, last.answered_by, what)
    _follow(review, "documents", work)


def follow_self_assessment(assessment: SelfAssessment) -> None:
    """The self-assessment step of the program's open reviews scheduled before this self-assessment was made."""
    reviews = Review.objects.filter(
        program_id=assessment.program_id,
        status__in=Review.OPEN_STATUSES,
        created_at__lte=assessment.created_at,
        prep_tasks__key="self_assessment",
        prep_tasks__done_at__isnull=True,
    ).select_related("program")
    when = f"{assessment.assessed_on:%b} {assessment.assessed_on.day}, {assessment.assessed_on.year}"
    for review in reviews:
        _follow(
            review,
            "self_assessment",
            WorkDone(assessment.created_at, assessment.created_by, f"Self-assessment of {when} recorded"),
        )


def follow_worksheet(review: Review, actor: Person, clients: int) -> None:
    """The chart-sample step: done the first time the chart-review worksheet is generated."""
    _follow(
        review, "chart_sample", WorkDone(timezone.now(), actor, f"Chart-review worksheet generated ({clients} clients)")
    )


def follow_agenda(review: Review, actor: Person) -> None:
    """The agenda step: done once the visit has an agenda and at least one person is invited to it."""
    slots, invitees = review.agenda.count(), review.invitees.count()
    work = None
    if slots and invitees:
        work = WorkDone(timezone.now(), actor, f"Agenda of {slots} slots; {invitees} invited to be interviewed")
    _follow(review, "agenda", work)


def follow_visit(review: Review, actor: Person) -> None:
    """The visit step: done when both reviewers have submitted their scores (the review reaches consensus)."""
    if review.status in (Review.Status.CONSENSUS, Review.Status.REPORTING, Review.Status.DELIVERED):
        _follow(review, "visit", WorkDone(timezone.now(), actor, "Both reviewers submitted their scores"))


@dataclass(frozen=True)
class Timeline:
    tasks: list[PrepTask]
    today: datetime.date

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.is_done)

    @property
    def overdue(self) -> int:
        return sum(1 for t in self.tasks if not t.is_done and t.due_on < self.today)


def timeline_of(review: Review) -> Timeline:
    return Timeline(list(review.prep_tasks.select_related("done_by")), timezone.localdate())


# --- Documents-requested checklist ---------------------------------------------------------------------


def requested_lines(text: str) -> list[str]:
    """The requests of a "documents requested" text: one a line, blank and repeated lines left out."""
    lines: list[str] = []
    for line in text.splitlines():
        title = line.strip().lstrip("-•*").strip()[:300]
        if title and title not in lines:
            lines.append(title)
    return lines


def checklist_sync(review: Review) -> None:
    """Make the checklist follow the documents-requested text (inside the plan service's transaction)."""
    lines = requested_lines(review.documents_requested)
    existing = {r.title: r for r in review.document_requests.prefetch_related("uploads")}
    for position, title in enumerate(lines, start=1):
        request = existing.pop(title, None)
        if request is None:
            DocumentRequest.objects.create(review=review, position=position, title=title)
        elif request.position != position:
            request.position = position
            request.save(update_fields=["position"])
    for position, request in enumerate(existing.values(), start=len(lines) + 1):
        if request.is_answered or request.uploads.all():
            request.position = position  # kept after the listed ones: the program's answer stays
            request.save(update_fields=["position"])
        else:
            request.delete()
    follow_documents(review)  # a new request reopens the documents step; a dropped one may complete it


@transaction.atomic
def document_request_answer(
    *,
    actor: Person,
    request: DocumentRequest,
    note: str = "",
    files: Sequence["UploadedFile[bytes]"] = (),
) -> DocumentRequest:
    """Answer a request with files (checked by type and content) and/or a note; it is then marked answered."""
    review = request.review
    access.require_checklist_answerer(actor, review)
    errors: list[str] = []
    checked = []
    for file in files:
        try:
            checked.append((file, check_upload(file, field="file")))
        except ValidationError as exc:
            errors += exc.message_dict.get("file", [])
    if not note.strip() and not files and not request.uploads.exists():
        errors.append(_("Upload the document, or write a note saying where it is or why there is none."))
    if errors:
        raise ValidationError({"file": errors})
    for file, found in checked:
        upload = DocumentUpload(
            request=request,
            original_name=found.original_name,
            content_type=found.content_type,
            size=found.size,
            uploaded_by=actor,
        )
        upload.file.save(found.stored_name, file, save=False)
        upload.save()
    if note.strip():
        request.note = note.strip()
    request.answered_at, request.answered_by = timezone.now(), actor
    request.save(update_fields=["note", "answered_at", "answered_by"])
    _audit(
        actor,
        "document_answer",
        review,
        request,
        request=request.title,
        files=[found.original_name for _, found in checked],
    )
    follow_documents(review)
    return request


@transaction.atomic
def document_upload_remove(*, actor: Person, upload: DocumentUpload) -> DocumentRequest:
    """Take back a file uploaded in error (the program's director or IPS supervisor, while the review is open).
    A request left with neither a file nor a note is no longer answered."""
    request = upload.request
    review = request.review
    access.require_checklist_answerer(actor, review)
    _audit(actor, "document_remove", review, upload, request=request.title, file=upload.original_name)
    upload.file.delete(save=False)  # program records, not a client's: nothing to keep once taken back
    upload.delete()
    if not request.note and not request.uploads.exists():
        request.answered_at, request.answered_by = None, None
        request.save(update_fields=["answered_at", "answered_by"])
        follow_documents(review)
    return request


def document_downloaded(*, actor: Person, upload: DocumentUpload) -> None:
    """Every download of a checklist file is an audit event (who, which file of which review)."""
    review = upload.request.review
    _audit(
        actor,
        "document_download",
        review,
        upload,
        request=upload.request.title,
        file=upload.original_name,
        reviewer=access.team_member(actor, review) is not None,
    )


def checklist_of(review: Review) -> list[DocumentRequest]:
    return list(review.document_requests.select_related("answered_by").prefetch_related("uploads"))


def page_context(person: Person, review: Review) -> dict[str, Any]:
    """The timeline and the checklist as a review page shows them (four queries, whatever their size)."""
    return {
        "timeline": timeline_of(review),
        "checklist": checklist_of(review),
        "can_mark_steps": access.can_mark_prep_tasks(person, review),
        "can_read_answers": access.can_read_prep_answers(person, review),
        "can_answer": access.can_answer_checklist(person, review),
        "can_see_worksheet": access.can_see_chart_worksheet(person, review),
    }


# --- Chart-review worksheet ------------------------------------------------------------------------------


def sample_reference_day(review: Review) -> datetime.date:
    return review.window_opens or review.visit_day_1 or review.due_on


def chart_sample(review: Review) -> list[int]:
    """The sampled enrollments: reproducible for the review (the same ids on every view and download)."""
    last = sample_reference_day(review)
    candidates = hooks.chart_candidates(review.program, last - datetime.timedelta(days=CHART_LOOKBACK_DAYS), last)
    picker = random.Random(f"ipshub-chart-sample-{review.pk}")  # a sample, not a secret
    # One shuffle of the whole caseload, the first N taken: a larger sample keeps the clients of a smaller one,
    # so charts already pulled stay in it. A caseload smaller than N is sampled whole.
    order = sorted(candidates)
    picker.shuffle(order)
    return sorted(order[: review.chart_sample_size])


def chart_sample_size_problem(size: int | None) -> str:
    if size is None or not 1 <= size <= CHART_SAMPLE_MAX:
        return _("Choose a sample of 1 to %(max)s clients (the whole caseload is read when it has fewer).") % {
            "max": CHART_SAMPLE_MAX
        }
    return ""


@transaction.atomic
def chart_sample_size_set(*, actor: Person, review: Review, size: int) -> Review:
    """The reviewers choose how many clients the chart-review worksheet samples (default 10)."""
    access.require_chart_sample_chooser(actor, review)
    if problem := chart_sample_size_problem(size):
        raise ValidationError({"sample_size": problem})
    before = review.chart_sample_size
    review.chart_sample_size = size
    review.save(update_fields=["chart_sample_size"])
    _audit(actor, "chart_sample_size", review, before=before, after=size)
    return review


@transaction.atomic
def chart_worksheet(*, actor: Person, review: Review, how: str) -> list[ChartClient]:
    """The worksheet's rows for someone the access layer let in; the disclosure is recorded (view, csv, pdf)."""
    rows = hooks.chart_rows(review.program, chart_sample(review))
    follow_worksheet(review, actor, len(rows))
    audit_record(
        actor=actor,
        action="fidelity.chart_worksheet",
        obj=review,
        state_id=review.program.state_id,
        summary=f"{review.program}: chart-review worksheet ({how})",
        detail={
            "how": how,
            "clients": [row.client_id for row in rows],
            "enrollments": [row.enrollment_id for row in rows],
        },
    )
    return rows


WORKSHEET_HEADER = (
    gettext_lazy("Client"),
    gettext_lazy("Record number"),
    gettext_lazy("Specialist"),
    gettext_lazy("Referral"),
    gettext_lazy("First employer contact"),
    gettext_lazy("Jobs (start – end, employer)"),
    gettext_lazy("Follow-along supports"),
    gettext_lazy("First support"),
    gettext_lazy("Last support"),
    gettext_lazy("Closed"),
)


def worksheet_table(rows: list[ChartClient]) -> list[list[object]]:
    """The rows as the CSV download's cells (dates as ISO dates, jobs in one cell)."""
    return [
        [
            row.name,
            row.record_number,
            row.specialist,
            row.referral_date,
            row.first_employer_contact or "",
            "; ".join(
                f"{job.started_on} – {job.ended_on or 'working'}, {job.employer} ({job.title})" for job in row.jobs
            ),
            row.support_contacts,
            row.first_support or "",
            row.last_support or "",
            row.closed_on or "",
        ]
        for row in rows
    ]
