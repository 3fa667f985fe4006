"""`ipshub bench` is measured by running it; here only its parts that must stay correct are tested."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from ipshub.areakit.scale import Scale
from ipshub.demo.bench_pages import bench_pages
from ipshub.demo.scale import SCALES, generate

pytestmark = pytest.mark.django_db


def test_bench_worker_reports_every_page_with_its_queries(capsys) -> None:
    generate(SCALES["county"], progress=lambda _: None)
    call_command("bench_worker")
    pages = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [p["name"] for p in pages] == [p.name for p in bench_pages()]
    assert all(p["status"] == 200 and p["queries"] > 0 and p["headers"] for p in pages)
    assert any(p["name"].startswith("API ") and "Authorization" in p["headers"] for p in pages)


def test_bench_refuses_unknown_scales() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown scale"):
        call_command("bench", "--scales", "galactic")


def _query_counts(scale: Scale, capsys) -> dict[str, int]:
    with transaction.atomic():
        generate(scale, progress=lambda _: None)
        capsys.readouterr()
        call_command("bench_worker")
        pages = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        transaction.set_rollback(True)
    assert all(p["status"] == 200 for p in pages), pages
    return {p["name"]: p["queries"] for p in pages}


def test_every_key_page_runs_the_same_queries_whatever_the_data_size(capsys) -> None:
    # Enough clients that each person's pages show some client on both (a disclosure is recorded, one more write,
    # only when a client is shown).
    small = _query_counts(Scale("county", states=1, programs=2, clients=60, years=3), capsys)
    large = _query_counts(Scale("county", states=1, programs=3, clients=240, years=6), capsys)
    assert small == large
