"""Settings come from the environment and fail loudly, with a fix, on bad values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from ipshub.lib.env import Env


def test_database_urls_parse() -> None:
    env = Env({"DATABASE_URL": "postgres://u:p@db:5433/ipshub"})
    config = env.database("DATABASE_URL", "sqlite:///x.sqlite3")
    assert config["ENGINE"] == "ipshub.lib.postgresql" and config["PORT"] == 5433
    assert Env({}).database("DATABASE_URL", "sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


def test_postgresql_connections_turn_jit_off_unless_pgoptions_decides() -> None:
    url = "postgres://u:p@db:5432/ipshub"
    assert Env({"DATABASE_URL": url}).database("DATABASE_URL", "")["OPTIONS"]["options"] == "-c jit=off"
    assert "options" not in Env({"DATABASE_URL": url, "PGOPTIONS": "-c jit=on"}).database("DATABASE_URL", "").get(
        "OPTIONS", {}
    )
    assert "OPTIONS" not in Env({}).database("DATABASE_URL", "sqlite:////tmp/x.sqlite3")


@pytest.mark.parametrize("url", ["not a url", "mysql://u:p@h/db", "postgres://u:p@h:notaport/db", "postgres://"])
def test_bad_database_urls_say_what_to_do(url: str) -> None:
    with pytest.raises(ImproperlyConfigured) as exc:
        Env({"DATABASE_URL": url}).database("DATABASE_URL", "")
    assert "DATABASE_URL" in str(exc.value)


def test_typed_values() -> None:
    env = Env({"A": "yes", "B": "12", "C": "x, y", "D": "maybe", "E": "-1"})
    assert env.flag("A", False) is True and env.whole("B", 0) == 12 and env.csv("C", []) == ["x", "y"]
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env.flag("D", False)
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.whole("E", 0, minimum=0)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("IPSHUB_", "DATABASE_URL", "DJANGO_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "ipshub", *args], capture_output=True, text=True, env=environ, timeout=120
    )


def test_cli_reports_a_malformed_database_url_without_a_traceback() -> None:
    result = run_cli("check", IPSHUB_MODE="test", DATABASE_URL="mysql://nope")
    assert result.returncode == 2
    assert "configuration error: DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_cli_requires_a_secret_key_in_production() -> None:
    result = run_cli("check")
    assert result.returncode == 2 and "IPSHUB_SECRET_KEY must be set" in result.stderr


def test_production_check_deploy_is_clean(tmp_path) -> None:
    result = run_cli(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        IPSHUB_SECRET_KEY="k" * 20 + "Zq9!x_" * 6,
        IPSHUB_DATA_DIR=str(tmp_path),
        IPSHUB_ALLOWED_HOSTS="ipshub.example.gov",
    )
    assert result.returncode == 0, result.stderr


def test_catalog_json_needs_no_configuration() -> None:
    import json

    result = run_cli("catalog", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [len(data[k]) for k in ("stages", "questions", "parties", "phases", "responsibilities")] == [
        10,
        12,
        4,
        4,
        98,
    ]
    assert set(data["stages"][0]) >= {"id", "name", "audiences", "strategies", "tools"}
    assert set(data["responsibilities"][0]) == {"id", "phase", "party", "text"}
    assert data["responsibilities"][0]["phase"] == "Prior to implementation"
    assert data["responsibilities"][0]["party"] == "State IPS team"


def test_logs_can_be_json_lines_for_a_log_collector(tmp_path) -> None:
    import json

    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('ipshub.check').warning('database slow', extra={'status_code': 503})"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ipshub.settings",
        "IPSHUB_MODE": "demo",
        "IPSHUB_DATA_DIR": str(tmp_path),
        "IPSHUB_LOG_FORMAT": "json",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert {k: line[k] for k in ("level", "logger", "message", "status_code")} == {
        "level": "WARNING",
        "logger": "ipshub.check",
        "message": "database slow",
        "status_code": 503,
    }
    assert line["time"]
    result = subprocess.run(
        [sys.executable, "-c", code], env={**env, "IPSHUB_LOG_FORMAT": "xml"}, capture_output=True, text=True
    )
    assert result.returncode != 0 and "IPSHUB_LOG_FORMAT" in result.stderr
