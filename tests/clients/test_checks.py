"""The checks on the figures that feed outcomes and fidelity (a competitive job at least at the minimum wage,
unusual hours or wages confirmed, dates in a sane range), on the forms, the API and imports; and the forms
reporting every problem at once, in the product's words."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from ipshub.api import import_jobs
from ipshub.api.services import token_create
from ipshub.audit.models import AuditEvent
from ipshub.clients import imports, services
from ipshub.clients.models import Job, JobChange
from ipshub.lib import tables
from ipshub.tenancy.models import MinimumWage
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World


def _job_kwargs(**changes) -> dict:
    values = {
        "title": "Dishwasher",
        "job_type": "food",
        "hours_per_week": Decimal("20"),
        "hourly_wage": Decimal("2.00"),
        "started_on": days_ago(10),
        "is_competitive": True,
    }
    return values | changes


@pytest.fixture
def rates(world: World) -> tuple[datetime.date, datetime.date]:
    """State A's own minimum wage: $10.00 from 40 days ago, $12.00 from 20 days ago."""
    older, newer = days_ago(40), days_ago(20)
    MinimumWage.objects.create(state=world.state_a, hourly_rate=Decimal("10.00"), effective_from=older)
    MinimumWage.objects.create(state=world.state_a, hourly_rate=Decimal("12.00"), effective_from=newer)
    return older, newer


def _api(person) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=person, person=person, name='checks')[1]}")
    return client


def test_a_competitive_job_pays_at_least_the_minimum_wage_of_its_start_date(world: World, rates) -> None:
    enrollment, bakery = enroll(world), employer(world)
    start = {"actor": world.specialist, "enrollment": enrollment, "employer": bakery}
    with pytest.raises(ValidationError) as caught:
        services.job_start(**start, **_job_kwargs(hourly_wage=Decimal("11.99")))
    on = days_ago(10)
    assert caught.value.message_dict["is_competitive"] == [
        f"Below State A's minimum wage of $12.00 in force on {on:%B} {on.day}, {on.year}: a competitive job pays "
        "at least the minimum wage. Uncheck competitive or correct the wage."
    ]
    assert not Job.objects.exists()
    # At the rate, and above it: saved. Below it but not competitive: saved (and counted as not competitive).
    services.job_start(**start, **_job_kwargs(hourly_wage=Decimal("12.00")))
    services.job_start(**start, **_job_kwargs(title="Baker", hourly_wage=Decimal("12.01")))
    services.job_start(**start, **_job_kwargs(title="Trainee", is_competitive=False))
    # Across the effective date: $11 was enough under the older rate, not under the newer one.
    services.job_start(**start, **_job_kwargs(title="Porter", hourly_wage=Decimal("11"), started_on=days_ago(25)))
    with pytest.raises(ValidationError):
        services.job_start(**start, **_job_kwargs(title="Porter", hourly_wage=Decimal("11"), started_on=days_ago(20)))
    # Before any state rate, the federal one: $7.25.
    services.job_start(**start, **_job_kwargs(title="Cook", hourly_wage=Decimal("7.25"), started_on=days_ago(50)))
    with pytest.raises(ValidationError) as caught:
        services.job_start(**start, **_job_kwargs(title="Cook", hourly_wage=Decimal("7.24"), started_on=days_ago(50)))
    assert "the federal minimum wage of $7.25" in caught.value.message_dict["is_competitive"][0]
    assert Job.objects.count() == 5


def test_a_pay_cut_below_the_minimum_wage_is_refused_unless_the_job_is_no_longer_competitive(world, rates) -> None:
    job = start_job(world.specialist, enroll(world), employer(world), started=15)
    change = {"actor": world.specialist, "job": job, "changed_on": days_ago(1), "title": "Baker"}
    with pytest.raises(ValidationError) as caught:
        services.job_change(**change, hours_per_week=Decimal("20"), hourly_wage=Decimal("9.00"))
    assert "Below State A's minimum wage of $12.00" in caught.value.message_dict["is_competitive"][0]
    services.job_change(**change, hours_per_week=Decimal("20"), hourly_wage=Decimal("9.00"), is_competitive=False)
    job.refresh_from_db()
    assert not job.is_competitive and JobChange.objects.get().is_competitive is False


