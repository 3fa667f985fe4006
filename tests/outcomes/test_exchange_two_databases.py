"""The aggregate file between two real databases (issue #23): one install publishes its state's figures, a second
install — another PostgreSQL database, made empty from the same schema — imports the file with the command an
operator runs, and its own roll-up (computed there, by the product's code) reproduces the exact pooled rate."""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.outcomes.test_exchange import exact_pooled, seed
from tests.world import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the second install's database is a PostgreSQL one"),
]
ROLLUP = (
    "import json; from ipshub.outcomes import aggregates; "
    "p = aggregates.pooled_rollup(state_codes=['AA']); "
    "print(json.dumps([[q.year, q.quarter, q.worked, q.served, q.withheld] for q in p.quarters]))"
)


def _admin() -> dict[str, object]:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "localhost",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
    }


@pytest.fixture
def second_install() -> Iterator[str]:
    """A new database with this version's tables and nothing in them: another install."""
    name = f"ipshub_second_{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    with psycopg.connect(**_admin(), dbname="postgres", autocommit=True) as admin:  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "PGPASSWORD": str(db["PASSWORD"])}
    where = ["--host", str(db["HOST"] or "localhost"), "--port", str(db["PORT"] or 5432), "--username", str(db["USER"])]
    schema = subprocess.run(
        ["pg_dump", *where, "--schema-only", "--format=custom", str(db["NAME"])],
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["pg_restore", *where, "--no-owner", f"--dbname={name}"], input=schema, env=env, check=True)
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**_admin(), dbname="postgres", autocommit=True) as admin:  # type: ignore[arg-type]
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_aggregate_file_round_trip_between_two_databases(world: World, tmp_path: Path, second_install: str) -> None:
    seed(world)
    published = tmp_path / "state-a.csv"
    with override_settings(IPSHUB_INSTALL_NAME="westmark"):
        call_command("outcomes-aggregate", "export", "--state", "AA", "--file", str(published))
    env = {
        **os.environ,
        "DATABASE_URL": second_install,
        "IPSHUB_MODE": "demo",
        "IPSHUB_DATA_DIR": str(tmp_path / "second"),
        "IPSHUB_INSTALL_NAME": "national-pool",
        "DJANGO_SETTINGS_MODULE": "ipshub.settings",
    }
    imported = subprocess.run(
        [sys.executable, "-m", "ipshub", "outcomes-aggregate", "import", str(published)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert "6 new" in imported.stdout
    rollup = subprocess.run(
        [sys.executable, "-m", "ipshub", "shell", "-c", ROLLUP], env=env, capture_output=True, text=True, check=True
    )
    quarters = json.loads(rollup.stdout.strip().splitlines()[-1])
    got = {(year, quarter): Fraction(worked, served) for year, quarter, worked, served, _ in quarters}
    assert got == exact_pooled({"p1", "p2"}), "the second install pools sum(worked) / sum(served), exactly"
    assert got[(2025, 1)] == Fraction(29, 65)
    assert {(y, q): withheld for y, q, _, _, withheld in quarters} == {(2025, 1): 0, (2025, 2): 1, (2025, 3): 1}
