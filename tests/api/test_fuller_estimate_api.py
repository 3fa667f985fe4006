"""Issue 26 through the API: the specialists' time behind the estimate, the estimate's figures and anchors,
and the preference flag on employer contacts."""

import pytest

from ipshub.clients.models import EmployerContact as EmployerContactRecord
from tests.api.test_api import assert_error
from tests.clients import factories as cf
from tests.fidelity.test_fuller_estimate import OUTSIDERS, program_records  # noqa: F401 (a fixture)
from tests.world import World

pytestmark = pytest.mark.django_db


def test_the_specialists_time_through_the_api(world: World, api) -> None:
    p1 = world.programs["p1"]
    url = f"/api/v1/programs/{p1.pk}/specialist-times/"
    listed = api(world.state_lead).get(url)
    assert listed.status_code == 200 and listed.json()[0]["fte"] is None
    body = {"specialist": world.specialist.pk, "fte": "0.75", "employment_share": 95}
    assert_error(api(world.state_lead).post(url, body, format="json"), 403)
    assert_error(api(world.supervisor).post(url, {**body, "fte": "0"}, format="json"), 400)
    assert_error(api(world.supervisor).post(url, {**body, "colour": "red"}, format="json"), 400)
    saved = api(world.supervisor).post(url, body, format="json")
    assert saved.status_code == 200, saved.content
    assert (saved.json()["fte"], saved.json()["employment_share"]) == ("0.75", 95)
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).get(url), 404)
        assert_error(api(world.people[name]).post(url, body, format="json"), 404)


@pytest.mark.usefixtures("program_records")
def test_the_estimate_api_gives_figures_and_anchors(world: World, api) -> None:
    url = f"/api/v1/programs/{world.programs['p1'].pk}/fidelity-estimate/"
    answer = api(world.supervisor).get(url, {"start": "2025-01-01", "end": "2025-03-31"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["computed"] == 13 and len(data["items"]) == 13
    for row in data["items"]:
        assert {"number", "title", "score", "figures", "anchor"} <= set(row)
    by_number = {row["number"]: row for row in data["items"]}
    assert by_number[25]["score"] == 1 and by_number[25]["figures"]["closures_for_disengagement"] == 1
    assert by_number[25]["anchor"].startswith("Two elements or fewer")
    for name in OUTSIDERS:
        assert_error(api(world.people[name]).get(url, {"start": "2025-01-01", "end": "2025-03-31"}), 404)


def test_employer_contacts_take_the_preference_flag_through_the_api(world: World, api) -> None:
    employer = cf.employer(world)
    body = {
        "program": world.programs["p1"].pk,
        "employer": employer.pk,
        "contacted_on": "2025-02-03",
        "purpose": "learn",
        "follows_preferences": False,
    }
    answer = api(world.specialist).post("/api/v1/employer-contacts/", body, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["follows_preferences"] is False
    assert EmployerContactRecord.objects.get(pk=answer.json()["id"]).follows_preferences is False
