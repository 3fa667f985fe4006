"""Bulk exchange for one program: CSV/XLSX import of referrals (clients), employer contacts and jobs,
and exports in the same columns.

An import first checks every row (a dry run that writes nothing and lists every bad row and column with
the reason), then commits either all rows (only when none is bad) or only the good ones. Each row goes
through the area's own service, so rules, messages and audit events are the web's. Rows are matched on a
natural key, so importing the same file twice (or an export of the program) changes nothing:

- clients: the agency's record number and the referral date;
- employer contacts: employer name, date, purpose and the client's record number (if any);
- jobs: the client's record number, employer name, title and start date (an end date on a job already
  recorded ends it).
"""

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from rest_framework import serializers

from ipshub.api import area_serializers as s
from ipshub.clients import access as client_access
from ipshub.clients import services as client_services
from ipshub.clients.models import Employer, EmployerContact, Enrollment, Job
from ipshub.lib import tables
from ipshub.tenancy.models import Person, Program

MAX_ROWS = 5000
MAX_BYTES = tables.MAX_BYTES

COLUMNS: dict[str, tuple[str, ...]] = {
    "clients": (
        "record_number",
        "first_name",
        "last_name",
        "preferred_name",
        "birth_date",
        "referral_date",
        "referral_source",
        "phone",
        "email",
        "referral_note",
    ),
    "employer-contacts": ("employer", "contacted_on", "purpose", "face_to_face", "client_record_number", "outcome"),
    "jobs": (
        "client_record_number",
        "employer",
        "title",
        "job_type",
        "hours_per_week",
        "hourly_wage",
        "started_on",
        "is_competitive",
        "disclosure",
        "ended_on",
        "end_reason",
        "end_note",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "clients": ("record_number", "first_name", "last_name", "birth_date", "referral_date", "referral_source"),
    "employer-contacts": ("employer", "contacted_on", "purpose"),
    "jobs": ("client_record_number", "employer", "title", "job_type", "hours_per_week", "hourly_wage", "started_on"),
}
KINDS = tuple(COLUMNS)


class FileProblem(Exception):
    """The file as a whole can't be read (wrong format, missing columns, too big)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


# --- Reading and writing files --------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return tables.restored(value).strip()
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts keyed by the (lower-cased) header."""
    try:
        tables.check_size(content)
    except tables.TableProblem as exc:
        raise FileProblem(str(exc)) from None
    if filename.lower().endswith(".xlsx"):
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors for a file that isn't a workbook
            raise FileProblem("This is not a readable .xlsx workbook: save it again from your spreadsheet.") from None
        sheet = book.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif filename.lower().endswith(".csv"):
        try:
            table = [[c.strip() for c in row] for row in tables.csv_rows(content)]
        except tables.TableProblem as exc:
            raise FileProblem(str(exc)) from None
    else:
        raise FileProblem("Send a .csv or .xlsx file.")
    table = [row for row in table if any(row)]
    if not table:
        raise FileProblem("The file is empty: the first row must name the columns.")
    header = [h.strip().lower() for h in table[0]]
    if len(table) - 1 > MAX_ROWS:
        raise FileProblem(f"The file has more than {MAX_ROWS} rows: split it into smaller files.")
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in table[1:]]


# --- Exports --------------------------------------------------------------------------------------


def export_response(kind: str, rows: list[dict[str, tables.Value]], program: Program, file_format: str) -> HttpResponse:
    """The rows as a CSV or XLSX download, written by lib.tables: dates and numbers typed, and text that a
    spreadsheet would run as a formula given a leading quote (which an import of the file then keeps)."""
    table = tables.Table(kind, COLUMNS[kind], [[row[c] for c in COLUMNS[kind]] for row in rows])
    return tables.table_response(f"{kind}-program-{program.pk}", table, file_format)


