"""Portable backups, which restore into a fresh database of either kind (PostgreSQL or SQLite), with verification.
The demo's backup and the way to move between SQLite and PostgreSQL; on PostgreSQL `ipshub backup` uses
pg_dump (`lib/pg_backup.py`) unless asked for this format (`--portable`). What both formats share is here:
opening a backup, the schema check, the table check.

A backup is one .tar.gz holding:
- `manifest.json`: when, which schema (the last migration of each app), and per model its row count
  and the SHA-256 of its rows as serialized;
- `data/<app>.<model>.jsonl`: one row per line, in primary-key order, with natural keys for content
  types so the rows fit a database whose content types were numbered differently;
- `media/`: the uploaded files.
Restoring loads the rows into an empty, migrated database, then serializes them again and compares
row counts and checksums with the manifest: a restore is verified, not assumed.
"""

import datetime
import hashlib
import importlib
import io
import json
import pkgutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
NATIVE_FORMAT = 2  # lib/pg_backup.py: pg_dump and pg_restore
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "accounts.personsession"}
CHUNK = 2000


class BackupError(Exception):
    pass


@dataclass
class TableCheck:
    label: str
    rows: int
    expected_rows: int
    matches: bool


def backup_models() -> list[type[models.Model]]:
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [m for m in ordered if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed]


class BackupEncoder(DjangoJSONEncoder):
    """Django's encoder keeps a time to the millisecond: 10:30:00.000500 is written "10:30:00.000", and is restored
    as 10:30:00, which Django writes "10:30:00". So that a restored row reads back exactly as it was written (its
    checksum matches), a time less than a millisecond past the second is written as the second itself."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time) and 0 < o.microsecond < 1000:
            o = o.replace(microsecond=0)
        return super().default(o)


def _rows(model: type[models.Model]) -> Iterator[str]:
    queryset = model._default_manager.order_by("pk")
    for start in range(0, queryset.count() + 1, CHUNK):
        chunk = list(queryset[start : start + CHUNK])
        if not chunk:
            break
        many = [field.name for field in model._meta.many_to_many]
        for row in serializers.serialize("python", chunk, use_natural_foreign_keys=True):
            for name in many:  # a set: the database returns it in no fixed order, so the checksum sorts it
                row["fields"][name] = sorted(row["fields"][name], key=lambda key: json.dumps(key, cls=BackupEncoder))
            yield json.dumps(row, cls=BackupEncoder, sort_keys=True, ensure_ascii=False)


def table_digest(model: type[models.Model]) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for line in _rows(model):
        digest.update(line.encode() + b"\n")
        count += 1
    return count, digest.hexdigest()


def _recorded_schema() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


def create_backup(destination: Path, progress: Callable[[str], None] = print) -> Path:
    if destination.is_dir():
        destination = destination / f"ipshub-backup-{datetime.datetime.now():%Y%m%d-%H%M%S}.tar.gz"
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": connection.vendor,
        "schema": _recorded_schema(),
        "tables": {},
    }
    with tarfile.open(destination, "w:gz") as tar, transaction.atomic():
        # One transaction: every table is read from the same snapshot on PostgreSQL.
        for model in backup_models():
            label = model._meta.label_lower
            digest, count = hashlib.sha256(), 0
            with tempfile.TemporaryFile() as buffer:
                for line in _rows(model):
                    data = line.encode() + b"\n"
                    digest.update(data)
                    buffer.write(data)
                    count += 1
                size = buffer.tell()
                buffer.seek(0)
                info = tarfile.TarInfo(f"data/{label}.jsonl")
                info.size = size
                tar.addfile(info, buffer)
            manifest["tables"][label] = {"rows": count, "sha256": digest.hexdigest()}
            if count:
                progress(f"  {label}: {count} rows")
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            tar.add(media, arcname="media")
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return destination


def code_schema() -> dict[str, str]:
    """The last migration of each app in this version of IPS Hub, from the migration files themselves (each app's
    history is a line, numbered in order), whatever the settings say about running them."""
    latest: dict[str, str] = {}
    for config in apps.get_app_configs():
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name[0].isdigit())
        if names:
            latest[config.label] = names[-1]
    return latest


def schema_problem(recorded: dict[str, str]) -> str | None:
    """Why a backup of this schema can't be restored by this version of IPS Hub, or None."""
    expected = code_schema()
    differing = sorted(app for app in set(recorded) | set(expected) if recorded.get(app) != expected.get(app))
    if not differing:
        return None
    shown = "; ".join(
        f"{app}: backup {recorded.get(app, 'none')}, this version {expected.get(app, 'none')}" for app in differing[:3]
    )
    return (
        f"This backup was written by another version of IPS Hub ({shown}{'; …' if len(differing) > 3 else ''}). "
        "Restore it with the version that wrote it, then upgrade with `ipshub migrate`. Nothing was written."
    )


