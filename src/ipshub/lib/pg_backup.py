"""Backups of a PostgreSQL database with PostgreSQL's own tools (issue 27): `pg_dump -Fc` and `pg_restore`.

The portable backup (`lib/backup.py`) serializes every row through the ORM: it moves data between SQLite and
PostgreSQL, and it is the demo's backup, but on the state-scale database it took 240 times as long as `pg_dump`.
This one is a plain (uncompressed: the dump compresses itself) `.tar` holding:
- `manifest.json`: when, the schema (the last migration of each app), the dump's SHA-256, and for every table
  in the schema its row count and a checksum of its rows, computed by the server in the dump's own snapshot;
- `database.dump`: `pg_dump -Fc`, taken from the same snapshot (`--snapshot`), so the checksums describe it;
- `media/`: the uploaded files, each with its SHA-256 in the manifest.
Restoring checks the file, its schema and the target before writing anything; `pg_restore` then runs in one
transaction (a failure leaves the target as it was), and every table's count and checksum are compared again.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection

from ipshub.lib.backup import BackupError, TableCheck, schema_problem

FORMAT = 2
DUMP = "database.dump"
# The session settings that fix how a row prints as text, so its checksum is the same on every server.
SESSION = (
    "SET TIME ZONE 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres'; "
    "SET extra_float_digits = 3; SET bytea_output = 'hex'"
)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _settings() -> dict[str, Any]:
    db: dict[str, Any] = settings.DATABASES["default"]
    return db


def _conninfo() -> dict[str, Any]:
    db = _settings()
    info = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD"), "host": db.get("HOST")}
    if db.get("PORT"):
        info["port"] = db["PORT"]
    return {k: v for k, v in info.items() if v}


def _tool_env() -> dict[str, str]:
    """The connection for pg_dump and pg_restore, through the environment (a password never shows in `ps`)."""
    db = _settings()
    env = dict(os.environ)
    for variable, key in (("PGDATABASE", "NAME"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client programs (Debian: `apt install postgresql-client`) "
            "or make a portable backup with `ipshub backup --portable`."
        )
    return path


def table_checksums(cursor: psycopg.Cursor[Any]) -> dict[str, dict[str, Any]]:
    """Every table of the schema: its row count and the sum of its rows' hashes (order-free, so no sort), in one
    query. A row's hash is the first 60 bits of the MD5 of its text; the sum is exact (numeric)."""
    cursor.execute(SESSION)
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    if not tables:
        return {}
    parts = [
        f"SELECT %s, count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text "
        f'FROM "{table.replace(chr(34), chr(34) * 2)}" AS t'
        for table in tables
    ]
    cursor.execute(" UNION ALL ".join(parts), tables)
    return {name: {"rows": rows, "checksum": checksum} for name, rows, checksum in cursor.fetchall()}


def _recorded_schema(cursor: psycopg.Cursor[Any]) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = name
    return latest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files() -> dict[str, Path]:
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir():
        return {}
    return {p.relative_to(media).as_posix(): p for p in sorted(media.rglob("*")) if p.is_file()}


def create_pg_backup(destination: Path, progress: Callable[[str], None] = print) -> Path:
    """pg_dump of one snapshot, with that snapshot's table checksums computed meanwhile, and the media files."""
    if destination.is_dir():
        destination = destination / f"ipshub-backup-{datetime.datetime.now():%Y%m%d-%H%M%S}.tar"
    pg_dump = _tool("pg_dump")
    with tempfile.TemporaryDirectory(prefix="ipshub-backup-") as tmp:
        dump = Path(tmp) / DUMP
        with psycopg.connect(**_conninfo()) as conn, conn.cursor() as cursor:
            # The exported snapshot lives while this transaction is open: pg_dump reads exactly what we checksum.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]  # type: ignore[index]
            dumping = subprocess.Popen(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                env=_tool_env(),
                stderr=subprocess.PIPE,
                text=True,
            )
            tables = table_checksums(cursor)
            schema = _recorded_schema(cursor)
            _, errors = dumping.communicate()
            conn.rollback()
        if dumping.returncode != 0:
            raise BackupError(f"pg_dump failed: {errors.strip()[-500:]}")
        files = _media_files()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": "postgresql",
            "schema": schema,
            "dump": {"file": DUMP, "sha256": _sha256(dump), "bytes": dump.stat().st_size},
            "tables": tables,
            "media": {name: _sha256(path) for name, path in files.items()},
        }
        progress(f"  {len(tables)} tables, {sum(t['rows'] for t in tables.values())} rows, {len(files)} files")
        with tarfile.open(destination, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMP)
            for name, path in files.items():
                tar.add(path, arcname=f"media/{name}")
    return destination


