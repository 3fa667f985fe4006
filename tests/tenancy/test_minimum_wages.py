"""State minimum wages: the rule (the state's rate in force on a day, or the federal one where higher), the
state team's pages and API, and who may see and change them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.audit.models import AuditEvent
from ipshub.tenancy import services
from ipshub.tenancy.models import MinimumWage
from ipshub.tenancy.wages import applicable_minimum_wage
from tests.world import World

JAN_2025 = datetime.date(2025, 1, 1)
JAN_2026 = datetime.date(2026, 1, 1)


def _rates(world: World) -> None:
    services.minimum_wage_add(
        actor=world.state_lead, state=world.state_a, hourly_rate=Decimal("10.50"), effective_from=JAN_2025
    )
    services.minimum_wage_add(
        actor=world.state_lead, state=world.state_a, hourly_rate=Decimal("12.00"), effective_from=JAN_2026
    )


def _api(person) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=person, person=person, name='checks')[1]}")
    return client


def test_the_rate_in_force_on_the_day_applies_and_the_higher_of_state_and_federal(world: World) -> None:
    _rates(world)
    before = applicable_minimum_wage(world.state_a, datetime.date(2024, 12, 31))
    assert (before.rate, before.state_name) == (Decimal("7.25"), "")  # no state rate yet: federal
    first = applicable_minimum_wage(world.state_a, JAN_2025)
    assert (first.rate, first.state_name, first.effective_from) == (Decimal("10.50"), "State A", JAN_2025)
    assert applicable_minimum_wage(world.state_a, datetime.date(2025, 12, 31)).rate == Decimal("10.50")
    assert applicable_minimum_wage(world.state_a, JAN_2026).rate == Decimal("12.00")  # the change's own day
    # Another state without a rate: federal. A state rate below the federal one: federal (the higher applies).
    assert applicable_minimum_wage(world.state_b, JAN_2026).rate == Decimal("7.25")
    services.minimum_wage_add(
        actor=world.other_state_lead, state=world.state_b, hourly_rate=Decimal("5.15"), effective_from=JAN_2025
    )
    low = applicable_minimum_wage(world.state_b, JAN_2026)
    assert (low.rate, low.state_name) == (Decimal("7.25"), "")
    assert "the federal minimum wage of $7.25 in force on January 1, 2026" in low.below_message()
    # Before the federal raise of July 24, 2009, the federal rate of the day.
    assert applicable_minimum_wage(world.state_b, datetime.date(2009, 7, 23)).rate == Decimal("6.55")


def test_adding_and_correcting_rates_is_validated_audited_and_for_leads_and_administrators(world: World) -> None:
    _rates(world)
    assert AuditEvent.objects.filter(action="minimum_wage.add").count() == 2
    with pytest.raises(ValidationError) as caught:
        services.minimum_wage_add(
            actor=world.state_lead, state=world.state_a, hourly_rate=Decimal("0"), effective_from=JAN_2026
        )
    # Every problem at once: the rate, and a second rate on the same day.
    assert set(caught.value.message_dict) == {"hourly_rate", "effective_from"}
    assert "already has a minimum wage from January 1, 2026" in caught.value.message_dict["effective_from"][0]
    with pytest.raises(ValidationError) as caught:
        services.minimum_wage_add(
            actor=world.state_lead,
            state=world.state_a,
            hourly_rate=Decimal("9"),
            effective_from=datetime.date(1985, 1, 1),
        )
    assert "January 1, 1990" in caught.value.message_dict["effective_from"][0]
    for outsider in (world.trainer, world.director, world.other_state_lead):
        with pytest.raises(PermissionDenied):
            services.minimum_wage_add(
                actor=outsider, state=world.state_a, hourly_rate=Decimal("13"), effective_from=datetime.date(2026, 7, 1)
            )
    wage = MinimumWage.objects.get(state=world.state_a, effective_from=JAN_2026)
    services.minimum_wage_update(
        actor=world.admin, wage=wage, hourly_rate=Decimal("12.25"), effective_from=JAN_2026, note="Corrected"
    )
    wage.refresh_from_db()
    assert wage.hourly_rate == Decimal("12.25") and wage.note == "Corrected"
    event = AuditEvent.objects.get(action="minimum_wage.update")
    assert event.detail["before"]["hourly_rate"] == "12.00" and event.detail["after"]["hourly_rate"] == "12.25"


def test_the_pages_list_for_the_state_and_edit_for_its_team(
    world: World, client_for, django_assert_max_num_queries
) -> None:
    _rates(world)
    wage = MinimumWage.objects.get(state=world.state_a, effective_from=JAN_2026)
    lead = client_for(world.state_lead)
    page = lead.get(reverse("tenancy:minimum_wage_list")).content.decode()
    assert "$12.00" in page and "$10.50" in page and "In force" in page and "Add a state rate" in page
    # Everyone of the state reads the rates; other states' people don't see them.
    assert "$12.00" in client_for(world.specialist).get(reverse("tenancy:minimum_wage_list")).content.decode()
    other = client_for(world.other_state_lead).get(reverse("tenancy:minimum_wage_list")).content.decode()
    assert "$12.00" not in other and "No state rate recorded" in other
    edit = reverse("tenancy:minimum_wage_edit", args=[wage.pk])
    assert client_for(world.other_state_lead).get(edit).status_code == 404
    assert client_for(world.other_agency_director).get(edit).status_code == 404
    assert client_for(world.trainer).get(edit).status_code == 403  # on the team, but does not keep the rates
    # A correction posted with several problems shows them all, and keeps what was typed.
    response = lead.post(edit, {"hourly_rate": "-1", "effective_from": "1980-01-01", "note": "typo"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter 0.01 or more." in html and "January 1, 1990" in html and 'value="typo"' in html
    response = lead.post(
        reverse("tenancy:minimum_wage_add"),
        {"state": world.state_a.pk, "hourly_rate": "12.75", "effective_from": "2026-07-01"},
    )
    assert response.status_code == 302
    assert MinimumWage.objects.filter(state=world.state_a, hourly_rate=Decimal("12.75")).exists()
    # The list runs a fixed number of queries, whatever the number of rates.
    with django_assert_max_num_queries(12) as few:
        lead.get(reverse("tenancy:minimum_wage_list"))
    for year in range(2000, 2020):
        MinimumWage.objects.create(
            state=world.state_a, hourly_rate=Decimal("8.00"), effective_from=datetime.date(year, 3, 1)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        lead.get(reverse("tenancy:minimum_wage_list"))


def test_the_api_lists_adds_and_corrects_rates(world: World) -> None:
    lead = _api(world.state_lead)
    created = lead.post(
        "/api/v1/minimum-wages/",
        {"state": world.state_a.pk, "hourly_rate": "12.00", "effective_from": "2026-01-01", "note": "Act"},
        format="json",
    )
    assert created.status_code == 201, created.content
    wage_id = created.json()["id"]
    bad = lead.post(
        "/api/v1/minimum-wages/",
        {"state": world.state_a.pk, "hourly_rate": "12.00", "effective_from": "2026-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and "effective_from" in bad.json()["error"]["fields"]
    assert [r["hourly_rate"] for r in _api(world.specialist).get("/api/v1/minimum-wages/").json()["results"]] == [
        "12.00"
    ]
    assert _api(world.other_state_lead).get("/api/v1/minimum-wages/").json()["results"] == []
    assert _api(world.specialist).get(f"/api/v1/minimum-wages/{wage_id}/").status_code == 404
    assert (
        _api(world.trainer).patch(f"/api/v1/minimum-wages/{wage_id}/", {"hourly_rate": "13"}, format="json").status_code
        == 403
    )
    assert (
        _api(world.specialist)
        .post(
            "/api/v1/minimum-wages/",
            {"state": world.state_a.pk, "hourly_rate": "13", "effective_from": "2026-06-01"},
            format="json",
        )
        .status_code
        == 403
    )
    url = f"/api/v1/minimum-wages/{wage_id}/"
    patched = lead.patch(url, {"hourly_rate": "12.10"}, format="json", HTTP_IF_MATCH=lead.get(url)["ETag"])
    assert patched.status_code == 200 and patched.json()["hourly_rate"] == "12.10"
    assert patched.json()["effective_from"] == "2026-01-01"
