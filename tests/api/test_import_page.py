"""The upload page for a program's IPS unit: a dry run lists every bad row and column, then a commit;
exports from the page import again without changing anything."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipshub.clients.models import Enrollment
from tests.api.test_exchange import CLIENTS, _csv
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_supervisor_checks_then_imports_a_file_and_exports_it(world: World, client_for) -> None:
    page = client_for(world.supervisor)
    url = reverse("tokens:imports")
    assert page.get(url).status_code == 200
    program = world.programs["p1"].pk
    form = {"kind": "clients", "program": program}
    checked = page.post(url, {**form, "mode": "dry_run", "file": _csv(CLIENTS)})
    assert checked.status_code == 200
    assert b"Checked: nothing was saved" in checked.content and b"This column is required" in checked.content
    assert b"<td>4</td>" in checked.content and b"<td>first_name</td>" in checked.content
    assert Enrollment.objects.count() == 0
    imported = page.post(url, {**form, "mode": "good", "file": _csv(CLIENTS)})
    assert b"Imported" in imported.content and Enrollment.objects.count() == 2
    export = page.get(reverse("tokens:import-export", kwargs={"program_id": program}) + "?kind=clients")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    again = page.post(url, {**form, "mode": "all", "file": SimpleUploadedFile("clients.csv", export.content)})
    assert b"2 already in IPS Hub" in again.content and Enrollment.objects.count() == 2
    bad = page.post(url, {**form, "mode": "good", "file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert bad.status_code == 400 and b"Send a .csv or .xlsx file." in bad.content


def test_people_who_keep_no_program_records_do_not_get_the_page(world: World, client_for) -> None:
    assert client_for(world.counselor).get(reverse("tokens:imports")).status_code == 404
    export = reverse("tokens:import-export", kwargs={"program_id": world.programs["p1"].pk})
    assert client_for(world.people["other_state_lead"]).get(export).status_code == 404
    assert client_for(world.counselor).get(export).status_code == 403