def export_rows(person: Person, program: Program, kind: str) -> list[dict[str, tables.Value]]:
    """The program's records the person may read, in the import's columns; dates and numbers typed."""
    visible = client_access.enrollments_visible_to(person).filter(program=program)
    if kind == "clients":
        return [
            {
                "record_number": e.client.record_number,
                "first_name": e.client.first_name,
                "last_name": e.client.last_name,
                "preferred_name": e.client.preferred_name,
                "birth_date": e.client.birth_date,
                "referral_date": e.referral_date,
                "referral_source": e.referral_source,
                "phone": e.client.phone,
                "email": e.client.email,
                "referral_note": e.referral_note,
            }
            for e in visible.select_related("client").order_by("referral_date", "pk")
        ]
    if kind == "employer-contacts":
        contacts = client_access.employer_contacts_visible_to(person).filter(program=program)
        readable = set(visible.values_list("id", flat=True))
        return [
            {
                "employer": c.employer.name,
                "contacted_on": c.contacted_on,
                "purpose": c.purpose,
                "face_to_face": "true" if c.face_to_face else "false",
                "client_record_number": (
                    c.enrollment.client.record_number if c.enrollment and c.enrollment_id in readable else ""
                ),
                "outcome": c.outcome,
            }
            for c in contacts.select_related("employer", "enrollment__client").order_by("contacted_on", "pk")
        ]
    jobs = Job.objects.filter(enrollment__in=visible).select_related("employer", "enrollment__client")
    return [
        {
            "client_record_number": j.enrollment.client.record_number,
            "employer": j.employer.name,
            "title": j.title,
            "job_type": j.job_type,
            "hours_per_week": j.hours_per_week,
            "hourly_wage": j.hourly_wage,
            "started_on": j.started_on,
            "is_competitive": "true" if j.is_competitive else "false",
            "disclosure": j.disclosure,
            "ended_on": j.ended_on,
            "end_reason": j.end_reason,
            "end_note": j.end_note,
        }
        for j in jobs.order_by("started_on", "pk")
    ]


# --- Imports --------------------------------------------------------------------------------------


class _RowInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


class _Request:
    """What the write serializers need of a request: the person."""

    def __init__(self, person: Person) -> None:
        self.user = person


def _clean(serializer_class: Any, person: Person, data: dict[str, Any]) -> dict[str, Any]:
    form = serializer_class(data=data, context={"request": _Request(person)})
    if not form.is_valid():
        raise _RowInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
    return dict(form.validated_data)


def _blank_to_none(row: dict[str, str], *names: str) -> dict[str, Any]:
    return {n: (row.get(n) or None) for n in names}


def _enrollment(person: Person, program: Program, record_number: str, column: str) -> Enrollment:
    found = list(
        client_access.enrollments_visible_to(person)
        .filter(program=program, client__record_number__iexact=record_number)
        .select_related("client", "program")[:2]
    )
    if not found:
        raise _RowInvalid({column: [f"No client with record number '{record_number}' on a caseload you can see."]})
    if len(found) > 1:
        raise _RowInvalid({column: [f"More than one client has record number '{record_number}': fix it on the web."]})
    return found[0]


def _employer(program: Program, name: str) -> Employer | None:
    return Employer.objects.filter(program=program, name__iexact=name.strip()).first()


def _import_client(person: Person, program: Program, row: dict[str, str]) -> str:
    if _is_date(row["referral_date"]):
        exists = Enrollment.objects.filter(
            program=program, client__record_number__iexact=row["record_number"], referral_date=row["referral_date"]
        )
        if exists.exists():
            return "unchanged"
    data = _clean(
        s.ReferralSerializer,
        person,
        {**{k: row.get(k, "") for k in COLUMNS["clients"]}, "program": program.pk, "not_duplicate": True},
    )
    client_services.referral_create(actor=person, **data)
    return "created"


def _import_contact(person: Person, program: Program, row: dict[str, str]) -> str:
    enrollment = None
    if row.get("client_record_number"):
        enrollment = _enrollment(person, program, row["client_record_number"], "client_record_number")
    payload: dict[str, Any] = {
        "program": program.pk,
        "contacted_on": row["contacted_on"],
        "purpose": row["purpose"],
        "face_to_face": row.get("face_to_face") or "true",
        "outcome": row.get("outcome", ""),
    }
    data = _clean(s.EmployerContactWriteSerializer, person, payload)
    employer = _employer(program, row["employer"])
    if (
        employer is not None
        and EmployerContact.objects.filter(
            program=program,
            employer=employer,
            contacted_on=data["contacted_on"],
            purpose=data["purpose"],
            enrollment=enrollment,
        ).exists()
    ):
        return "unchanged"
    data.pop("employer", None)
    client_services.employer_contact_log(
        actor=person,
        employer=employer,
        new_employer_name="" if employer else row["employer"],
        enrollment=enrollment,
        **{k: v for k, v in data.items() if k not in ("new_employer_name", "enrollment")},
    )
    return "created"


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _import_job(person: Person, program: Program, row: dict[str, str]) -> str:
    enrollment = _enrollment(person, program, row["client_record_number"], "client_record_number")
    start_fields = ("title", "job_type", "hours_per_week", "hourly_wage", "started_on", "is_competitive", "disclosure")
    payload = {k: row.get(k, "") for k in start_fields}
    payload["is_competitive"] = payload["is_competitive"] or "true"
    payload["disclosure"] = payload["disclosure"] or "none"
    data = _clean(s.JobStartSerializer, person, payload)
    data.pop("employer", None), data.pop("new_employer_name", None)
    end = None
    if row.get("ended_on") or row.get("end_reason"):
        end = _clean(
            s.JobEndSerializer,
            person,
            _blank_to_none(row, "ended_on", "end_reason") | {"end_note": row.get("end_note", "")},
        )
    employer = _employer(program, row["employer"])
    job = None
    if employer is not None:
        job = Job.objects.filter(
            enrollment=enrollment, employer=employer, title__iexact=data["title"], started_on=data["started_on"]
        ).first()
    outcome = "unchanged"
    if job is None:
        job = client_services.job_start(
            actor=person,
            enrollment=enrollment,
            employer=employer,
            new_employer_name="" if employer else row["employer"],
            **data,
        )
        outcome = "created"
    if end is not None and job.ended_on is None:
        job.enrollment = enrollment
        client_services.job_end(actor=person, job=job, **end)
        outcome = "created" if outcome == "created" else "updated"
    return outcome


