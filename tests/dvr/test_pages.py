"""DVR pages through the test client: forms, bad input, exports, query counts, the demo."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ipshub.dvr import access, services
from ipshub.dvr.models import Authorization, BillableUnit, DeliverableReport, Milestone
from ipshub.dvr.reminders import due_items
from ipshub.tenancy.models import Person
from tests.clients.factories import days_ago, enroll
from tests.dvr.factories import authorize, hired, report_data, shared_client

pytestmark = pytest.mark.django_db


def test_counselor_authorizes_through_the_form(world, client_for) -> None:
    enrollment = shared_client(world)
    c = client_for(world.people["counselor"])
    url = reverse("dvr:authorize", kwargs={"enrollment_id": enrollment.pk})
    assert c.get(url).status_code == 200
    form = {
        "service_code": "placement",
        "dvr_office": world.orgs["dvr1"].pk,
        "starts_on": days_ago(0).isoformat(),
        "ends_on": days_ago(1).isoformat(),
        "units": "10",
        "amount": "1500",
    }
    response = c.post(url, form)
    assert response.status_code == 400
    assert "on or after the start" in response.content.decode()
    assert not Authorization.objects.exists()
    response = c.post(url, {**form, "ends_on": days_ago(-90).isoformat()})
    assert response.status_code == 302
    assert Authorization.objects.get().service_name == "Placement and hire"


def test_the_client_page_links_to_authorize_for_dvr_staff_of_a_consented_office_only(world, client_for) -> None:
    enrollment = shared_client(world)
    authorize_url = reverse("dvr:authorize", kwargs={"enrollment_id": enrollment.pk})
    record = reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk})
    page = client_for(world.people["counselor"]).get(record).content.decode()
    assert f'href="{authorize_url}"' in page and "Authorize a DVR service" in page
    # The IPS unit sees the whole record but can't authorize DVR services: no link.
    for name in ("specialist", "supervisor"):
        assert authorize_url not in client_for(world.people[name]).get(record).content.decode()
    # Without consent to their office, DVR staff don't get the client at all.
    unconsented = enroll(world)
    assert (
        client_for(world.people["counselor"])
        .get(reverse("clients:detail", kwargs={"enrollment_id": unconsented.pk}))
        .status_code
        == 404
    )


def test_report_form_is_prefilled_from_the_job_and_refuses_units_beyond(world, client_for) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    a = authorize(world, enrollment, units="5")
    c = client_for(world.people["specialist"])
    url = reverse("dvr:report", kwargs={"authorization_id": a.pk})
    page = c.get(url).content.decode()
    assert 'value="Cedar Bakery"' in page and 'value="16.50"' in page and 'value="20.0"' in page
    data = {k: v for k, v in report_data(a, units_used=Decimal("6")).items() if v is not None}
    response = c.post(url, data)
    assert response.status_code == 400
    assert "more than the 5.00 authorized" in response.content.decode()
    assert 'value="Cedar Bakery"' in response.content.decode()
    assert not DeliverableReport.objects.exists()
    response = c.post(url, {**data, "units_used": "5"})
    assert response.status_code == 302


def test_review_return_needs_comments_and_accept_earns(world, client_for) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    a = authorize(world, enrollment)
    services.report_submit(actor=world.people["specialist"], authorization=a, data=report_data(a))
    c = client_for(world.people["counselor"])
    url = reverse("dvr:review", kwargs={"authorization_id": a.pk})
    response = c.post(url, {"decision": "return", "comments": ""})
    assert response.status_code == 400 and "Say what needs correcting" in response.content.decode()
    assert c.post(url, {"decision": "accept"}).status_code == 302
    assert Milestone.objects.get().amount == Decimal("1800.00")
    detail = c.get(reverse("dvr:authorization_detail", kwargs={"authorization_id": a.pk})).content.decode()
    assert "Earned $1800.00" in detail
    paid = c.post(reverse("dvr:paid", kwargs={"authorization_id": a.pk}), {"paid_on": days_ago(0).isoformat()})
    assert paid.status_code == 302
    assert Milestone.objects.get().paid_on == days_ago(0)


def _many(world, n: int) -> None:
    for _ in range(n):
        enrollment = shared_client(world)
        hired(world, enrollment)
        a = authorize(world, enrollment)
        services.report_submit(actor=world.people["specialist"], authorization=a, data=report_data(a))
        services.report_review(actor=world.people["counselor"], authorization=a, accept=True, comments="")
        authorize(world, enrollment, service="career_profile")
        services.billable_unit_create(
            actor=world.people["specialist"],
            enrollment=enrollment,
            service_on=days_ago(0),
            minutes=40,
            service_code="h2023",
            funding_source="medicaid",
        )


@pytest.mark.parametrize("name", ["counselor", "supervisor"])
def test_list_and_money_pages_run_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, name) -> None:
    person = world.people[name]
    c = client_for(person)
    program = world.programs["p1"].pk
    urls = [
        reverse("dvr:authorization_list") + "?status=all",
        reverse("dvr:money_program", kwargs={"program_id": program}),
    ]
    if name == "supervisor":
        urls.append(reverse("dvr:billing", kwargs={"program_id": program}))
    _many(world, 1)
    counts = {}
    for url in urls:
        c.get(url)  # warm the session and catalog
        with CaptureQueriesContext(connection) as captured:
            assert c.get(url).status_code == 200
        counts[url] = len(captured)
    _many(world, 3)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert c.get(url).status_code == 200


def test_money_exports(world, client_for) -> None:
    _many(world, 2)
    c = client_for(world.people["admin"])
    url = reverse("dvr:money_state", kwargs={"state_id": world.state_a.pk})
    rows = list(csv.reader(io.StringIO(c.get(url + "?format=csv").content.decode())))
    assert rows[0] == ["Service", "Quarter", "Authorized", "Earned", "Paid"]
    assert rows[-1][:1] == ["All services"]
    assert Decimal(rows[-1][2]) == Decimal("8000.00")  # two placements and two career profiles at 2000
    assert Decimal(rows[-1][3]) == Decimal("3600.00")
    book = load_workbook(io.BytesIO(c.get(url + "?format=xlsx").content))
    sheet = book.active
    assert sheet is not None and sheet.cell(1, 3).value == "Authorized"


def test_billing_export_per_month_and_bad_month(world, client_for) -> None:
    _many(world, 2)
    assert BillableUnit.objects.get(pk=BillableUnit.objects.first().pk).units == 3
    c = client_for(world.people["supervisor"])
    url = reverse("dvr:billing", kwargs={"program_id": world.programs["p1"].pk})
    month = datetime.date.today().strftime("%Y-%m")
    rows = list(csv.reader(io.StringIO(c.get(f"{url}?month={month}&format=csv").content.decode())))
    assert len(rows) == 3 and rows[1][5] == "H2023" and rows[1][8] == "Medicaid"
    bad = c.get(f"{url}?month=May")
    assert bad.status_code == 400 and "is not a month" in bad.content.decode()
    assert "Medicaid" in c.get(url).content.decode()
    assert client_for(world.people["counselor"]).get(url).status_code == 404


def test_billable_unit_form(world, client_for) -> None:
    enrollment = shared_client(world)
    url = reverse("dvr:billable_unit_create", kwargs={"enrollment_id": enrollment.pk})
    c = client_for(world.people["specialist"])
    response = c.post(
        url,
        {
            "service_on": days_ago(-3).isoformat(),
            "minutes": "30",
            "service_code": "H2023",
            "funding_source": "medicaid",
        },
    )
    assert response.status_code == 400 and "be in the future" in response.content.decode()
    assert not BillableUnit.objects.exists()
    assert client_for(world.people["counselor"]).get(url).status_code == 403


def test_due_items_for_both_sides(world) -> None:
    enrollment = shared_client(world)
    authorize(world, enrollment, service="career_profile", started=40)
    items = due_items(world.people["specialist"], datetime.date.today())
    assert len(items) == 1 and items[0].is_overdue(datetime.date.today())
    assert items[0].due_on == days_ago(10)
    assert due_items(world.people["counselor"], datetime.date.today())[0].title.startswith("Authorization ends")
    assert due_items(world.people["other_agency_director"], datetime.date.today()) == []


def test_the_demo_has_authorizations_for_the_counselor(demo: None) -> None:
    counselor = Person.objects.get(username="counselor")
    specialist = Person.objects.get(username="specialist")
    visible = access.authorizations_visible_to(counselor)
    assert visible.count() >= 4
    assert Milestone.objects.filter(paid_on__isnull=False).exists()
    assert DeliverableReport.objects.filter(status="submitted").exists()
    for person in (counselor, specialist, Person.objects.get(username="supervisor")):
        c = HttpClient()
        c.force_login(person)
        assert c.get(reverse("home")).status_code == 200
        assert c.get(reverse("dvr:authorization_list")).status_code == 200
