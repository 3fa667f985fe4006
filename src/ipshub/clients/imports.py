"""Bulk exchange for one program: the row adapters that import referrals (clients), employer contacts and
jobs through the one import pipeline (`lib/imports.py`), and exports in the same columns.

A dry run checks every row and writes nothing; a commit imports all rows (only when none is bad) or only the
good ones. Each row goes through the area's own services, so rules, messages and audit events are the web's.
Rows are matched on a natural key, so importing the same file twice (or an export of the program) changes
nothing:

- clients: the agency's record number and the referral date;
- employer contacts: employer name, date, purpose and the client's record number (if any);
- jobs: the client's record number, employer name, title and start date (an end date on a job already
  recorded ends it). A job marked competitive below the minimum wage in force on its start date is a bad
  row, as on the form; so are unusual hours or wages unless its confirm_implausible column says "true"
  (the export says "true" on the jobs whose figures are unusual, so importing it again passes).
"""

import datetime
from collections.abc import Mapping
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from ipshub.clients import access as client_access
from ipshub.clients import services as client_services
from ipshub.clients.checks import implausible
from ipshub.clients.models import Employer, EmployerContact, Enrollment, Job
from ipshub.lib import imports, tables
from ipshub.lib.imports import Outcome, RowInvalid
from ipshub.tenancy.models import Person, Program

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
        "preferred_language",  # a code: en, es, zh, vi, tl, ar, ru, ko, ht, pt, fr, nv, ase, other; or empty
        "interpreter_needed",  # "true" or "false" (empty: false)
    ),
    "employer-contacts": (
        "employer",
        "contacted_on",
        "purpose",
        "face_to_face",
        "client_record_number",
        "outcome",
        "follows_preferences",  # "true", "false" or empty (not recorded)
    ),
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
        # "true" saves unusual hours or wages (over 60 or under 1 hour a week, over $100 an hour) as they are.
        "confirm_implausible",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "clients": ("record_number", "first_name", "last_name", "birth_date", "referral_date", "referral_source"),
    "employer-contacts": ("employer", "contacted_on", "purpose"),
    "jobs": ("client_record_number", "employer", "title", "job_type", "hours_per_week", "hourly_wage", "started_on"),
}
KINDS = tuple(COLUMNS)

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
                "preferred_language": e.client.preferred_language,
                "interpreter_needed": "true" if e.client.interpreter_needed else "false",
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
                "follows_preferences": "" if c.follows_preferences is None else str(c.follows_preferences).lower(),
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
            "confirm_implausible": "true" if implausible(j.hours_per_week, j.hourly_wage) else "",
        }
        for j in jobs.order_by("started_on", "pk")
    ]


# --- Imports --------------------------------------------------------------------------------------


class Cleaner(Protocol):
    """Validates a row's fields as the web and the API do (the API's write serializers, which the API
    hands in: the area does not import the surface), returning the clean values or raising RowInvalid.
    `schema` is "referral", "employer_contact", "job_start" or "job_end"."""

    def __call__(self, schema: str, data: dict[str, Any]) -> dict[str, Any]: ...


def _blank_to_none(row: Mapping[str, str], *names: str) -> dict[str, Any]:
    return {n: (row.get(n) or None) for n in names}


def _enrollment(person: Person, program: Program, record_number: str, column: str) -> Enrollment:
    found = list(
        client_access.enrollments_visible_to(person)
        .filter(program=program, client__record_number__iexact=record_number)
        .select_related("client", "program")[:2]
    )
    if not found:
        raise RowInvalid({column: [f"No client with record number '{record_number}' on a caseload you can see."]})
    if len(found) > 1:
        raise RowInvalid({column: [f"More than one client has record number '{record_number}': fix it on the web."]})
    return found[0]