IMPORTERS: dict[str, Callable[[Person, Program, dict[str, str]], str]] = {
    "clients": _import_client,
    "employer-contacts": _import_contact,
    "jobs": _import_job,
}


def _column_of(kind: str, key: str) -> str:
    if key in COLUMNS[kind]:
        return key
    return {
        "new_employer_name": "employer",
        "enrollment": "client_record_number",
        "not_duplicate": "record_number",
    }.get(key, key)


def _row_errors(kind: str, number: int, errors: dict[str, list[str]]) -> Iterator[RowError]:
    for key, messages in errors.items():
        column = "(row)" if key in ("__all__", "non_field_errors") else _column_of(kind, key)
        for message in messages:
            yield RowError(number, column, message)


def require_importer(person: Person, program: Program, kind: str) -> None:
    """Imports are for the program's IPS unit (supervisors and specialists); referrals also for its
    mental health team."""
    if kind == "clients" and program.pk in set(client_access.referring_program_ids(person)):
        return
    if client_access.can_develop_jobs(person, program):
        return
    raise PermissionDenied("Only the program's IPS unit (or, for referrals, its mental health team) can import.")


def require_columns(kind: str, rows: list[dict[str, str]]) -> None:
    if rows:
        missing = [c for c in REQUIRED[kind] if c not in rows[0]]
        if missing:
            raise FileProblem(f"The file has no column {', '.join(missing)}: the first row must name the columns.")


def run_rows(
    *, actor: Person, program: Program, kind: str, rows: list[dict[str, str]], first: int, result: ImportResult
) -> None:
    """Run `rows` (the file's rows from index `first`) through the area's services, each in a savepoint,
    adding to `result`'s counts and errors. The caller decides whether the writes are kept."""
    importer = IMPORTERS[kind]
    for index, row in enumerate(rows, start=first):
        number = index + 2  # spreadsheet row number: the header is row 1
        blanks = {c: ["This column is required: fill it in."] for c in REQUIRED[kind] if not row.get(c)}
        if blanks:
            result.errors.extend(_row_errors(kind, number, blanks))
            continue
        try:
            with transaction.atomic():
                outcome = importer(actor, program, row)
        except _RowInvalid as exc:
            result.errors.extend(_row_errors(kind, number, exc.errors))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            result.errors.extend(_row_errors(kind, number, errors))
        except (PermissionDenied, serializers.ValidationError) as exc:
            result.errors.append(RowError(number, "(row)", str(exc)))
        else:
            setattr(result, outcome, getattr(result, outcome) + 1)


def import_file(
    *,
    actor: Person,
    program: Program,
    kind: str,
    rows: list[dict[str, str]],
    mode: str,
) -> ImportResult:
    """Check (mode "dry_run") or import ("all": every row or none; "good": the good rows) the rows, in one
    transaction (the API's synchronous import; the import page goes a chunk per request: import_jobs.py)."""
    require_importer(actor, program, kind)
    result = ImportResult(kind=kind, rows=len(rows))
    require_columns(kind, rows)
    with transaction.atomic():
        run_rows(actor=actor, program=program, kind=kind, rows=rows, first=0, result=result)
        keep = mode == "good" or (mode == "all" and not result.errors)
        if not keep:
            transaction.set_rollback(True)
    result.committed = keep
    return result
