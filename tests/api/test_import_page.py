"""The upload page for a program's IPS unit: the upload is stored as an import job, checked or imported a
chunk of rows per request (the page polls with htmx, or a Continue button), with its progress shown; a dry
run lists every bad row and column, then a commit; exports from the page import again without changing
anything; nobody but the uploader sees a job."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ipshub.api.models import ImportJob
from ipshub.audit.models import AuditEvent
from ipshub.clients.models import Enrollment
from ipshub.tenancy.models import Membership
from ipshub.tenancy.roles import Role
from tests.api.test_exchange import CLIENTS, _csv
from tests.clients.factories import days_ago
from tests.world import World

pytestmark = pytest.mark.django_db
URL = "/account/imports/"


def _upload(page, program: int, upload, mode: str, kind: str = "clients"):
    response = page.post(URL, {"kind": kind, "program": program, "mode": mode, "file": upload})
    assert response.status_code == 302, response.content
    return response["Location"]


def _words(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def _run(page, location: str, htmx: bool = True) -> bytes:
    """Poll the job's page as the browser does until it is done; returns the last fragment or page."""
    job_id = int(location.rstrip("/").split("/")[-1])
    step = reverse("tokens:import-job-step", kwargs={"import_id": job_id})
    for _ in range(200):
        if ImportJob.objects.get(pk=job_id).is_done:
            break
        if htmx:
            fragment = page.post(step, headers={"HX-Request": "true"})
            assert fragment.status_code == 200
        else:
            assert page.post(step)["Location"] == location
    return page.get(location).content


