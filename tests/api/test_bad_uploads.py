"""Every importer refuses a file it can't use with a clear message (never a 500), and writes nothing:
an oversized file, a picture posing as a CSV, a CSV whose unclosed quote swallows the rest of the file,
a CSV with null bytes, and a file of another type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipshub.api.models import ImportJob
from ipshub.lib import tables
from ipshub.outcomes.models import Upload
from tests.world import World

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
HEADER = b"first_name,last_name,referred_on\n"
BAD_FILES = {
    "too big": ("big.csv", HEADER + b"Ann,Lee,2026-01-05\n" * 300_000, "larger than"),
    "picture named .csv": ("photo.csv", PNG, "UTF-8"),
    "unclosed quote": ("quote.csv", HEADER + b'"Ann,Lee,2026-01-05\n' + b"x" * 200_000 + b"\n", "quote"),
    "null bytes": ("nul.csv", HEADER + b"Ann\x00,Lee,2026-01-05\n", "null"),
    "wrong type": ("notes.pdf", b"%PDF-1.4\n", ".csv or .xlsx"),
}


def _message(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("case", BAD_FILES)
def test_the_import_page_refuses_a_bad_file_with_a_reason(world: World, client_for, case: str, settings) -> None:
    name, content, reason = BAD_FILES[case]
    page = client_for(world.people["supervisor"])
    response = page.post(
        "/account/imports/",
        {
            "kind": "clients",
            "program": world.programs["p1"].pk,
            "mode": "dry_run",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400, response.status_code
    assert reason.lower() in _message(response).lower()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("case", BAD_FILES)
def test_the_api_import_refuses_a_bad_file_with_a_reason(world: World, api, case: str) -> None:
    name, content, reason = BAD_FILES[case]
    response = api(world.people["supervisor"]).post(
        f"{reverse('api:import-clients')}?program={world.programs['p1'].pk}&mode=all",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 400, response.status_code
    assert reason.lower() in str(response.json()).lower()


@pytest.mark.parametrize("case", BAD_FILES)
def test_the_outcomes_upload_refuses_a_bad_file_with_a_reason(world: World, client_for, case: str) -> None:
    name, content, reason = BAD_FILES[case]
    page = client_for(world.people["supervisor"])
    response = page.post(
        reverse("outcomes:upload", args=[world.programs["p1"].pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400, response.status_code
    assert reason.lower() in _message(response).lower()
    assert not Upload.objects.exists()


def test_the_limits_are_the_ones_the_messages_name() -> None:
    # One reader (lib/tables.py) holds the limit for every importer.
    assert tables.MAX_BYTES == 5 * 1024 * 1024
