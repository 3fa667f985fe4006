"""`ipshub backup --portable` and `ipshub restore`: a restore into a fresh database matches the backup exactly.
(The pg_dump format, PostgreSQL's default, is tested in test_pg_backup.py.)"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from ipshub.audit.models import AuditEvent
from ipshub.audit.services import audit_record
from ipshub.lib.backup import table_digest
from ipshub.tenancy.models import Membership, Person, Program
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_restore_round_trip(tmp_path: Path, capsys, catalog_not_preloaded: None) -> None:
    world = build_world()
    audit_record(actor=world.people["admin"], action="test.event", obj=world.programs["p1"], detail={"n": 1})
    # A time less than a millisecond past its second (one row in a thousand, by chance) restores exactly too.
    joined = datetime.datetime(2026, 3, 2, 9, 15, 7, 500, tzinfo=datetime.UTC)
    Person.objects.filter(username="director").update(date_joined=joined)
    media = Path(settings.MEDIA_ROOT) / "evidence" / "agreement.txt"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_text("signed service agreement")
    before = {model: table_digest(model) for model in (Person, Membership, Program, AuditEvent)}

    call_command("backup", "--portable", "--output", str(tmp_path / "backup.tar.gz"))
    call_command("flush", interactive=False)
    media.unlink()
    assert Person.objects.count() == 0
    call_command("restore", str(tmp_path / "backup.tar.gz"))

    out = capsys.readouterr().out
    assert "counts and checksums match" in out
    assert {model: table_digest(model) for model in before} == before
    assert Person.objects.get(username="director").check_password(PASSWORD)
    assert media.read_text() == "signed service agreement"
    assert set(Program.objects.get(name="Program P1").dvr_offices.values_list("name", flat=True)) == {
        "A DVR Pine Office"
    }
    # Sequences continue after the restored rows: new rows get new ids.
    Person.objects.create(username="after-restore")


def test_restore_refuses_a_database_with_data(tmp_path: Path) -> None:
    build_world()
    call_command("backup", "--portable", "--output", str(tmp_path / "b.tar.gz"))
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(tmp_path / "b.tar.gz"))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="can't be read as a backup"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_restore_refuses_a_portable_backup_of_another_schema_version(tmp_path: Path) -> None:
    build_world()
    call_command("backup", "--portable", "--output", str(tmp_path / "b.tar.gz"))
    _rewrite_manifest(tmp_path / "b.tar.gz", lambda m: m["schema"].update({"fidelity": "0001_initial"}))
    people = Person.objects.count()
    with pytest.raises(CommandError, match=r"another version of IPS Hub \(fidelity: backup 0001_initial"):
        call_command("restore", str(tmp_path / "b.tar.gz"))
    assert Person.objects.count() == people


def _rewrite_manifest(path: Path, change) -> None:
    """The same archive with its manifest changed (its compression kept)."""
    import io
    import json
    import tarfile

    mode = "gz" if path.suffix == ".gz" else ""
    with tarfile.open(path, f"r:{mode}") as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    with tarfile.open(path, f"w:{mode}") as tar:
        for member, data in members:
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
