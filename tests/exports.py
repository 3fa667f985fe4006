"""Reading exported CSV and XLSX files back, and the checks every export must pass (issue #20): no cell is a
formula, text that a spreadsheet would run starts with a quote, and number and date columns are typed."""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

import openpyxl
from django.http import HttpResponse

from ipshub.clients.models import Enrollment
from tests.world import World

# What people can type into a name or a note to attack whoever opens the export in a spreadsheet.
PLANTED = ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(1)", "\tx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(response: HttpResponse) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment; filename")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def xlsx_sheets(response: HttpResponse) -> dict[str, list[list[openpyxl.cell.cell.Cell]]]:
    """Each sheet's rows of cells, read as a spreadsheet would (formulas kept as formulas, not computed)."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment; filename")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in book.worksheets}


def _columns(header: list[str], names: Iterable[str]) -> list[int]:
    indexes = [header.index(name) for name in names]  # a ValueError names a column the export lacks
    return indexes


def check_csv(
    rows: list[list[str]], *, planted: Iterable[str] = (), numbers: Iterable[str] = (), dates: Iterable[str] = ()
) -> None:
    """No cell starts like a formula; each `planted` column holds at least one neutralised text (so the planted
    values did reach the file); `numbers` parse as numbers and `dates` as ISO dates wherever filled in."""
    header, body = rows[0], rows[1:]
    assert body, "the export has no rows: nothing was checked"
    for row in body:
        for value in row:
            assert not value.startswith(FORMULA_STARTS), (value, row)
    for index in _columns(header, planted):
        assert any(row[index].startswith("'") for row in body), (header[index], [r[index] for r in body])
    for index in _columns(header, numbers):
        filled = [row[index] for row in body if row[index]]
        assert filled, header[index]
        for value in filled:
            float(value)
    for index in _columns(header, dates):
        for value in (row[index] for row in body if row[index]):
            datetime.date.fromisoformat(value[:10])


def neutralised_texts(rows: list[list[str]]) -> set[str]:
    """The neutralised texts of a CSV, without their quote: a test compares them with what it planted."""
    return {value[1:] for row in rows[1:] for value in row if value.startswith("'")}


def check_xlsx(
    rows: list[list[openpyxl.cell.cell.Cell]],
    *,
    planted: Iterable[str] = (),
    numbers: Iterable[str] = (),
    dates: Iterable[str] = (),
) -> None:
    """As check_csv, for a sheet: besides, no cell is stored as a formula, numbers are number cells and dates
    date cells."""
    header, body = [str(c.value) for c in rows[0]], rows[1:]
    assert body, "the sheet has no rows: nothing was checked"
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
    for index in _columns(header, planted):
        assert any(str(row[index].value or "").startswith("'") for row in body), header[index]
    for index in _columns(header, numbers):
        filled = [row[index].value for row in body if row[index].value not in (None, "")]
        assert filled, header[index]
        for value in filled:
            assert isinstance(value, int | float) and not isinstance(value, bool), (header[index], value)
    for index in _columns(header, dates):
        filled = [row[index].value for row in body if row[index].value not in (None, "")]
        assert filled, header[index]
        for value in filled:
            assert isinstance(value, datetime.datetime), (header[index], value)


def plant_clients(world: World, program: str = "p1") -> list[Enrollment]:
    """A client per planted value, with the value in every text field a person can type: names, record number,
    phone, note; an employer named with it, a contact and a job (title, end note) with it too. Written through
    the services, so only what they accept reaches the exports."""
    from ipshub.clients import services
    from tests.clients.factories import days_ago

    enrollments = []
    for value in PLANTED:
        enrollment = services.referral_create(
            actor=world.people["case_manager"],
            program=world.programs[program],
            first_name=value,
            last_name=value,
            preferred_name=value,
            record_number=value,
            phone=value,
            email="=1+1@example.com",  # a valid address can start with = or + or -
            referral_note=value,
            birth_date=datetime.date(1990, 5, 17),
            referral_date=days_ago(60),
            referral_source="case_manager",
            not_duplicate=True,
        )
        services.enrollment_assign(
            actor=world.people["supervisor"], enrollment=enrollment, specialist=world.people["specialist"]
        )
        employer = services.employer_create(
            actor=world.people["supervisor"], program=world.programs[program], name=value
        )
        services.employer_contact_log(
            actor=world.people["supervisor"],
            program=world.programs[program],
            contacted_on=days_ago(5),
            purpose="client",
            employer=employer,
            enrollment=enrollment,
            outcome=value,
        )
        job = services.job_start(
            actor=world.people["specialist"],
            enrollment=enrollment,
            employer=employer,
            title=value,
            job_type="food",
            hours_per_week=Decimal("20.5"),
            hourly_wage=Decimal("16.50"),
            started_on=days_ago(30),
        )
        services.job_end(
            actor=world.people["specialist"], job=job, ended_on=days_ago(2), end_reason="quit", end_note=value
        )
        enrollments.append(enrollment)
    return enrollments


def plant_program_names(world: World) -> list[str]:
    """P1 and P2 renamed after planted values, with planted regions and funding sources (through the service,
    which trims the tab off a name); the names given."""
    from ipshub.tenancy import services

    planted = {"p1": PLANTED[:3], "p2": PLANTED[2:]}
    for key, (name, region, funding) in planted.items():
        program = world.programs[key]
        services.program_update(
            actor=world.state_lead,
            program=program,
            name=name,
            mh_agency=program.mh_agency,
            employment_provider=program.employment_provider,
            dvr_offices=list(program.dvr_offices.all()),
            trainer=program.trainer,
            region=region,
            funding_source=funding,
        )
    return [name for name, _, _ in planted.values()]
