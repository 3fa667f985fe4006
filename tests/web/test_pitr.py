"""Point-in-time recovery, drilled as an operator would (docs/operators.md): a private cluster archives its WAL with
scripts/pitr/archive-wal, scripts/pitr/base-backup takes a base backup, two writes are committed a moment apart, the
cluster is lost, and scripts/pitr/recover brings back a new one at the moment between the writes: the first write
is there, the second is not."""

import shutil
import time
from pathlib import Path

import pytest

from tests.clusters import CAN_RUN_CLUSTERS, WHY_NOT, Cluster, as_postgres, free_port, new_primary, workspace

pytestmark = pytest.mark.skipif(not CAN_RUN_CLUSTERS, reason=WHY_NOT)
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts" / "pitr"


def _postgres_copy_of_scripts(folder: Path) -> Path:
    """The scripts where the postgres user may run them (a checkout under /root is closed to it)."""
    copy = folder / "scripts"
    shutil.copytree(SCRIPTS, copy)
    for path in (copy, *copy.iterdir()):
        shutil.chown(path, "postgres", "postgres")
    return copy


def test_recover_to_a_moment_between_two_writes() -> None:
    with workspace() as folder:
        scripts = _postgres_copy_of_scripts(folder)
        archive = folder / "wal"
        archive.mkdir()
        shutil.chown(archive, "postgres", "postgres")
        primary = new_primary(
            folder, copy=False, archive_mode="on", archive_command=f"'{scripts}/archive-wal %p %f {archive}'"
        )
        try:
            base = (
                as_postgres(
                    str(scripts / "base-backup"),
                    str(folder / "base"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(primary.port),
                    "-U",
                    "postgres",
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            with primary.connect(autocommit=True) as conn:
                conn.execute("CREATE TABLE drill (n int)")
                conn.execute("INSERT INTO drill VALUES (1)")
                time.sleep(0.2)
                moment = conn.execute("SELECT clock_timestamp()::text").fetchone()[0]  # type: ignore[index]
                time.sleep(0.2)
                conn.execute("INSERT INTO drill VALUES (2)")
                segment = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]  # type: ignore[index]
                for _ in range(100):
                    if (archive / segment).exists():
                        break
                    time.sleep(0.1)
            assert (archive / segment).exists(), "the last WAL segment with both writes was archived"
        finally:
            primary.stop()  # the cluster is lost

        recovered = Cluster(folder / "recovered", free_port(), folder, folder / "recovered.log")
        as_postgres(str(scripts / "recover"), base, str(archive), str(recovered.data), moment)
        # The base backup carries the lost primary's port and settings: the new cluster gets its own.
        recovered.write_config(archive_mode="off")
        recovered.start()
        try:
            for _ in range(300):
                with recovered.connect("app") as conn:
                    if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:  # type: ignore[index]
                        rows = [r[0] for r in conn.execute("SELECT n FROM drill ORDER BY n").fetchall()]
                        break
                time.sleep(0.1)
            else:
                raise AssertionError(f"recovery did not finish: {recovered.log_text()[-2000:]}")
            assert rows == [1], "recovered to the moment between the two writes"
            assert "recovery stopping before commit" in recovered.log_text()
        finally:
            recovered.stop()


def test_recover_refuses_a_folder_that_is_not_a_base_backup(tmp_path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [str(SCRIPTS / "recover"), str(tmp_path), str(tmp_path), str(tmp_path / "new"), "2026-12-07 10:00:00+00"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "is not a base backup" in result.stderr
