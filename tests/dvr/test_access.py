"""Who sees DVR authorizations: the consenting office's staff and the provider; everyone else 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ipshub.clients import services as clients_services
from ipshub.clients.models import Consent
from ipshub.dvr import access
from ipshub.dvr.models import DeliverableReport
from ipshub.tenancy.models import Membership, Person
from ipshub.tenancy.roles import Role
from tests.dvr.factories import authorize, hired, report_data, shared_client
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

OUTSIDERS = (
    "other_agency_director",
    "other_agency_specialist",
    "other_state_admin",
    "other_state_lead",
    "other_state_director",
    "director",
    "case_manager",
    "admin",
    "state_lead",
    "trainer",
    "reviewer",
)


def _detail(a) -> str:
    return reverse("dvr:authorization_detail", kwargs={"authorization_id": a.pk})


def test_the_office_and_the_provider_see_the_authorization_and_no_one_else(world, client_for) -> None:
    enrollment = shared_client(world)
    a = authorize(world, enrollment, service="career_profile")
    for name in ("counselor", "dvr_supervisor", "supervisor", "specialist"):
        assert client_for(world.people[name]).get(_detail(a)).status_code == 200, name
        assert list(access.authorizations_visible_to(world.people[name])) == [a], name
    for name in OUTSIDERS:
        assert client_for(world.people[name]).get(_detail(a)).status_code == 404, name
        assert not access.authorizations_visible_to(world.people[name]).exists(), name


def test_a_specialist_sees_only_their_caseloads_authorizations(world, client_for) -> None:
    other = Person.objects.create_user(username="other_es", password=PASSWORD)
    Membership.objects.create(person=other, organization=world.orgs["provider1"], role=Role.EMPLOYMENT_SPECIALIST)
    a = authorize(world, shared_client(world), service="career_profile")
    assert client_for(other).get(_detail(a)).status_code == 404


def test_a_revoked_consent_hides_the_authorization_from_dvr_at_once(world, client_for) -> None:
    enrollment = shared_client(world)
    a = authorize(world, enrollment, service="career_profile")
    consent = Consent.objects.get(client=enrollment.client)
    clients_services.consent_revoke(
        actor=world.people["specialist"], enrollment=enrollment, consent=consent, how="verbal"
    )
    assert client_for(world.people["counselor"]).get(_detail(a)).status_code == 404
    # the provider still sees its own work
    assert client_for(world.people["supervisor"]).get(_detail(a)).status_code == 200


def test_another_dvr_office_sees_nothing(world, client_for) -> None:
    harbor = Person.objects.create_user(username="harbor_counselor", password=PASSWORD)
    Membership.objects.create(person=harbor, organization=world.orgs["dvr2"], role=Role.DVR_COUNSELOR)
    a = authorize(world, shared_client(world), service="career_profile")
    assert client_for(harbor).get(_detail(a)).status_code == 404
    enrollment = a.enrollment
    url = reverse("dvr:authorize", kwargs={"enrollment_id": enrollment.pk})
    assert client_for(harbor).get(url).status_code == 404


def test_a_counselor_cannot_authorize_for_a_client_without_consent(world, client_for) -> None:
    from tests.clients.factories import enroll

    enrollment = enroll(world)
    url = reverse("dvr:authorize", kwargs={"enrollment_id": enrollment.pk})
    assert client_for(world.people["counselor"]).get(url).status_code == 404
    listed = client_for(world.people["counselor"]).get(reverse("dvr:shared_clients"))
    assert listed.status_code == 200
    assert enrollment.client.first_name not in listed.content.decode()


def test_write_checks_are_403_for_the_other_side(world, client_for) -> None:
    enrollment = shared_client(world)
    hired(world, enrollment)
    a = authorize(world, enrollment)
    report_url = reverse("dvr:report", kwargs={"authorization_id": a.pk})
    review_url = reverse("dvr:review", kwargs={"authorization_id": a.pk})
    extend_url = reverse("dvr:extend", kwargs={"authorization_id": a.pk})
    counselor, specialist = client_for(world.people["counselor"]), client_for(world.people["specialist"])
    assert counselor.get(report_url).status_code == 403
    assert specialist.get(review_url).status_code == 403
    assert specialist.post(extend_url, {"ends_on": "2099-01-01", "added_units": "1", "reason": "x"}).status_code == 403
    assert specialist.post(review_url, {"decision": "accept"}).status_code == 403
    assert not DeliverableReport.objects.exists()
    data = report_data(a, units_used=Decimal("3"))
    assert counselor.post(report_url, {k: v for k, v in data.items() if v is not None}).status_code == 403
    assert not DeliverableReport.objects.exists()


def test_catalog_and_money_pages(world, client_for) -> None:
    state = world.state_a.pk
    catalog_url = reverse("dvr:catalog", kwargs={"state_id": state})
    edit_url = reverse("dvr:catalog_edit", kwargs={"state_id": state})
    money_state = reverse("dvr:money_state", kwargs={"state_id": state})
    money_program = reverse("dvr:money_program", kwargs={"program_id": world.programs["p1"].pk})
    assert client_for(world.people["counselor"]).get(catalog_url).status_code == 200
    assert client_for(world.people["counselor"]).get(edit_url).status_code == 403
    assert client_for(world.people["admin"]).get(edit_url).status_code == 200
    assert client_for(world.people["specialist"]).get(catalog_url).status_code == 404
    assert client_for(world.people["admin"]).get(money_state).status_code == 200
    assert client_for(world.people["counselor"]).get(money_state).status_code == 404
    for name in ("admin", "supervisor", "director", "counselor"):
        assert client_for(world.people[name]).get(money_program).status_code == 200, name
    for name in ("other_agency_director", "other_state_admin", "specialist"):
        assert client_for(world.people[name]).get(money_program).status_code == 404, name
