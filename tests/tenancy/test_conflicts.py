"""Two people edit the same program: the second gets a conflict with both versions; nothing is lost."""

import pytest
from django.urls import reverse

from ipshub.tenancy.models import Program
from tests.world import World

pytestmark = pytest.mark.django_db


def program_form(program: Program, **changes) -> dict:
    data = {
        "name": program.name,
        "mh_agency": program.mh_agency_id,
        "employment_provider": program.employment_provider_id or "",
        "dvr_offices": list(program.dvr_offices.values_list("pk", flat=True)),
        "trainer": program.trainer_id or "",
        "region": program.region,
        "funding_source": program.funding_source,
        "version": program.version,
    }
    data.update(changes)
    return data


def test_second_save_gets_a_conflict_then_can_overwrite_on_purpose(world: World, client_for) -> None:
    program = world.programs["p1"]
    url = reverse("tenancy:program_edit", args=[program.pk])
    lead, admin = client_for(world.people["state_lead"]), client_for(world.people["admin"])
    first = program_form(program, funding_source="Medicaid")
    second = program_form(program, funding_source="County levy", region="Lakeshore")

    assert lead.post(url, first).status_code == 302
    response = admin.post(url, second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it." in page
    assert "Medicaid" in page and "County levy" in page and 'value="Lakeshore"' in page
    program.refresh_from_db()
    assert program.funding_source == "Medicaid" and program.version == 2
    # The form now carries the saved version: saving again is a deliberate overwrite.
    assert response.context["form"].data["version"] == "2"
    assert admin.post(url, dict(second, version=2)).status_code == 302
    program.refresh_from_db()
    assert program.funding_source == "County levy" and program.version == 3
