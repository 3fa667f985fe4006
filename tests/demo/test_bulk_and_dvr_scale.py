"""The seed's fast writer (COPY on PostgreSQL, executemany on SQLite) and the generated DVR records."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from ipshub.areakit.bulk import BulkWriter
from ipshub.areakit.scale import Scale
from ipshub.clients.models import Client, Consent, Employer, Job
from ipshub.demo.scale import generate
from ipshub.dvr.models import Authorization, DeliverableReport, Milestone
from ipshub.tenancy.models import Organization, Program
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_bulk_writer_hands_out_ids_fills_defaults_and_counts() -> None:
    world = build_world()
    program = Program.objects.order_by("pk").first()
    assert program is not None
    agency = Organization.objects.get(pk=program.mh_agency_id)
    before = Client.objects.count()
    out = BulkWriter(batch=3)  # a small batch, so rows are written in several COPYs / executemany calls
    clients = out.table(Client, ["agency", "first_name", "last_name", "birth_date"], with_ids=True, label="clients")
    employers = out.table(Employer, ["program", "name"], with_ids=True)
    ids = [clients.add(agency.pk, f"First{n}", "Last", datetime.date(1990, 1, n + 1)) for n in range(7)]
    employer = employers.add(program.pk, "Corner Bakery")
    out.flush()
    assert len(set(ids)) == 7 and ids == sorted(ids)
    written = Client.objects.filter(pk__in=ids).order_by("pk")
    assert [c.first_name for c in written] == [f"First{n}" for n in range(7)]
    assert all(c.created_at is not None and c.record_number == "" for c in written)
    assert Client.objects.count() == before + 7
    assert Employer.objects.get(pk=employer).hiring_needs == ""
    assert out.counts == {"clients": 7, "employers": 1}
    # Ids reserved by the writer are never handed out again by the database.
    again = Client.objects.create(
        agency=agency, first_name="After", last_name="Writer", birth_date=datetime.date(1990, 1, 1)
    )
    assert again.pk > max(ids)
    assert world is not None


def test_generated_dvr_records_are_for_consenting_clients_and_add_up() -> None:
    # A few programs over several years (the county scale's one program is too new for finished services).
    counts = generate(Scale("county", states=1, programs=4, clients=160, years=6), progress=lambda _: None)
    assert counts["DVR authorizations"] == Authorization.objects.count() > 0
    consented = Consent.objects.filter(
        client_id=OuterRef("enrollment__client_id"), organization_id=OuterRef("dvr_office_id")
    )
    assert not Authorization.objects.exclude(Exists(consented)).exists()
    # Accepted reports earned their milestone; nothing is dated in the future.
    today = datetime.date.today()
    accepted = DeliverableReport.objects.filter(status=DeliverableReport.Status.ACCEPTED)
    assert accepted.exists()
    assert Milestone.objects.count() == accepted.count()
    assert not DeliverableReport.objects.filter(completed_on__gt=today).exists()
    assert not Milestone.objects.filter(paid_on__gt=today).exists()
    assert all(m.amount <= m.authorization.amount for m in Milestone.objects.select_related("authorization"))
    # Hire reports carry the client's own job.
    for report in DeliverableReport.objects.filter(authorization__report_kind="hire").select_related("authorization"):
        assert report.job is not None and report.job.enrollment_id == report.authorization.enrollment_id
        assert report.hours_per_week == report.job.hours_per_week
    assert isinstance(Authorization.objects.first().time_frame, dict)  # type: ignore[union-attr]
    assert Job.objects.filter(hourly_wage__gt=Decimal(0)).exists()


def test_seed_prints_its_time_and_peak_memory(capsys) -> None:
    call_command("seed", "--scale", "county")
    out = capsys.readouterr().out
    assert re.search(r"Done in \d+\.\d s, peak memory \(max RSS\) \d+ MB\.", out)
    assert "DVR authorizations" in out
