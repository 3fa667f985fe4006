"""Bulk exchange: a dry run lists every bad row and column, a commit imports all rows or only the good
ones through the services, re-importing changes nothing, and exports round-trip (CSV and XLSX)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshub.audit.models import AuditEvent
from ipshub.clients.models import EmployerContact, Enrollment, Job
from ipshub.lib.tables import read_table
from tests.api.test_api import assert_error
from tests.clients.factories import days_ago
from tests.world import World

pytestmark = pytest.mark.django_db

CLIENTS = """record_number,first_name,last_name,birth_date,referral_date,referral_source,phone
MR-1,Ada,Stone,1980-01-02,{d10},case_manager,555-0101
MR-2,Ben,Hale,1991-03-04,{d9},self,
MR-3,,Moss,1985-13-40,2999-01-01,nobody,
"""


def _csv(text: str) -> SimpleUploadedFile:
    body = text.format(d10=days_ago(10).isoformat(), d9=days_ago(9).isoformat(), d2=days_ago(2).isoformat())
    return SimpleUploadedFile("records.csv", body.encode(), content_type="text/csv")


def _post(client, kind: str, upload, mode: str = "dry_run", program: int | None = None):
    query = f"mode={mode}" + (f"&program={program}" if program else "")
    return client.post(f"/api/v1/imports/{kind}/?{query}", {"file": upload}, format="multipart")


def test_a_dry_run_lists_every_bad_row_and_column_and_writes_nothing(world: World, api) -> None:
    client = api(world.supervisor)
    response = _post(client, "clients", _csv(CLIENTS))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["rows"], body["created"], body["bad_rows"], body["committed"]) == (3, 2, 1, False)
    problems = {(e["row"], e["column"]) for e in body["row_errors"]}
    assert problems == {(4, "first_name")}  # a blank required column is reported first
    assert Enrollment.objects.count() == 0
    assert not AuditEvent.objects.filter(action="client.refer").exists()

    bad_values = _post(client, "clients", _csv(CLIENTS.replace(",,Moss", ",Cy,Moss")))
    errors = {(e["row"], e["column"]): e["message"] for e in bad_values.json()["row_errors"]}
    # Shapes first (like the form); the service's rules (a future referral date) once the shapes are right.
    assert set(errors) == {(4, "birth_date"), (4, "referral_source")}
    fixed = CLIENTS.replace(",,Moss,1985-13-40", ",Cy,Moss,1985-12-30").replace("nobody", "self")
    dated = {(e["row"], e["column"]) for e in _post(client, "clients", _csv(fixed)).json()["row_errors"]}
    assert dated == {(4, "referral_date")}
    assert "not a valid choice" in errors[(4, "referral_source")]


def test_commit_all_or_only_the_good_rows_and_reimport_changes_nothing(world: World, api) -> None:
    client = api(world.supervisor)
    everything = _post(client, "clients", _csv(CLIENTS), mode="all")
    error = assert_error(everything, 400, "invalid")
    assert "nothing was imported" in error["message"] and "row 4: first_name" in error["fields"]
    assert Enrollment.objects.count() == 0

    good = _post(client, "clients", _csv(CLIENTS), mode="good").json()
    assert (good["created"], good["bad_rows"], good["committed"]) == (2, 1, True)
    assert sorted(Enrollment.objects.values_list("client__record_number", flat=True)) == ["MR-1", "MR-2"]
    assert AuditEvent.objects.filter(action="client.refer", actor=world.supervisor).count() == 2

    again = _post(client, "clients", _csv(CLIENTS), mode="good").json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert Enrollment.objects.count() == 2


JOBS = """client_record_number,employer,title,job_type,hours_per_week,hourly_wage,started_on,ended_on,end_reason
MR-1,Cedar Bakery,Baker,food,20,16.50,{d9},,
MR-2,Harbor Hardware,Clerk,retail,12.5,17,{d9},{d2},quit
MR-9,Harbor Hardware,Clerk,retail,12,17,{d9},,
MR-1,Cedar Bakery,Driver,warehouse,-3,16,{d9},,
"""
CONTACTS = """employer,contacted_on,purpose,face_to_face,client_record_number,outcome
Cedar Bakery,{d2},client,true,MR-1,Interview set
Lakeside Diner,{d2},introduce,false,,Left a card
Lakeside Diner,{d2},lunch,true,,
"""


def test_jobs_and_contacts_import_and_round_trip_through_exports(world: World, api) -> None:
    client = api(world.supervisor)
    _post(client, "clients", _csv(CLIENTS), mode="good")
    jobs = _post(client, "jobs", _csv(JOBS), mode="good").json()
    assert (jobs["created"], jobs["bad_rows"]) == (2, 2), jobs
    errors = {(e["row"], e["column"]) for e in jobs["row_errors"]}
    assert errors == {(4, "client_record_number"), (5, "hours_per_week")}
    ended = Job.objects.get(title="Clerk")
    assert ended.end_reason == "quit" and ended.ended_on == days_ago(2)
    assert AuditEvent.objects.filter(action="client.job_end").count() == 1

    contacts = _post(client, "employer-contacts", _csv(CONTACTS), mode="good").json()
    assert (contacts["created"], contacts["bad_rows"]) == (2, 1), contacts
    assert EmployerContact.objects.get(employer__name="Cedar Bakery").enrollment.client.record_number == "MR-1"

    program = world.programs["p1"].pk
    for kind in ("clients", "jobs", "employer-contacts"):
        for file_format in ("csv", "xlsx"):
            exported = client.get(f"/api/v1/exports/{kind}/?program={program}&file_format={file_format}")
            assert exported.status_code == 200, exported.content
            upload = SimpleUploadedFile(f"export.{file_format}", exported.content)
            result = _post(client, kind, upload, mode="all").json()
            assert result["created"] == 0 and result["bad_rows"] == 0 and result["unchanged"] > 0, (kind, result)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/api/v1/exports/jobs/?file_format=xlsx").content)).active
    assert [c.value for c in sheet[1]][:3] == ["client_record_number", "employer", "title"]
    assert (Enrollment.objects.count(), Job.objects.count(), EmployerContact.objects.count()) == (2, 2, 2)


def test_files_and_people_that_cannot_be_imported(world: World, api) -> None:
    client = api(world.supervisor)
    assert "file" in assert_error(client.post("/api/v1/imports/clients/", {}, format="multipart"), 400)["fields"]
    text = SimpleUploadedFile("notes.txt", b"hello")
    assert "csv or .xlsx" in assert_error(_post(client, "clients", text), 400)["fields"]["file"][0]
    broken = SimpleUploadedFile("book.xlsx", b"not a workbook")
    assert "not a readable .xlsx" in assert_error(_post(client, "clients", broken), 400)["fields"]["file"][0]
    headless = SimpleUploadedFile("x.csv", b"name,date\nA,B\n")
    assert "no column" in assert_error(_post(client, "clients", headless), 400)["fields"]["file"][0]
    # Readers may not import; outsiders don't see the program.
    for persona in ("counselor", "case_manager", "director"):
        response = _post(api(world.people[persona]), "jobs", _csv(JOBS), program=world.programs["p1"].pk)
        assert response.status_code == 403, (persona, response.content)
    outsider = api(world.people["other_state_lead"])
    assert_error(_post(outsider, "clients", _csv(CLIENTS), program=world.programs["p1"].pk), 404)
    assert_error(outsider.get(f"/api/v1/exports/clients/?program={world.programs['p1'].pk}"), 404)
    assert Enrollment.objects.count() == 0


def test_an_export_with_neutralised_formulas_imports_again_unchanged(world: World, api) -> None:
    """The quote that keeps a planted formula from running is taken off again on import."""
    client = api(world.supervisor)
    planted = (
        "record_number,first_name,last_name,birth_date,referral_date,referral_source\n"
        f'MR-9,"=HYPERLINK(""http://x"",""y"")",+1+1,1990-01-02,{days_ago(3)},case_manager\n'
    )
    assert _post(client, "clients", _csv(planted), mode="good").json()["created"] == 1
    program = world.programs["p1"].pk
    for file_format in ("csv", "xlsx"):
        exported = client.get(f"/api/v1/exports/clients/?program={program}&file_format={file_format}")
        upload = SimpleUploadedFile(f"export.{file_format}", exported.content)
        result = _post(client, "clients", upload, mode="all").json()
        assert (result["created"], result["bad_rows"], result["unchanged"]) == (0, 0, 1), (file_format, result)
        [row] = read_table(exported.content, f"export.{file_format}").rows
        assert (row["first_name"], row["last_name"]) == ('=HYPERLINK("http://x","y")', "+1+1"), file_format
    assert Enrollment.objects.get().client.first_name == '=HYPERLINK("http://x","y")'