def test_unusual_hours_or_wages_are_saved_only_when_confirmed(world: World) -> None:
    enrollment, bakery = enroll(world), employer(world)
    start = {"actor": world.specialist, "enrollment": enrollment, "employer": bakery}
    for hours, wage, field in (
        ("72", "15", "hours_per_week"),
        ("0.5", "15", "hours_per_week"),
        ("20", "150", "hourly_wage"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.job_start(**start, **_job_kwargs(hours_per_week=Decimal(hours), hourly_wage=Decimal(wage)))
        assert set(caught.value.message_dict) == {field, "confirm_implausible"}
    job = services.job_start(
        **start, **_job_kwargs(hours_per_week=Decimal("72"), hourly_wage=Decimal("15"), confirm_implausible=True)
    )
    assert job.hours_per_week == Decimal("72")
    assert services.job_start(
        **start, **_job_kwargs(title="Clerk", hours_per_week=Decimal("60"), hourly_wage=Decimal("100"))
    )


def test_dates_outside_a_sane_range_are_refused_with_the_field_named(world: World) -> None:
    enrollment = enroll(world)
    with pytest.raises(ValidationError) as caught:
        services.support_contact_log(
            actor=world.specialist, enrollment=enrollment, contacted_on=days_ago(-1), kind="phone", setting="office"
        )
    assert "contact date can't be in the future" in caught.value.message_dict["contacted_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.education_add(
            actor=world.specialist,
            enrollment=enrollment,
            course="Welding",
            institution="College",
            started_on=datetime.date(1989, 9, 1),
            ended_on=days_ago(-400),
        )
    assert "before January 1, 1990" in caught.value.message_dict["started_on"][0]
    assert "can't be after" in caught.value.message_dict["ended_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.employer_contact_log(
            actor=world.specialist,
            program=world.programs["p1"],
            contacted_on=days_ago(-2),
            purpose="learn",
            new_employer_name="",
        )
    # Both problems at once: the date and the missing employer.
    assert set(caught.value.message_dict) == {"contacted_on", "employer"}


def _client_url(name: str, enrollment, *args) -> str:
    return reverse(f"clients:{name}", args=[enrollment.pk, *args])


def test_the_job_form_says_why_and_asks_to_confirm_unusual_figures(world: World, client_for, rates) -> None:
    enrollment = enroll(world)
    bakery = employer(world)
    client = client_for(world.specialist)
    url = _client_url("job_start", enrollment)
    page = client.get(url).content.decode()
    assert "State A&#x27;s minimum wage is $12.00 an hour" in page
    assert "confirm_implausible" not in page  # the box is offered only when the figures are unusual
    form = {
        "employer": bakery.pk,
        "title": "Dishwasher",
        "job_type": "food",
        "started_on": days_ago(5).isoformat(),
        "hours_per_week": "72",
        "hourly_wage": "2.00",
        "is_competitive": "on",
        "disclosure": "none",
    }
    response = client.post(url, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Below State A&#x27;s minimum wage of $12.00" in html and "Uncheck competitive or correct the wage" in html
    assert "72 hours a week is more than 60" in html
    assert 'name="confirm_implausible"' in html and "Yes, these figures are right" in html
    assert 'value="Dishwasher"' in html  # what was typed is kept
    response = client.post(url, form | {"hourly_wage": "15.00", "confirm_implausible": "on"})
    assert response.status_code == 302 and Job.objects.get().hours_per_week == Decimal("72")


def test_the_job_ending_form_shows_every_problem_at_once(world: World, client_for) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world), started=20)
    response = client_for(world.specialist).post(
        _client_url("job_end", enrollment, job.pk), {"ended_on": days_ago(25).isoformat(), "end_reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct 2 problems" in html
    assert "Choose why the job ended." in html and "A job can&#x27;t end before it starts" in html


def test_forms_speak_the_products_words(world: World, client_for) -> None:
    enrollment = enroll(world)
    response = client_for(world.specialist).post(
        _client_url("support_add", enrollment), {"contacted_on": "31/02/2026", "kind": "fax", "setting": "community"}
    )
    html = response.content.decode()
    assert "Enter a real date, e.g. 2026-03-14" in html and "Choose one of the options in the list." in html
    assert "Enter a valid date" not in html and "Select a valid choice" not in html


def test_the_referral_form_preselects_the_only_program_and_links_a_duplicate_only_where_it_may(
    world: World, client_for
) -> None:
    page = client_for(world.case_manager).get(reverse("clients:refer")).content.decode()
    assert "---------" not in page and f'value="{world.programs["p1"].pk}" selected' in page
    existing = enroll(world, first="Ada", last="Byron", specialist=None, supervisor=None)
    form = {
        "program": world.programs["p1"].pk,
        "first_name": "Ada",
        "last_name": "Byron",
        "birth_date": "1990-05-17",
        "referral_date": days_ago(1).isoformat(),
        "referral_source": "self",
    }
    # The case manager sees the agency's clients: the warning links the existing record, and that is recorded.
    html = client_for(world.case_manager).post(reverse("clients:refer"), form).content.decode()
    assert reverse("clients:detail", args=[existing.pk]) in html and "already on a caseload you can see" in html
    assert AuditEvent.objects.filter(action="client.list_duplicates", actor=world.case_manager).exists()
    # The specialist may refer but not see an unassigned client: no link, no name.
    html = client_for(world.specialist).post(reverse("clients:refer"), form).content.decode()
    assert reverse("clients:detail", args=[existing.pk]) not in html
    assert "A possible duplicate exists in your agency" in html


def test_the_employer_contact_form_from_a_client_is_about_their_job_search(world: World, client_for) -> None:
    enrollment = enroll(world)
    page = client_for(world.specialist).get(reverse("clients:contact_add") + f"?enrollment={enrollment.pk}")
    html = page.content.decode()
    assert '<option value="client" selected>' in html
    assert 'class="ipshub-checkbox__row"' in html and 'for="id_face_to_face"' in html
    general = client_for(world.specialist).get(reverse("clients:contact_add")).content.decode()
    assert '<option value="introduce" selected>' in general or '<option value="client" selected>' not in general


def test_the_api_refuses_with_a_400_naming_the_field(world: World, rates) -> None:
    enrollment = enroll(world)
    bakery = employer(world)
    client = _api(world.specialist)
    url = f"/api/v1/clients/{enrollment.pk}/jobs/"
    body = {
        "employer": bakery.pk,
        "title": "Dishwasher",
        "job_type": "food",
        "started_on": days_ago(5).isoformat(),
        "hours_per_week": "72",
        "hourly_wage": "2.00",
    }
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {
        "is_competitive",
        "hours_per_week",
        "confirm_implausible",
    }
    assert "Below State A's minimum wage of $12.00" in error["fields"]["is_competitive"][0]
    created = client.post(url, body | {"hourly_wage": "15.00", "confirm_implausible": True}, format="json")
    assert created.status_code == 201, created.content
    job_id = created.json()["id"]
    cut = client.post(
        f"/api/v1/jobs/{job_id}/change/",
        {
            "changed_on": days_ago(1).isoformat(),
            "hours_per_week": "72",
            "hourly_wage": "5",
            "confirm_implausible": True,
        },
        format="json",
    )
    assert cut.status_code == 400 and set(cut.json()["error"]["fields"]) == {"is_competitive"}
    ok = client.post(
        f"/api/v1/jobs/{job_id}/change/",
        {"changed_on": days_ago(1).isoformat(), "hours_per_week": "30", "hourly_wage": "16"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["hourly_wage"] == "16.00"
    assert (
        _api(world.other_agency_specialist).post(f"/api/v1/jobs/{job_id}/change/", {}, format="json").status_code == 404
    )


def test_an_imported_job_below_the_minimum_or_dated_1985_is_a_bad_row(world: World, rates) -> None:
    enrollment = enroll(world)
    enrollment.client.record_number = "R-1"
    enrollment.client.save()
    header = list(imports.COLUMNS["jobs"])
    good = {"client_record_number": "R-1", "employer": "Cedar Bakery", "title": "Baker", "job_type": "food"}
    rows = [
        good | {"hours_per_week": "20", "hourly_wage": "3.00", "started_on": days_ago(5).isoformat()},
        good | {"hours_per_week": "20", "hourly_wage": "15", "started_on": "1985-06-01", "title": "Old"},
        good | {"hours_per_week": "80", "hourly_wage": "15", "started_on": days_ago(5).isoformat(), "title": "Long"},
        good
        | {"hours_per_week": "80", "hourly_wage": "15", "started_on": days_ago(5).isoformat(), "title": "Sure"}
        | {"confirm_implausible": "true"},
    ]
    table = tables.ReadTable(header=header, rows=[{c: r.get(c, "") for c in header} for r in rows])
    result = imports.import_file(
        actor=world.specialist,
        program=world.programs["p1"],
        kind="jobs",
        table=table,
        mode="good",
        clean=import_jobs.row_cleaner(world.specialist),
    )
    by_row = {(e.row, e.column) for e in result.errors}
    assert (2, "is_competitive") in by_row and (3, "started_on") in by_row and (4, "hours_per_week") in by_row
    assert result.created == 1 and Job.objects.get().title == "Sure"


def test_the_change_form_refuses_a_competitive_pay_cut_and_takes_it_unticked(world: World, client_for, rates) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world), started=15)
    client = client_for(world.specialist)
    url = _client_url("job_change", enrollment, job.pk)
    assert re.search(r'<input[^>]*name="is_competitive"[^>]*checked', client.get(url).content.decode())
    form = {
        "changed_on": days_ago(1).isoformat(),
        "title": "Baker",
        "hours_per_week": "20",
        "hourly_wage": "9.00",
        "is_competitive": "on",
        "version": job.version,
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "Uncheck competitive or correct the wage" in refused.content.decode()
    del form["is_competitive"]
    assert client.post(url, form).status_code == 302
    job.refresh_from_db()
    assert not job.is_competitive and job.hourly_wage == Decimal("9.00")