def _employer(program: Program, name: str) -> Employer | None:
    return Employer.objects.filter(program=program, name__iexact=name.strip()).first()


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class ClientRecordRows:
    """The row adapter for one kind of a program's client records. Its services validate as they write,
    so a row is checked by writing it (rolled back in a dry run)."""

    checks_by_writing = True

    def __init__(self, *, actor: Person, program: Program, kind: str, clean: Cleaner) -> None:
        self.actor, self.program, self.kind, self.clean = actor, program, kind, clean
        self.required = REQUIRED[kind]

    def check(self, row: Mapping[str, str]) -> Mapping[str, str]:
        return row

    def write(self, checked: Mapping[str, str]) -> Outcome:
        if self.kind == "clients":
            return self._client(checked)
        if self.kind == "employer-contacts":
            return self._contact(checked)
        return self._job(checked)

    def column_of(self, key: str) -> str:
        if key in COLUMNS[self.kind]:
            return key
        return {
            "new_employer_name": "employer",
            "enrollment": "client_record_number",
            "not_duplicate": "record_number",
        }.get(key, key)

    def _client(self, row: Mapping[str, str]) -> Outcome:
        program = self.program
        if _is_date(row["referral_date"]):
            exists = Enrollment.objects.filter(
                program=program, client__record_number__iexact=row["record_number"], referral_date=row["referral_date"]
            )
            if exists.exists():
                return "unchanged"
        data = self.clean(
            "referral",
            {
                **{k: row.get(k, "") for k in COLUMNS["clients"]},
                "interpreter_needed": row.get("interpreter_needed") or "false",
                "program": program.pk,
                "not_duplicate": True,
            },
        )
        client_services.referral_create(actor=self.actor, **data)
        return "created"

    def _contact(self, row: Mapping[str, str]) -> Outcome:
        person, program = self.actor, self.program
        enrollment = None
        if row.get("client_record_number"):
            enrollment = _enrollment(person, program, row["client_record_number"], "client_record_number")
        payload: dict[str, Any] = {
            "program": program.pk,
            "contacted_on": row["contacted_on"],
            "purpose": row["purpose"],
            "face_to_face": row.get("face_to_face") or "true",
            "outcome": row.get("outcome", ""),
            "follows_preferences": row.get("follows_preferences") or None,
        }
        data = self.clean("employer_contact", payload)
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

    def _job(self, row: Mapping[str, str]) -> Outcome:
        person, program = self.actor, self.program
        enrollment = _enrollment(person, program, row["client_record_number"], "client_record_number")
        start_fields = COLUMNS["jobs"][2:9]  # title to disclosure: what starting a job takes
        payload = {k: row.get(k, "") for k in start_fields}
        payload["is_competitive"] = payload["is_competitive"] or "true"
        payload["disclosure"] = payload["disclosure"] or "none"
        payload["confirm_implausible"] = row.get("confirm_implausible") or "false"
        data = self.clean("job_start", payload)
        data.pop("employer", None), data.pop("new_employer_name", None)
        end = None
        if row.get("ended_on") or row.get("end_reason"):
            end = self.clean(
                "job_end", _blank_to_none(row, "ended_on", "end_reason") | {"end_note": row.get("end_note", "")}
            )
        employer = _employer(program, row["employer"])
        job = None
        if employer is not None:
            job = Job.objects.filter(
                enrollment=enrollment, employer=employer, title__iexact=data["title"], started_on=data["started_on"]
            ).first()
        outcome: Outcome = "unchanged"
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


def require_importer(person: Person, program: Program, kind: str) -> None:
    """Imports are for the program's IPS unit (supervisors and specialists); referrals also for its
    mental health team."""
    if kind == "clients" and program.pk in set(client_access.referring_program_ids(person)):
        return
    if client_access.can_develop_jobs(person, program):
        return
    raise PermissionDenied("Only the program's IPS unit (or, for referrals, its mental health team) can import.")


def import_file(
    *, actor: Person, program: Program, kind: str, table: tables.ReadTable, mode: str, clean: Cleaner
) -> imports.ImportResult:
    """Check (mode "dry_run") or import ("all": every row or none; "good": the good rows) a file's rows, in one
    transaction (the API's synchronous import; the import page goes a chunk per request: api/import_jobs.py)."""
    require_importer(actor, program, kind)
    adapter = ClientRecordRows(actor=actor, program=program, kind=kind, clean=clean)
    return imports.run(adapter, table.rows, header=table.header, mode=mode)
