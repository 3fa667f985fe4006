"""Private PostgreSQL clusters for the operations tests (a replica, a point-in-time recovery): each made with
initdb in a folder of its own, on a port of its own, run as the postgres user, and removed afterwards.

Why not a replica of the suite's own cluster: a standby opens for reads only once every transaction that was
running on its primary when it started has ended, and the suite's other worker keeps long ones open (the access
matrix runs two minutes in one), so such a replica could wait minutes. A private primary holds one copy of the
test's database (pg_dump | pg_restore) and nothing else runs on it."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

PG_BIN = Path(
    subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip() or "/none"
)
CAN_RUN_CLUSTERS = (
    connection.vendor == "postgresql" and (PG_BIN / "initdb").exists() and hasattr(os, "geteuid") and os.geteuid() == 0
)
WHY_NOT = "needs PostgreSQL with its server programs, and root (a cluster runs as the postgres user)"
DATABASE = "app"


def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed: {result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    data: Path
    port: int
    socket_dir: Path
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, dbname: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = DATABASE, **kwargs: object) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, dbname=dbname, user="postgres", **kwargs)  # type: ignore[arg-type]

    def write_config(self, **settings_: str) -> None:
        lines = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.socket_dir}'",
            "fsync": "off",
            "log_line_prefix": "'%d '",
            **self.extra,
            **settings_,
        }
        (self.data / "postgresql.conf").write_text("".join(f"{k} = {v}\n" for k, v in lines.items()))
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nlocal replication all trust\n"
            "host replication all 127.0.0.1/32 trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(self.data / name, "postgres", "postgres")

    def start(self) -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self) -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="ipshub-clusters-"))
    shutil.chown(folder, "postgres", "postgres")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def new_primary(folder: Path, name: str = "primary", *, copy: bool = True, **config: str) -> Cluster:
    """A new cluster, started, with the `app` database: a copy of the test's database as it is now (or empty)."""
    cluster = Cluster(folder / name, free_port(), folder, folder / f"{name}.log")
    as_postgres(str(PG_BIN / "initdb"), "--auth=trust", "--username=postgres", "--no-sync", f"--pgdata={cluster.data}")
    cluster.write_config(wal_level="replica", max_wal_senders="4", **config)
    cluster.start()
    with cluster.connect("postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    if copy:
        copy_test_database_into(cluster)
    return cluster


def copy_test_database_into(cluster: Cluster) -> None:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    source = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), *source, "--username", str(db["USER"]), "--format=custom", str(db["NAME"])],
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(
        [
            *(str(PG_BIN / "pg_restore"), "--no-owner", "--no-acl", "--host=127.0.0.1", f"--port={cluster.port}"),
            *("--username=postgres", f"--dbname={DATABASE}"),
        ],
        input=dump,
        capture_output=True,
        check=True,
    )


def new_replica(primary: Cluster, folder: Path, name: str = "replica", **config: str) -> Cluster:
    """A streaming replica of `primary`, started, logging every statement; returns once it accepts reads."""
    replica = Cluster(folder / name, free_port(), folder, folder / f"{name}.log")
    as_postgres(
        str(PG_BIN / "pg_basebackup"),
        f"--pgdata={replica.data}",
        "--write-recovery-conf",
        "--wal-method=stream",
        "--checkpoint=fast",
        "--host=127.0.0.1",
        f"--port={primary.port}",
        "--username=postgres",
    )
    replica.write_config(hot_standby="on", log_statement="'all'", **config)
    replica.start()
    for _ in range(300):
        try:
            with replica.connect() as conn:
                conn.execute("SELECT 1")
                return replica
        except psycopg.OperationalError:
            time.sleep(0.1)
    raise AssertionError(f"the replica did not open for reads: {replica.log_text()[-2000:]}")


def wait_caught_up(primary: Cluster, replica: Cluster) -> None:
    with primary.connect() as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]  # type: ignore[index]
    for _ in range(300):
        with replica.connect() as conn:
            if conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:  # type: ignore[index]
                return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up in 30 s")
