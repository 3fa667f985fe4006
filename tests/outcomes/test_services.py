"""The submission workflow, goals, benchmarks, uploads and recompute, through the service functions."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from ipshub.areakit.hooks import Hooks
from ipshub.areakit.records import ClientHistory, JobSpan, Span
from ipshub.audit.models import AuditEvent
from ipshub.outcomes import selectors, services, sources
from ipshub.outcomes.models import Benchmark, QuarterlyReport, Source, Status
from tests.area_hooks import CLIENTS, with_hooks

pytestmark = pytest.mark.django_db
CODE = "worked_over_served"


def save(world, actor=None, **figures):  # type: ignore[no-untyped-def]
    figures = {"served": 40, "worked": 16, **figures}
    return services.report_save(
        actor=actor or world.supervisor,
        program=world.programs["p1"],
        year=2025,
        quarter=1,
        definition_code=CODE,
        figures=figures,
    )


def test_submit_return_correct_accept_and_correction(world) -> None:
    report = save(world)
    assert report.status == Status.DRAFT and report.due_on == datetime.date(2025, 4, 30)
    services.report_submit(actor=world.supervisor, report=report)
    with pytest.raises(ValidationError, match="waiting for the state team"):
        save(world)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=world.supervisor, report=report)
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=world.state_lead, report=report, comment="  ")
    assert "comment" in exc.value.error_dict
    services.report_return(actor=world.state_lead, report=report, comment="Worked looks high.")
    report = services.report_update(actor=world.supervisor, report=report, figures={"served": 40, "worked": 14})
    services.report_submit(actor=world.supervisor, report=report)
    services.report_accept(actor=world.state_lead, report=report)
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED and report.worked == 14
    with pytest.raises(ValidationError, match="accepted and is locked"):
        save(world)
    with pytest.raises(ValidationError):
        services.report_update(actor=world.supervisor, report=report, figures={"served": 1, "worked": 1})
    with pytest.raises(ValidationError) as exc:
        services.report_correct(actor=world.supervisor, report=report, reason="", figures={"served": 40, "worked": 15})
    assert "reason" in exc.value.error_dict
    correction = services.report_correct(
        actor=world.supervisor,
        report=report,
        reason="A late job start was found.",
        figures={"served": 40, "worked": 15},
    )
    report.refresh_from_db()
    assert (correction.version, correction.status, correction.is_current) == (2, Status.DRAFT, True)
    assert report.is_current is False and report.status == Status.ACCEPTED and report.worked == 14
    assert correction.submitted_at == report.submitted_at  # the correction is not "late"
    assert [e.action for e in report.events.all()] == ["create", "submit", "return", "update", "submit", "accept"]
    assert AuditEvent.objects.filter(action="outcome_report.correct", object_id=str(correction.pk)).exists()


def test_figures_are_checked_with_messages_per_field(world) -> None:
    with pytest.raises(ValidationError) as exc:
        save(world, served=10, worked=12)
    assert "can't be more than served" in exc.value.error_dict["worked"][0].message
    with pytest.raises(ValidationError) as exc:
        save(world, new_clients=2, new_with_contact_30d=3, avg_weekly_hours="90")
    assert set(exc.value.error_dict) == {"avg_weekly_hours"}
    with pytest.raises(ValidationError) as exc:
        save(world, served=-1)
    assert "served" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.report_save(
            actor=world.supervisor,
            program=world.programs["p1"],
            year=2025,
            quarter=5,
            definition_code="nope",
            figures={},
        )
    assert set(exc.value.error_dict) == {"quarter", "definition_code"}


def test_who_may_write_and_review(world) -> None:
    for name in ("specialist", "counselor", "case_manager", "trainer", "other_agency_director"):
        with pytest.raises(PermissionDenied):
            save(world, actor=world.people[name])
    assert save(world, actor=world.director).pk
    report = save(world, actor=world.admin)
    services.report_submit(actor=world.admin, report=report)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=world.other_state_lead, report=report)
    services.report_accept(actor=world.admin, report=report)


def test_saving_the_same_quarter_again_replaces_the_draft(world) -> None:
    save(world)
    save(world, served=50, worked=20)
    reports = QuarterlyReport.objects.filter(program=world.programs["p1"])
    assert reports.count() == 1 and reports.get().served == 50


def test_goals_and_benchmarks(world) -> None:
    p1 = world.programs["p1"]
    services.goal_set(
        actor=world.supervisor, program=p1, year=2025, quarter=0, metric="employment_rate", target=Decimal(45)
    )
    goal = services.goal_set(
        actor=world.supervisor, program=p1, year=2025, quarter=0, metric="employment_rate", target=Decimal(41)
    )
    assert p1.outcome_goals.count() == 1 and goal.target == Decimal(41)
    with pytest.raises(ValidationError):
        services.goal_set(
            actor=world.supervisor, program=p1, year=2025, quarter=0, metric="employment_rate", target=Decimal(120)
        )
    with pytest.raises(PermissionDenied):
        services.goal_set(
            actor=world.specialist, program=p1, year=2025, quarter=0, metric="job_starts", target=Decimal(5)
        )
    assert selectors.benchmarks_for(world.state_a, CODE) == {"minimal": 31, "average": 41, "excellent": 50}
    with pytest.raises(ValidationError, match="must rise"):
        services.benchmarks_set(
            actor=world.state_lead,
            state=world.state_a,
            definition_code=CODE,
            minimal=Decimal(40),
            average=Decimal(35),
            excellent=Decimal(50),
        )
    with pytest.raises(PermissionDenied):
        services.benchmarks_set(
            actor=world.trainer,
            state=world.state_a,
            definition_code=CODE,
            minimal=Decimal(30),
            average=Decimal(40),
            excellent=Decimal(50),
        )
    services.benchmarks_set(
        actor=world.state_lead,
        state=world.state_a,
        definition_code=CODE,
        minimal=Decimal(30),
        average=Decimal(40),
        excellent=Decimal(52),
    )
    assert selectors.benchmarks_for(world.state_a, CODE)["excellent"] == Decimal(52)
    assert selectors.benchmarks_for(world.state_b, CODE)["excellent"] == Decimal(50)
    assert Benchmark.objects.count() == 3
    assert AuditEvent.objects.filter(action="outcome_benchmarks.set").get().detail["before"]["excellent"] == "50"


BAD_CSV = (
    b"year,quarter,definition,served,worked,job_starts,avg_weekly_hours\n"
    b"2025,1,,40,16,3,18.5\n"
    b"2025,5,,40,16,3,\n"
    b"2025,2,,10,12,x,\n"
    b"2025,3,grow,40,16,2,abc\n"
    b"2025,1,,41,16,3,\n"
)


def test_upload_dry_run_lists_every_bad_row_and_column(world) -> None:
    upload = services.upload_check(
        actor=world.supervisor, program=world.programs["p1"], filename="q.csv", content=BAD_CSV
    )
    problems = {(row["line"], e["column"]) for row in upload.rows for e in row["errors"]}
    assert problems == {(3, "quarter"), (4, "job_starts"), (5, "definition"), (5, "avg_weekly_hours"), (6, "quarter")}
    assert QuarterlyReport.objects.count() == 0  # the dry run writes no figures
    with pytest.raises(ValidationError, match="have problems"):
        services.upload_commit(actor=world.supervisor, upload=upload, only_good_rows=False)
    assert QuarterlyReport.objects.count() == 0
    assert services.upload_commit(actor=world.supervisor, upload=upload, only_good_rows=True) == 1
    assert QuarterlyReport.objects.get().served == 40
    with pytest.raises(ValidationError, match="already entered"):
        services.upload_commit(actor=world.supervisor, upload=upload, only_good_rows=True)


def test_the_same_file_twice_does_not_double_count(world) -> None:
    good = b"year,quarter,served,worked\n2025,1,40,16\n2025,2,42,18\n"
    for _ in range(2):
        upload = services.upload_check(
            actor=world.supervisor, program=world.programs["p1"], filename="q.csv", content=good
        )
        services.upload_commit(actor=world.supervisor, upload=upload, only_good_rows=False)
    assert QuarterlyReport.objects.count() == 2
    assert sum(QuarterlyReport.objects.values_list("served", flat=True)) == 82
    # Once submitted, a re-upload of that quarter is refused row by row, not silently changed.
    services.report_submit(actor=world.supervisor, report=QuarterlyReport.objects.get(quarter=1))
    upload = services.upload_check(actor=world.supervisor, program=world.programs["p1"], filename="q.csv", content=good)
    assert [row["line"] for row in upload.bad_rows] == [2]


def test_xlsx_upload_and_unreadable_files(world) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Year", "Quarter", "Served", "Worked"])
    sheet.append([2025, 3, 30, 9])
    out = io.BytesIO()
    book.save(out)
    upload = services.upload_check(
        actor=world.supervisor, program=world.programs["p1"], filename="q.xlsx", content=out.getvalue()
    )
    assert upload.rows[0]["values"]["served"] == 30 and not upload.bad_rows
    for name, content, message in (
        ("q.txt", b"x", "Upload a .csv or .xlsx"),
        ("q.xlsx", b"not a zip", "not a readable Excel"),
        ("q.csv", b"year,served\n2025,3\n", "missing: quarter, worked"),
        ("q.csv", b"", "empty"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.upload_check(actor=world.supervisor, program=world.programs["p1"], filename=name, content=content)


def test_recompute_updates_open_computed_reports_only(world) -> None:
    p1 = world.programs["p1"]
    histories = {
        p1.pk: [
            ClientHistory(1, (Span(datetime.date(2024, 1, 1)),), jobs=(JobSpan(datetime.date(2025, 2, 1)),)),
            ClientHistory(2, (Span(datetime.date(2024, 1, 1)),)),
        ]
    }
    calls = []

    def loader(program_ids, first, last):  # type: ignore[no-untyped-def]
        calls.append((program_ids, first, last))
        return histories

    with with_hooks(Hooks(history_loader=loader), without=(CLIENTS,)):
        report = services.report_compute(actor=world.supervisor, program=p1, year=2025, quarter=1, definition_code=CODE)
        assert (report.source, report.served, report.worked) == (Source.COMPUTED, 2, 1)
        locked = services.report_compute(actor=world.supervisor, program=p1, year=2025, quarter=2, definition_code=CODE)
        services.report_submit(actor=world.supervisor, report=locked)
        services.report_accept(actor=world.state_lead, report=locked)
        histories[p1.pk].append(ClientHistory(3, (Span(datetime.date(2025, 3, 31)),)))
        assert sources.recompute_all(loader) == 1
        report.refresh_from_db()
        locked.refresh_from_db()
        assert report.served == 3 and locked.served == 2
        assert calls[-1] == ([p1.pk], datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    with with_hooks(without=(CLIENTS,)), pytest.raises(ValidationError, match="not switched on"):
        services.report_compute(actor=world.supervisor, program=p1, year=2025, quarter=1, definition_code=CODE)
