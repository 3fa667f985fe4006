"""The caseload: what needs attention (each reason, with data that makes it true and false), sorting and
filtering on the server, the CSV/XLSX export and its audit event, the transfer of several clients at once,
and the outsiders who see and move nothing. Pages and the export run a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ipshub.audit.models import AuditEvent
from ipshub.clients import caseload, services, transfers
from ipshub.clients.models import Enrollment, EnrollmentEvent
from ipshub.tenancy.models import Membership, Person
from ipshub.tenancy.roles import Role
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return datetime.date.today()


def _reasons(enrollment: Enrollment) -> set[str]:
    row = caseload.annotated(Enrollment.objects.filter(pk=enrollment.pk), _today()).get()
    return {r.key for r in caseload.reasons(row, _today())}


def _contact(world: World, enrollment: Enrollment, days: int, face_to_face: bool = True) -> None:
    services.employer_contact_log(
        actor=world.specialist,
        program=enrollment.program,
        employer=employer(world, name=f"Employer {days} {face_to_face}"),
        enrollment=enrollment,
        contacted_on=days_ago(days),
        purpose="client",
        face_to_face=face_to_face,
    )


def _support(world: World, enrollment: Enrollment, days: int) -> None:
    services.support_contact_log(
        actor=world.specialist, enrollment=enrollment, contacted_on=days_ago(days), kind="phone", setting="office"
    )


def _second_specialist(world: World, username: str = "second", org: str = "provider1") -> Person:
    person = Person.objects.create(username=username, first_name="Sam", last_name=username.title())
    Membership.objects.create(person=person, organization=world.orgs[org], role=Role.EMPLOYMENT_SPECIALIST)
    return person


# --- Needs attention ------------------------------------------------------------------------------


def test_no_contact_in_30_days(world: World) -> None:
    quiet = enroll(world, referred=60)
    assert "no_contact" in _reasons(quiet)
    _support(world, quiet, 40)
    assert "no_contact" in _reasons(quiet)  # a contact, but more than 30 days ago
    _support(world, quiet, 10)
    assert "no_contact" not in _reasons(quiet)
    by_employer = enroll(world, referred=60)
    _contact(world, by_employer, 29, face_to_face=False)  # an employer contact about the client counts too
    assert "no_contact" not in _reasons(by_employer)
    new = enroll(world, referred=20)  # on the caseload less than 30 days: not yet
    assert "no_contact" not in _reasons(new)
    closed = enroll(world, referred=60)
    services.enrollment_close(actor=world.supervisor, enrollment=closed, on=days_ago(1), reason="moved")
    assert _reasons(closed) == set()
    services.enrollment_reopen(actor=world.supervisor, enrollment=closed, on=days_ago(0))
    assert "no_contact" not in _reasons(closed)  # re-opened today: the 30 days start again


def test_a_job_ended_without_help_toward_the_next(world: World) -> None:
    enrollment = enroll(world, referred=100)
    _support(world, enrollment, 1)
    job = start_job(world.specialist, enrollment, employer(world), started=60)
    assert "job_ended" not in _reasons(enrollment)
    services.job_end(actor=world.specialist, job=job, ended_on=days_ago(10), end_reason="quit")
    assert "job_ended" in _reasons(enrollment)
    row = caseload.annotated(Enrollment.objects.filter(pk=enrollment.pk), _today()).get()
    assert f"ended {days_ago(10):%b} {days_ago(10).day}" in str(caseload.reasons(row, _today())[0])
    _support(world, enrollment, 5)  # a support contact is not help toward the next job
    assert "job_ended" in _reasons(enrollment)
    services.job_next_help_record(actor=world.specialist, job=job, on=days_ago(8))
    assert "job_ended" not in _reasons(enrollment)


@pytest.mark.parametrize("help_kind", ["employer_contact", "new_job", "job_search_plan"])
def test_work_toward_the_next_job_clears_the_ended_job(world: World, help_kind: str) -> None:
    enrollment = enroll(world, referred=100)
    job = start_job(world.specialist, enrollment, employer(world), started=60)
    services.job_end(actor=world.specialist, job=job, ended_on=days_ago(10), end_reason="laid_off")
    assert "job_ended" in _reasons(enrollment)
    if help_kind == "employer_contact":
        _contact(world, enrollment, 4, face_to_face=False)
    elif help_kind == "new_job":
        start_job(world.specialist, enrollment, employer(world, name="Corner Cafe"), started=3)
    else:
        services.job_search_plan_save(actor=world.specialist, enrollment=enrollment, goal="Warehouse work")
    assert "job_ended" not in _reasons(enrollment)


def test_an_employer_contact_before_the_job_ended_does_not_count(world: World) -> None:
    enrollment = enroll(world, referred=100)
    _contact(world, enrollment, 30)
    job = start_job(world.specialist, enrollment, employer(world), started=60)
    services.job_end(actor=world.specialist, job=job, ended_on=days_ago(10), end_reason="fired")
    assert "job_ended" in _reasons(enrollment)


def test_no_employer_contact_within_30_days_of_referral(world: World) -> None:
    late = enroll(world, referred=45)
    assert "no_employer_contact" in _reasons(late)
    _contact(world, late, 2, face_to_face=False)  # a phone call is not the face-to-face contact of item 15
    assert "no_employer_contact" in _reasons(late)
    _contact(world, late, 1)
    assert "no_employer_contact" not in _reasons(late)
    early = enroll(world, referred=20)
    assert "no_employer_contact" not in _reasons(early)  # 30 days are not over yet
    working = enroll(world, referred=45)
    start_job(world.specialist, working, employer(world), started=5)
    assert "no_employer_contact" not in _reasons(working)


# --- The page: filters, sort, badges --------------------------------------------------------------


def _names(response) -> list[str]:
    return [row.enrollment.client.first_name for row in response.context["rows"]]


def test_the_caseload_sorts_on_the_server_with_whitelisted_keys(world: World, client_for) -> None:
    a = enroll(world, first="Alma", last="Young", referred=90)
    b = enroll(world, first="Bo", last="Adams", referred=40)
    enroll(world, first="Cy", last="Moss", referred=10)
    _support(world, a, 3)
    _support(world, b, 35)
    page = client_for(world.supervisor)
    url = reverse("clients:caseload")
    assert _names(page.get(url)) == ["Bo", "Cy", "Alma"]  # by last name by default
    assert _names(page.get(url, {"sort": "-name"})) == ["Alma", "Cy", "Bo"]
    # Last contact, longest ago first: never contacted (Cy) counts as the longest ago.
    assert _names(page.get(url, {"sort": "contact"})) == ["Cy", "Bo", "Alma"]
    assert _names(page.get(url, {"sort": "-contact"})) == ["Alma", "Bo", "Cy"]
    assert _names(page.get(url, {"sort": "-attention"}))[0] == "Bo"  # no contact in 30 days + no employer contact
    assert _names(page.get(url, {"sort": "referred"})) == ["Alma", "Bo", "Cy"]
    # Anything not on the list sorts by name (no error, no SQL from the URL).
    assert _names(page.get(url, {"sort": "client__birth_date"})) == ["Bo", "Cy", "Alma"]
    html = page.get(url, {"sort": "-contact"}).content.decode()
    assert 'aria-sort="descending"' in html and html.count("aria-sort=") == 1
    assert "?sort=contact" in html  # the sorted column's link reverses it


def test_the_caseload_filters(world: World, client_for) -> None:
    second = _second_specialist(world)
    enroll(world, first="Seeker", referred=50)
    worker = enroll(world, first="Worker", referred=50)
    start_job(world.specialist, worker, employer(world), started=20)
    _support(world, worker, 2)
    theirs = enroll(world, first="Theirs", referred=5)
    services.enrollment_assign(actor=world.supervisor, enrollment=theirs, specialist=second, reason="Covers the area")
    enroll(world, first="Waiting", specialist=None, referred=3)
    closed = enroll(world, first="Closed", referred=50)
    services.enrollment_close(actor=world.supervisor, enrollment=closed, on=days_ago(1), reason="moved")
    page = client_for(world.supervisor)
    url = reverse("clients:caseload")
    assert set(_names(page.get(url))) == {"Seeker", "Worker", "Theirs", "Waiting"}
    assert set(_names(page.get(url, {"status": "all"}))) == {"Seeker", "Worker", "Theirs", "Waiting", "Closed"}
    assert _names(page.get(url, {"status": "closed"})) == ["Closed"]
    assert _names(page.get(url, {"specialist": second.pk})) == ["Theirs"]
    assert _names(page.get(url, {"specialist": "none"})) == ["Waiting"]
    assert _names(page.get(url, {"working": "yes"})) == ["Worker"]
    assert set(_names(page.get(url, {"working": "no"}))) == {"Seeker", "Theirs", "Waiting"}
    assert _names(page.get(url, {"contact": "week"})) == ["Worker"]
    assert set(_names(page.get(url, {"contact": "never"}))) == {"Seeker", "Theirs", "Waiting"}
    assert _names(page.get(url, {"attention": "any"})) == ["Seeker"]
    assert _names(page.get(url, {"attention": "no_employer_contact"})) == ["Seeker"]
    assert _names(page.get(url, {"attention": "job_ended"})) == []
    # Unknown values are the defaults, never an error.
    assert page.get(url, {"status": "bogus", "contact": "x", "specialist": "1 OR 1=1"}).status_code == 200
    # The badge names the reason and the fact behind it.
    html = page.get(url, {"attention": "any"}).content.decode()
    assert "No employer contact within 30 days of referral" in html and "referred 50 days ago" in html


def test_the_search_form_keeps_the_filters_and_the_name_stays_out_of_the_url(world: World, client_for) -> None:
    enroll(world, first="Zora", last="Quill")
    enroll(world, first="Other")
    page = client_for(world.supervisor)
    search = {"q": "quill", "status": "open", "sort": "-name", "working": "no"}
    response = page.post(reverse("clients:caseload"), search)
    assert response.status_code == 302
    location = response["Location"]
    assert "quill" not in location.lower() and "sort=-name" in location and "working=no" in location
    assert _names(page.get(location)) == ["Zora"]


def test_a_specialist_sees_only_their_own_caseload_without_the_specialist_filter(world: World, client_for) -> None:
    second = _second_specialist(world)
    enroll(world, first="Mine")
    theirs = enroll(world, first="Theirs", specialist=None)
    services.enrollment_assign(actor=world.supervisor, enrollment=theirs, specialist=second)
    response = client_for(world.specialist).get(reverse("clients:caseload"))
    assert _names(response) == ["Mine"]
    html = response.content.decode()
    assert 'id="caseload-specialist"' not in html and "Transfer the chosen clients" not in html


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_is_the_filtered_sorted_caseload_and_is_audited(world: World, client_for) -> None:
    quiet = enroll(world, first="=HYPERLINK(1)", last="Able", referred=50)
    seen = enroll(world, first="Seen", last="Baker", referred=50)
    _support(world, seen, 2)
    _contact(world, seen, 3)
    page = client_for(world.supervisor)
    response = page.get(reverse("clients:caseload_export"), {"format": "csv", "sort": "-name"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(caseload.EXPORT_HEADER)
    assert [r[1] for r in rows[1:]] == ["Baker", "Able"]
    baker, able = rows[1], rows[2]
    assert baker[8] == days_ago(2).isoformat() and baker[9] == "2" and baker[10] == days_ago(3).isoformat()
    assert baker[11] == ""
    assert able[2] == "'=HYPERLINK(1)"  # neutralised: never a formula
    assert "No contact in 30 days (none recorded yet)" in able[11]
    assert "No employer contact within 30 days of referral" in able[11]
    event = AuditEvent.objects.filter(action="client.export_caseload").latest("pk")
    assert event.actor == world.supervisor
    assert event.detail["enrollments"] == [seen.pk, quiet.pk]
    assert event.detail["format"] == "csv" and event.detail["filters"] == {"sort": "-name"}
    assert "Able" not in event.summary
    # The same filters as the page; XLSX with dates as dates.
    response = page.get(reverse("clients:caseload_export"), {"format": "xlsx", "attention": "any"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [v[1] for v in values[1:]] == ["Able"]
    assert isinstance(values[1][6], datetime.datetime)  # the referral date is a date cell
    assert AuditEvent.objects.filter(action="client.export_caseload").latest("pk").detail["enrollments"] == [quiet.pk]
    assert page.get(reverse("clients:caseload_export"), {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("who", ["other_agency_specialist", "other_agency_director", "other_state_director"])
def test_outsiders_export_and_list_none_of_the_clients(world: World, client_for, who: str) -> None:
    enroll(world, first="Hidden", last="Person")
    page = client_for(world.people[who])
    export = page.get(reverse("clients:caseload_export"), {"format": "csv"})
    assert export.status_code == 200 and "Hidden" not in export.content.decode()
    assert "Hidden" not in page.get(reverse("clients:caseload")).content.decode()


def test_the_state_team_gets_the_not_shared_page(world: World, client_for) -> None:
    enroll(world, first="Hidden")
    for lead in (world.state_lead, world.other_state_lead):
        response = client_for(lead).get(reverse("clients:caseload_export"))
        assert response.status_code == 403 and "Hidden" not in response.content.decode()


# --- Transfers ------------------------------------------------------------------------------------


def test_the_supervisor_transfers_two_clients_with_a_reason(world: World, client_for) -> None:
    second = _second_specialist(world)
    one, two, stays = enroll(world, first="One"), enroll(world, first="Two"), enroll(world, first="Stays")
    page = client_for(world.supervisor)
    url = reverse("clients:transfer")
    form = page.get(url, {"clients": [one.pk, two.pk], "back": "sort=-name&s=abc"})
    html = form.content.decode()
    assert "Sam Second (0 open clients)" in html and "Specialist Tester (3 open clients)" in html
    assert "One" in html and "Two" in html and "Stays" not in html
    versions = form.context["form"].initial["versions"]
    response = page.post(
        url,
        {
            "offered": [one.pk, two.pk],
            "clients": [one.pk, two.pk],
            "specialist": second.pk,
            "reason": "Jamie is on leave until March",
            "versions": versions,
            "back": "sort=-name&s=abc",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("clients:caseload") + "?sort=-name&s=abc"
    assert set(Enrollment.objects.filter(specialist=second).values_list("pk", flat=True)) == {one.pk, two.pk}
    assert Enrollment.objects.get(pk=stays.pk).specialist == world.specialist
    events = EnrollmentEvent.objects.filter(
        enrollment__in=[one, two], kind="assign", from_value=str(world.specialist.pk)
    )
    assert {e.reason for e in events} == {"Jamie is on leave until March"} and events.count() == 2
    audits = AuditEvent.objects.filter(action="client.transfer")
    assert {a.detail["enrollment"] for a in audits} == {one.pk, two.pk}
    assert {a.detail["reason"] for a in audits} == {"Jamie is on leave until March"}
    message = page.get(response["Location"]).content.decode()
    assert "2 clients transferred to Sam Second, who now has 2 open clients." in message
    # The client's history says who moved the client, from whom to whom, and why.
    detail = page.get(reverse("clients:record_history", kwargs={"enrollment_id": one.pk})).content.decode()
    assert "Transferred from Specialist Tester to Sam Second: Jamie is on leave until March" in detail


def test_a_transfer_needs_a_reason_and_keeps_what_was_typed(world: World, client_for) -> None:
    second = _second_specialist(world)
    one, two = enroll(world, first="One"), enroll(world, first="Two")
    page = client_for(world.supervisor)
    response = page.post(
        reverse("clients:transfer"),
        {"offered": [one.pk, two.pk], "clients": [one.pk], "specialist": second.pk, "reason": "  "},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why the clients are moving" in html
    assert f'value="{second.pk}" selected' in html
    assert f'value="{two.pk}"' in html  # the unticked client is still offered
    assert not Enrollment.objects.filter(specialist=second).exists()
    # Every problem at once: no client and no reason.
    response = page.post(reverse("clients:transfer"), {"offered": [one.pk], "specialist": second.pk})
    errors = response.context["form"].errors
    assert set(errors) == {"clients", "reason"}


def test_one_client_that_may_not_move_moves_nobody_and_the_message_says_which(world: World, client_for) -> None:
    second = _second_specialist(world)
    one, already = enroll(world, first="One"), enroll(world, first="Already", specialist=None)
    services.enrollment_assign(actor=world.supervisor, enrollment=already, specialist=second)
    page = client_for(world.supervisor)
    response = page.post(
        reverse("clients:transfer"),
        {"offered": [one.pk, already.pk], "clients": [one.pk, already.pk], "specialist": second.pk, "reason": "Leave"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Already Tester (client record {already.pk}): already Sam Second&#x27;s client." in html
    assert "Nothing was transferred" in html
    assert Enrollment.objects.get(pk=one.pk).specialist == world.specialist


def test_a_transfer_crossing_another_supervisors_is_refused(world: World) -> None:
    second, third = _second_specialist(world), _second_specialist(world, "third")
    client = enroll(world)
    loaded = {client.pk: client.version}
    transfers.enrollments_transfer(actor=world.supervisor, enrollments=[client], specialist=second, reason="Leave")
    with pytest.raises(ValidationError) as caught:
        transfers.enrollments_transfer(
            actor=world.supervisor, enrollments=[client], specialist=third, reason="Area", expected_versions=loaded
        )
    assert "someone changed this client's assignment" in str(caught.value) and "now with Sam Second" in str(
        caught.value
    )
    assert Enrollment.objects.get(pk=client.pk).specialist == second


def test_a_specialist_outside_the_programs_unit_is_refused(world: World) -> None:
    client = enroll(world)
    with pytest.raises(ValidationError) as caught:
        transfers.enrollments_transfer(
            actor=world.supervisor, enrollments=[client], specialist=world.other_agency_specialist, reason="x"
        )
    assert "is not an employment specialist in Program P1's IPS unit" in str(caught.value)


def test_only_the_supervisor_may_transfer(world: World, client_for) -> None:
    second = _second_specialist(world)
    client = enroll(world)
    with pytest.raises(PermissionDenied):
        transfers.enrollments_transfer(actor=world.specialist, enrollments=[client], specialist=second, reason="x")
    with pytest.raises(PermissionDenied):
        transfers.enrollments_transfer(actor=world.case_manager, enrollments=[client], specialist=second, reason="x")
    assert client_for(world.specialist).get(reverse("clients:transfer")).status_code == 403
    assert client_for(world.case_manager).get(reverse("clients:transfer"), {"clients": client.pk}).status_code == 403


@pytest.mark.parametrize("where", ["mh2", "provider_b"])
def test_a_supervisor_of_another_agency_or_state_can_neither_see_nor_transfer(
    world: World, client_for, where: str
) -> None:
    outsider = Person.objects.create(username=f"sup_{where}", first_name="Out", last_name="Sider")
    Membership.objects.create(person=outsider, organization=world.orgs[where], role=Role.IPS_SUPERVISOR)
    theirs = _second_specialist(world, f"es_{where}", org=where)
    client = enroll(world, first="Secret")
    page = client_for(outsider)
    shown = page.get(reverse("clients:transfer"), {"clients": client.pk})
    assert shown.status_code == 200 and "Secret" not in shown.content.decode()
    response = page.post(
        reverse("clients:transfer"),
        {"offered": [client.pk], "clients": [client.pk], "specialist": theirs.pk, "reason": "Mine now"},
    )
    assert response.status_code == 400 and "Secret" not in response.content.decode()
    assert f"Client record {client.pk} is not on a caseload you can transfer." in response.content.decode()
    assert Enrollment.objects.get(pk=client.pk).specialist == world.specialist
    with pytest.raises(PermissionDenied):
        transfers.enrollments_transfer(actor=outsider, enrollments=[client], specialist=theirs, reason="x")


def test_the_one_client_transfer_shows_caseload_sizes_and_asks_why(world: World, client_for) -> None:
    second = _second_specialist(world)
    client = enroll(world)
    url = reverse("clients:assign", kwargs={"enrollment_id": client.pk})
    page = client_for(world.supervisor)
    html = page.get(url).content.decode()
    assert "Sam Second (0 open clients)" in html and "Now with Specialist Tester (1 open client)." in html
    assert f'value="{world.specialist.pk}"' not in html  # not a choice: the client is theirs already
    response = page.post(url, {"specialist": second.pk, "version": client.version})
    assert response.status_code == 400 and "Say why the clients are moving" in response.content.decode()
    response = page.post(url, {"specialist": second.pk, "version": client.version, "reason": "Speaks Spanish"})
    assert response.status_code == 302
    event = EnrollmentEvent.objects.filter(enrollment=client, kind="assign").latest("pk")
    assert (event.from_value, event.to_value, event.reason) == (
        str(world.specialist.pk),
        str(second.pk),
        "Speaks Spanish",
    )
    with pytest.raises(ValidationError) as caught:
        services.enrollment_assign(actor=world.supervisor, enrollment=client, specialist=world.specialist)
    assert "reason" in caught.value.message_dict


# --- Queries --------------------------------------------------------------------------------------


def _fill(world: World, n: int) -> None:
    bakery = employer(world, name=f"Bakery {n}")
    for k in range(n):
        e = enroll(world, referred=40 + k)
        if k % 2:
            start_job(world.specialist, e, bakery, started=20)
        if k % 3 == 0:
            _support(world, e, k)
            services.employer_contact_log(
                actor=world.specialist,
                program=e.program,
                employer=bakery,
                enrollment=e,
                contacted_on=days_ago(k + 1),
                purpose="client",
            )


def _queries(client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["supervisor", "specialist"])
def test_the_caseload_and_its_export_run_a_fixed_number_of_queries(world: World, client_for, who: str) -> None:
    _second_specialist(world)
    c = client_for(world.people[who])
    pages = [
        (reverse("clients:caseload"), {}),
        (reverse("clients:caseload"), {"sort": "-attention", "attention": "any", "working": "no"}),
        (reverse("clients:caseload_export"), {"format": "csv", "sort": "contact"}),
        (reverse("clients:caseload_export"), {"format": "xlsx"}),
    ]
    _fill(world, 3)
    small = [_queries(c, url, params) for url, params in pages]
    _fill(world, 30)
    large = [_queries(c, url, params) for url, params in pages]
    assert small == large


def test_the_transfer_page_runs_a_fixed_number_of_queries(world: World, client_for) -> None:
    _second_specialist(world)
    c = client_for(world.supervisor)
    few = [enroll(world).pk for _ in range(2)]
    many = [enroll(world).pk for _ in range(20)]
    url = reverse("clients:transfer")
    assert _queries(c, url, {"clients": few}) == _queries(c, url, {"clients": many})
