"""Directory pages: forms keep what was typed, read-only members get 403, lists run fixed queries."""

import pytest
from django.urls import reverse

from ipshub.tenancy.models import Organization, Program, State
from ipshub.tenancy.roles import OrgKind
from tests.world import World

pytestmark = pytest.mark.django_db


def test_program_form_bad_input_keeps_typed_values(world: World, client_for) -> None:
    client = client_for(world.people["state_lead"])
    response = client.post(
        reverse("tenancy:program_create"),
        {
            "state": world.state_a.pk,
            "name": "",
            "region": "Lakeshore",
            "funding_source": "Levy",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct" in html and "Fill in this field." in html
    assert 'value="Lakeshore"' in html and 'value="Levy"' in html
    assert not Program.objects.filter(region="Lakeshore").exists()


def test_program_form_refuses_a_foreign_agency(world: World, client_for) -> None:
    client = client_for(world.people["state_lead"])
    response = client.post(
        reverse("tenancy:program_create"),
        {
            "state": world.state_a.pk,
            "name": "Sneaky",
            "mh_agency": world.orgs["mh_b"].pk,
        },
    )
    assert "Choose one from the list" in response.content.decode()
    assert not Program.objects.filter(name="Sneaky").exists()


def test_read_only_members_get_403_on_writes(world: World, client_for) -> None:
    p1 = world.programs["p1"]
    client = client_for(world.people["director"])
    assert client.get(reverse("tenancy:program_detail", args=[p1.pk])).status_code == 200
    assert client.get(reverse("tenancy:program_edit", args=[p1.pk])).status_code == 403
    assert client.post(reverse("implementation:phase_override", args=[p1.pk]), {}).status_code == 403
    assert client.get(reverse("tenancy:organization_create")).status_code == 403
    assert client.get(reverse("tenancy:person_create")).status_code == 403


def test_admin_creates_an_organization(world: World, client_for) -> None:
    client = client_for(world.people["admin"])
    response = client.post(
        reverse("tenancy:organization_create"),
        {
            "state": world.state_a.pk,
            "kind": OrgKind.DVR_OFFICE,
            "name": "A DVR East",
            "region": "East",
        },
    )
    org = Organization.objects.get(name="A DVR East")
    assert response.status_code == 302 and response["Location"] == reverse("tenancy:organization_detail", args=[org.pk])


def test_admin_cannot_create_in_another_state(world: World, client_for) -> None:
    client = client_for(world.people["admin"])
    response = client.post(
        reverse("tenancy:organization_create"),
        {
            "state": world.state_b.pk,
            "kind": OrgKind.DVR_OFFICE,
            "name": "B DVR Sneaky",
        },
    )
    assert response.status_code == 200 and "Choose one from the list" in response.content.decode()
    assert not Organization.objects.filter(name="B DVR Sneaky").exists()


def _add_programs(world: World, count: int) -> None:
    state: State = world.state_a
    for n in range(count):
        mh = Organization.objects.create(state=state, kind=OrgKind.MH_AGENCY, name=f"Extra agency {n}")
        Program.objects.create(
            state=state,
            name=f"Extra {n}",
            mh_agency=mh,
            phase="prior",
            phase_since=world.programs["p1"].phase_since,
        )


@pytest.mark.parametrize(
    "url_name", ["home", "tenancy:program_list", "tenancy:organization_list", "tenancy:person_list"]
)
def test_lists_run_a_fixed_number_of_queries(
    world: World, client_for, django_assert_max_num_queries, url_name: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.people["admin"])
    url = reverse(url_name)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_programs(world, 40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), f"{url_name}: {len(small)} queries with 2 programs, {len(large)} with 42"