def test_a_supervisor_checks_then_imports_a_file_and_exports_it(world: World, client_for) -> None:
    page = client_for(world.supervisor)
    assert page.get(URL).status_code == 200
    program = world.programs["p1"].pk
    location = _upload(page, program, _csv(CLIENTS), "dry_run")
    first = page.get(location)
    assert first.status_code == 200 and b"<progress" in first.content and b'hx-post="' in first.content
    checked = _run(page, location)
    assert b"Checked: nothing was saved" in checked and b"This column is required" in checked
    assert b"<td>4</td>" in checked and b"<td>first_name</td>" in checked
    assert b'hx-post="' not in checked  # done: the page stops polling
    assert Enrollment.objects.count() == 0
    # Import the checked rows without uploading again: only the good ones (one row is bad).
    dry_run = ImportJob.objects.get()
    commit = page.post(reverse("tokens:import-job-commit", kwargs={"import_id": dry_run.pk}), {"mode": "good"})
    imported = _run(page, commit["Location"])
    assert b"Imported" in imported and Enrollment.objects.count() == 2
    assert ImportJob.objects.get(pk=dry_run.pk).rows == []  # the upload is kept once, then dropped when imported
    export = page.get(reverse("tokens:import-export", kwargs={"program_id": program}) + "?kind=clients")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    again = _run(page, _upload(page, program, SimpleUploadedFile("clients.csv", export.content), "all"))
    assert b"2 already in IPS Hub" in again and Enrollment.objects.count() == 2
    bad = page.post(
        URL, {"kind": "clients", "program": program, "mode": "good", "file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert bad.status_code == 400 and b"Send a .csv or .xlsx file." in bad.content
    no_columns = page.post(
        URL, {"kind": "jobs", "program": program, "mode": "good", "file": SimpleUploadedFile("x.csv", b"title\nCook\n")}
    )
    assert no_columns.status_code == 400 and b"The file has no column client_record_number" in no_columns.content
    listed = page.get(URL).content
    assert listed.count(b"clients.csv") == 1 and b"records.csv" in listed
    actions = list(AuditEvent.objects.filter(action__startswith="import.").values_list("action", flat=True))
    assert actions.count("import.start") == 3 and actions.count("import.finish") == 3


def _big(n: int, bad: set[int]) -> SimpleUploadedFile:
    lines = ["record_number,first_name,last_name,birth_date,referral_date,referral_source"]
    for i in range(n):
        birth = "1980-13-01" if i in bad else "1980-01-02"
        lines.append(f"BIG-{i},Person{i},Tester,{birth},{days_ago(10).isoformat()},self")
    return SimpleUploadedFile("big.csv", "\n".join(lines).encode(), content_type="text/csv")


def test_a_large_file_goes_a_chunk_per_request_with_its_progress(world: World, client_for, settings) -> None:
    settings.IPSHUB_IMPORT_CHUNK_ROWS = 40
    page = client_for(world.supervisor)
    program = world.programs["p1"].pk
    location = _upload(page, program, _big(150, bad={3, 77, 149}), "all")
    job_id = int(location.rstrip("/").split("/")[-1])
    step = reverse("tokens:import-job-step", kwargs={"import_id": job_id})
    fragments = [_words(page.post(step, headers={"HX-Request": "true"})) for _ in range(3)]
    assert "Checked 40 of 150 rows" in fragments[0] and "Checked 120 of 150 rows" in fragments[2]
    assert "1 row with problems so far" in fragments[0] and "2 rows with problems so far" in fragments[1]
    assert 'max="150" value="120"' in _words(page.get(location))
    done = _run(page, location).decode()
    # Every bad row is listed with its row and column; "every row or none": nothing was written.
    assert "Nothing was imported: 3 rows are not valid" in done
    for row in (5, 79, 151):
        assert f"<td>{row}</td>" in done
    assert done.count("<td>birth_date</td>") == 3
    assert Enrollment.objects.count() == 0
    # The same file fixed: checked in full, then imported chunk by chunk (without JavaScript this time).
    fixed = _run(page, _upload(page, program, _big(150, bad=set()), "all"), htmx=False).decode()
    assert "Imported" in fixed and "150 new" in fixed and Enrollment.objects.count() == 150
    # Re-importing the same file changes nothing.
    again = _run(page, _upload(page, program, _big(150, bad=set()), "good")).decode()
    assert "150 already in IPS Hub" in again and Enrollment.objects.count() == 150


def test_the_progress_counts_rows_with_thousands_separators(world: World, client_for, settings) -> None:
    settings.IPSHUB_IMPORT_CHUNK_ROWS = 100
    page = client_for(world.supervisor)
    location = _upload(page, world.programs["p1"].pk, _big(1100, bad=set()), "dry_run")
    assert "Checked 0 of 1,100 rows" in _words(page.get(location))
    job_id = int(location.rstrip("/").split("/")[-1])
    step = reverse("tokens:import-job-step", kwargs={"import_id": job_id})
    fragment = _words(page.post(step, headers={"HX-Request": "true"}))
    assert "Checked 100 of 1,100 rows" in fragment and 'max="1100" value="100"' in fragment


def test_only_the_uploader_sees_an_import(world: World, client_for) -> None:
    location = _upload(client_for(world.supervisor), world.programs["p1"].pk, _csv(CLIENTS), "good")
    job_id = int(location.rstrip("/").split("/")[-1])
    urls = [
        (location, "get"),
        (reverse("tokens:import-job-step", kwargs={"import_id": job_id}), "post"),
        (reverse("tokens:import-job-commit", kwargs={"import_id": job_id}), "post"),
    ]
    for name in ("specialist", "director", "state_lead", "other_agency_director", "other_state_admin"):
        page = client_for(world.people[name])
        for url, method in urls:
            assert getattr(page, method)(url).status_code == 404, (name, url)
    assert ImportJob.objects.get(pk=job_id).rows_done == 0 and Enrollment.objects.count() == 0


def test_people_who_keep_no_program_records_do_not_get_the_page(world: World, client_for) -> None:
    assert client_for(world.counselor).get(reverse("tokens:imports")).status_code == 404
    export = reverse("tokens:import-export", kwargs={"program_id": world.programs["p1"].pk})
    assert client_for(world.people["other_state_lead"]).get(export).status_code == 404
    assert client_for(world.counselor).get(export).status_code == 403


def test_the_rows_of_an_old_check_are_dropped(world: World, client_for) -> None:
    page = client_for(world.supervisor)
    program = world.programs["p1"].pk
    first = int(_upload(page, program, _csv(CLIENTS), "dry_run").rstrip("/").split("/")[-1])
    _run(page, f"{URL}{first}/")
    assert len(ImportJob.objects.get(pk=first).rows) == 3
    ImportJob.objects.filter(pk=first).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    _upload(page, program, _csv(CLIENTS), "dry_run")
    assert ImportJob.objects.get(pk=first).rows == []
    # Its page still shows what was found, but offers no import any more.
    shown = page.get(f"{URL}{first}/").content
    assert b"Checked: nothing was saved" in shown and b"Import the checked rows" not in shown


def test_an_import_stops_with_a_reason_when_the_uploader_may_no_longer_import(world: World, client_for) -> None:
    page = client_for(world.supervisor)
    jobs = "client_record_number,employer,title,job_type,hours_per_week,hourly_wage,started_on\n"
    jobs += "MR-1,Cedar Bakery,Baker,food,20,16.50,2025-03-01\n"
    location = _upload(page, world.programs["p1"].pk, SimpleUploadedFile("jobs.csv", jobs.encode()), "good", "jobs")
    Membership.objects.filter(person=world.supervisor).update(role=Role.CASE_MANAGER)
    done = " ".join(_run(page, location).decode().split())
    assert "Stopped: Only the program&#x27;s IPS unit" in done and "<td>2</td>" in done
    assert ImportJob.objects.get().is_done
