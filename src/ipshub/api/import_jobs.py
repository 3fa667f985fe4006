"""Imports on the import page, a chunk of rows per request, so a large file shows its progress.

There is no task queue: the upload is stored as an ImportJob (its rows, kind and mode), and each request
the page sends (htmx polls; without JavaScript a "Continue" button) runs the next `chunk_rows()` rows
through the one import pipeline (`lib/imports.step`: the phases of a dry run, an "all" and a "good"
import) and the clients area's row adapter (`clients/imports.py`).

The job model stays here, in the API app: it is the import page's record of an upload (the outcome upload
keeps its own, `outcomes.models.Upload`), and moving it would take a migration in two apps for no change in
behaviour. Importing the same file again changes nothing (rows are matched on their natural keys).
Only the person who uploaded a job sees it (404 for everyone else).
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ipshub.api import area_serializers as s
from ipshub.api.models import ImportJob
from ipshub.audit.services import audit_record
from ipshub.clients import imports as client_imports
from ipshub.lib import imports
from ipshub.tenancy.access import visible_program_ids
from ipshub.tenancy.models import Person, Program

DEFAULT_CHUNK_ROWS = 200
# A finished check keeps its rows this long, to be imported from its page; then they are dropped.
KEEP_CHECKED_ROWS = datetime.timedelta(days=2)


def chunk_rows() -> int:
    """Rows per request (setting IPSHUB_IMPORT_CHUNK_ROWS)."""
    return max(1, int(getattr(settings, "IPSHUB_IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS)))


# The API's write serializers validate an imported row's fields as they validate the API's own writes.
SCHEMAS = {
    "referral": s.ReferralSerializer,
    "employer_contact": s.EmployerContactWriteSerializer,
    "job_start": s.JobStartSerializer,
    "job_end": s.JobEndSerializer,
}


class _Request:
    """What the write serializers need of a request: the person."""

    def __init__(self, person: Person) -> None:
        self.user = person


def row_cleaner(person: Person) -> client_imports.Cleaner:
    def clean(schema: str, data: dict[str, Any]) -> dict[str, Any]:
        form = SCHEMAS[schema](data=data, context={"request": _Request(person)})
        if not form.is_valid():
            raise imports.RowInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
        return dict(form.validated_data)

    return clean


def row_adapter(person: Person, program: Program, kind: str) -> client_imports.ClientRecordRows:
    return client_imports.ClientRecordRows(actor=person, program=program, kind=kind, clean=row_cleaner(person))


# --- Access ---------------------------------------------------------------------------------------


def jobs_visible_to(person: Person) -> QuerySet[ImportJob]:
    """A person's own import jobs, of programs they still see."""
    if not person.is_authenticated or not person.is_active:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(person=person, program_id__in=visible_program_ids(person))


def get_job_for(person: Person, job_id: int) -> ImportJob:
    try:
        return jobs_visible_to(person).select_related("program").get(pk=job_id)
    except ImportJob.DoesNotExist:
        raise Http404("No such import.") from None


# --- Services -------------------------------------------------------------------------------------


@transaction.atomic
def job_create(
    *, actor: Person, program: Program, kind: str, mode: str, filename: str, rows: list[dict[str, str]]
) -> ImportJob:
    """Store an upload to be checked or imported chunk by chunk. Raises FileProblem for a file without the
    required columns, PermissionDenied for someone who may not import into the program."""
    client_imports.require_importer(actor, program, kind)
    if rows:
        imports.require_columns(row_adapter(actor, program, kind), list(rows[0]))
    if mode not in ImportJob.Mode.values:
        raise imports.FileProblem("Choose what to do with the file: check it, or import it.")
    # Client data is not kept longer than needed: drop the rows of the person's old finished checks.
    old = ImportJob.objects.filter(
        person=actor, phase=ImportJob.Phase.DONE, updated_at__lt=timezone.now() - KEEP_CHECKED_ROWS
    )
    old.exclude(rows=[]).update(rows=[])
    job = ImportJob.objects.create(
        person=actor,
        program=program,
        kind=kind,
        mode=mode,
        filename=filename[:200],
        rows=rows,
        rows_total=len(rows),
        phase=ImportJob.Phase.IMPORT if mode == ImportJob.Mode.GOOD else ImportJob.Phase.CHECK,
    )
    if not rows:
        _finish(job)
        job.save()
    audit_record(
        actor=actor,
        action="import.start",
        obj=job,
        summary=f"Uploaded {job.filename}: {len(rows)} rows of {kind} for {program} ({job.get_mode_display()}).",
        state_id=program.state_id,
    )
    return job


@transaction.atomic
def job_commit(*, actor: Person, job: ImportJob, mode: str) -> ImportJob:
    """Import the rows of a finished dry run (mode "all" or "good") without uploading the file again."""
    if job.mode != ImportJob.Mode.DRY_RUN or not job.is_done or not job.rows:
        raise PermissionDenied("Only a finished check can be imported; upload the file again.")
    if mode not in (ImportJob.Mode.ALL, ImportJob.Mode.GOOD):
        raise PermissionDenied("Choose to import every row or only the good ones.")
    rows = job.rows
    job.rows = []  # the file's rows are kept once, in the new job
    job.save(update_fields=["rows", "updated_at"])
    return job_create(actor=actor, program=job.program, kind=job.kind, mode=mode, filename=job.filename, rows=rows)


def _finish(job: ImportJob) -> None:
    job.phase = ImportJob.Phase.DONE
    if job.committed:
        job.rows = []  # imported: the records are in IPS Hub, the upload need not be kept


def job_step(*, actor: Person, job_id: int) -> ImportJob:
    """Run the next chunk of the job's rows. Safe to call twice at once (the job row is locked) and after
    the job is done (nothing happens)."""
    with transaction.atomic():
        job = get_job_for(actor, job_id)
        job = ImportJob.objects.select_for_update().select_related("program").get(pk=job.pk)
        if job.is_done:
            return job
        try:
            client_imports.require_importer(actor, job.program, job.kind)
        except PermissionDenied as exc:
            # The person's role changed since the upload: stop here and say why.
            imports.stop(job, str(exc))
            _finish(job)
            job.save()
            return job
        if imports.step(job, row_adapter(actor, job.program, job.kind), size=chunk_rows()):
            _finish(job)
            audit_record(
                actor=actor,
                action="import.finish",
                obj=job,
                summary=f"{job.filename}: {job.created} new, {job.updated} updated, {job.unchanged} unchanged, "
                f"{job.bad_rows} bad rows{'' if job.committed else '; nothing saved'}.",
                state_id=job.program.state_id,
            )
        job.save()
        return job