def restore_pg_backup(
    tar: tarfile.TarFile, manifest: dict[str, Any], progress: Callable[[str], None]
) -> list[TableCheck]:
    """Check the file (schema, dump and files against their checksums), then that the target is empty; then
    pg_restore in one transaction, then verify every table."""
    if not is_postgresql():
        raise BackupError(
            "This backup was written by pg_dump: restore it into PostgreSQL. To move data to SQLite, make a "
            "portable backup with `ipshub backup --portable`. Nothing was written."
        )
    if problem := schema_problem(manifest.get("schema", {})):
        raise BackupError(problem)
    with tempfile.TemporaryDirectory(prefix="ipshub-restore-") as tmp:
        dump = Path(tmp) / DUMP
        try:
            member = tar.extractfile(DUMP)
        except KeyError:
            raise BackupError(f"The backup has no {DUMP}: it is incomplete. Nothing was written.") from None
        if member is None:
            raise BackupError(f"The backup's {DUMP} is not a file. Nothing was written.")
        with dump.open("wb") as out:
            shutil.copyfileobj(member, out, 1 << 20)
        if _sha256(dump) != manifest.get("dump", {}).get("sha256"):
            raise BackupError(
                "The backup is damaged: its database dump does not match its checksum. Nothing was written."
            )
        media = _checked_media(tar, manifest, Path(tmp) / "media")
        # The file is whole; now the target: pg_restore into a database with tables would mix two histories.
        with psycopg.connect(**_conninfo()) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
            existing = [row[0] for row in cursor.fetchall()]
        if existing:
            raise BackupError(
                f"The database is not empty ({len(existing)} tables, e.g. {', '.join(existing[:3])}). Restore into "
                "a new, empty database (`createdb`): point DATABASE_URL at it and run `ipshub restore` again. "
                "Nothing was written."
            )
        restoring = subprocess.run(
            [
                _tool("pg_restore"),
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-acl",
                f"--dbname={_settings()['NAME']}",
                str(dump),
            ],
            env=_tool_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if restoring.returncode != 0:
            raise BackupError(f"pg_restore failed, and wrote nothing: {restoring.stderr.strip()[-500:]}")
        progress(f"  restored {len(manifest['tables'])} tables")
        media_root = Path(settings.MEDIA_ROOT)
        for name, path in media.items():
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    connection.close()  # the restored tables are new to Django's connection too
    return verify_pg(manifest)


def _checked_media(tar: tarfile.TarFile, manifest: dict[str, Any], folder: Path) -> dict[str, Path]:
    """Each uploaded file, unpacked to a scratch folder and checked against the manifest before anything is written."""
    files: dict[str, Path] = {}
    for name, expected in manifest.get("media", {}).items():
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"Refusing to write {name} outside the media folder. Nothing was written.")
        try:
            member = tar.extractfile(f"media/{name}")
        except KeyError:
            member = None
        if member is None:
            raise BackupError(f"The backup is missing the uploaded file {name}. Nothing was written.")
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            shutil.copyfileobj(member, out, 1 << 20)
        if _sha256(path) != expected:
            raise BackupError(f"The backup is damaged: the uploaded file {name} does not match its checksum.")
        files[name] = path
    return files


def verify_pg(manifest: dict[str, Any]) -> list[TableCheck]:
    with psycopg.connect(**_conninfo()) as conn, conn.cursor() as cursor:
        found = table_checksums(cursor)
    checks = []
    for label, expected in manifest["tables"].items():
        got = found.get(label, {"rows": 0, "checksum": None})
        matches = got["rows"] == expected["rows"] and got["checksum"] == expected["checksum"]
        checks.append(TableCheck(label, got["rows"], expected["rows"], matches))
    return checks


def time_against_pg_dump(destination: Path) -> tuple[float, float, Path]:
    """Seconds for `pg_dump -Fc` alone and for the whole backup, measured one after the other in this run."""
    with tempfile.TemporaryDirectory(prefix="ipshub-bench-") as tmp:
        started = time.perf_counter()
        subprocess.run(
            [_tool("pg_dump"), "--format=custom", f"--file={Path(tmp) / 'plain.dump'}"],
            env=_tool_env(),
            check=True,
            capture_output=True,
        )
        plain = time.perf_counter() - started
    started = time.perf_counter()
    path = create_pg_backup(destination, progress=lambda _: None)
    return plain, time.perf_counter() - started, path