def open_backup(source: Path) -> tuple[tarfile.TarFile, dict[str, Any]]:
    """The backup's archive (either format) and its manifest; a clear error for anything else."""
    try:
        tar = tarfile.open(source, "r:*")  # noqa: SIM115  (the caller closes it)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source} can't be read as a backup ({exc}).") from None
    try:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise KeyError("manifest.json")
        manifest: dict[str, Any] = json.load(member)
    except KeyError:
        tar.close()
        raise BackupError("This file has no manifest.json: it is not an IPS Hub backup.") from None
    except (ValueError, OSError, tarfile.TarError) as exc:
        tar.close()
        raise BackupError(f"The backup is damaged: its manifest can't be read ({exc}).") from None
    if manifest.get("format") not in (FORMAT, NATIVE_FORMAT):
        tar.close()
        raise BackupError(
            f"Backup format {manifest.get('format')} is not supported (expected {FORMAT} or {NATIVE_FORMAT})."
        )
    return tar, manifest


def restore_backup(
    tar: tarfile.TarFile, manifest: dict[str, Any], progress: Callable[[str], None] = print
) -> list[TableCheck]:
    """Restore a portable backup into this (fresh) database and verify every table against the manifest."""
    if problem := schema_problem(manifest.get("schema", {})):
        raise BackupError(problem)
    call_command("migrate", interactive=False, verbosity=0)
    not_empty = [m._meta.label_lower for m in backup_models() if m._default_manager.exists()]
    if not_empty:
        raise BackupError(
            "The database is not empty (" + ", ".join(not_empty[:5]) + "). Restore into a new, empty "
            "database: point DATABASE_URL at it and run `ipshub restore` again."
        )
    by_label = {m._meta.label_lower: m for m in backup_models()}
    with transaction.atomic(), connection.constraint_checks_disabled():
        for label in manifest["tables"]:
            if label not in by_label:
                raise BackupError(f"The backup holds {label}, which this version of IPS Hub does not know.")
            lines = tar.extractfile(f"data/{label}.jsonl")
            assert lines is not None
            rows = (json.loads(line) for line in lines if line.strip())
            for obj in serializers.deserialize("python", rows, handle_forward_references=True):
                obj.save()
            progress(f"  {label}: {manifest['tables'][label]['rows']} rows")
    connection.check_constraints()
    _reset_sequences(list(by_label.values()))
    media_root = Path(settings.MEDIA_ROOT)
    for member in tar.getmembers():
        if member.name.startswith("media/") and member.isfile():
            target = media_root / member.name.removeprefix("media/")
            if media_root.resolve() not in target.resolve().parents:
                raise BackupError(f"Refusing to write {member.name} outside the media folder.")
            target.parent.mkdir(parents=True, exist_ok=True)
            extracted = tar.extractfile(member)
            assert extracted is not None
            target.write_bytes(extracted.read())
    return verify(manifest)


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def verify(manifest: dict[str, Any]) -> list[TableCheck]:
    by_label = {m._meta.label_lower: m for m in backup_models()}
    checks = []
    for label, expected in manifest["tables"].items():
        rows, digest = table_digest(by_label[label])
        checks.append(
            TableCheck(label, rows, expected["rows"], rows == expected["rows"] and digest == expected["sha256"])
        )
    return checks
