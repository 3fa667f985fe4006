"""`ipshub backup` on PostgreSQL: pg_dump in custom format with every table's count and checksum from the same
snapshot; `ipshub restore` into a new database with pg_restore, verified; bad input refused with nothing written."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ipshub.audit.services import audit_record
from ipshub.lib import pg_backup
from ipshub.tenancy.models import Person
from tests.web.test_backup import _rewrite_manifest
from tests.world import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
]


def _conninfo(dbname: str) -> dict[str, object]:
    return {**pg_backup._conninfo(), "dbname": dbname}


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (as `createdb` makes), dropped afterwards."""
    name = f"ipshub_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(dbname: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{dbname}"


def _tables(dbname: str) -> dict[str, dict[str, object]]:
    with psycopg.connect(**_conninfo(dbname)) as conn, conn.cursor() as cursor:
        return pg_backup.table_checksums(cursor)


def test_backup_and_restore_into_a_new_database(tmp_path: Path, empty_database: str) -> None:
    world = build_world()
    audit_record(actor=world.people["admin"], action="test.event", obj=world.programs["p1"], detail={"n": 1})
    media = Path(settings.MEDIA_ROOT) / "evidence" / "agreement.txt"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_text("signed service agreement")
    backup = tmp_path / "backup.tar"

    call_command("backup", "--output", str(backup))

    with tarfile.open(backup) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        assert {"manifest.json", "database.dump", "media/evidence/agreement.txt"} <= set(tar.getnames())
    assert manifest["format"] == 2 and manifest["tables"]["tenancy_person"]["rows"] == Person.objects.count()
    assert manifest["tables"] == _tables(settings.DATABASES["default"]["NAME"])  # the dump's own snapshot

    # The restore runs as an operator would: `ipshub restore` with DATABASE_URL pointing at the new database.
    restored_files = tmp_path / "restored"
    result = subprocess.run(
        [sys.executable, "-m", "ipshub", "restore", str(backup)],
        env={**os.environ, "DATABASE_URL": _url(empty_database), "IPSHUB_DATA_DIR": str(restored_files)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "counts and checksums match" in result.stdout
    assert _tables(empty_database) == manifest["tables"]
    assert (restored_files / "media" / "evidence" / "agreement.txt").read_text() == "signed service agreement"


def test_restore_refuses_a_database_with_tables_and_writes_nothing(tmp_path: Path) -> None:
    build_world()
    call_command("backup", "--output", str(tmp_path / "b.tar"))
    before = _tables(settings.DATABASES["default"]["NAME"])
    with pytest.raises(CommandError, match=r"The database is not empty \(\d+ tables"):
        call_command("restore", str(tmp_path / "b.tar"))
    assert _tables(settings.DATABASES["default"]["NAME"]) == before


def test_restore_refuses_a_damaged_dump(tmp_path: Path) -> None:
    build_world()
    path = tmp_path / "b.tar"
    call_command("backup", "--output", str(path))
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(path, "w") as tar:
        for member, data in members:
            if member.name == "database.dump":
                data = data[:-100] + bytes(100)  # the last hundred bytes lost
            tar.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="The backup is damaged: its database dump does not match its checksum"):
        call_command("restore", str(path))


def test_restore_refuses_a_backup_of_another_schema_version(tmp_path: Path) -> None:
    build_world()
    path = tmp_path / "b.tar"
    call_command("backup", "--output", str(path))
    _rewrite_manifest(path, lambda m: m["schema"].pop("clients"))
    with pytest.raises(CommandError, match=r"another version of IPS Hub \(clients: backup none, this version 0"):
        call_command("restore", str(path))


def test_bench_prints_pg_dump_and_backup_times(tmp_path: Path, capsys) -> None:
    build_world()
    call_command("backup", "--bench", "--output", str(tmp_path))
    out = capsys.readouterr().out
    assert "pg_dump -Fc alone:" in out and "× pg_dump)" in out and "Backup written to" in out
