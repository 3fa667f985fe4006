"""The program's hub through the API: the same panels and figures as the page, an ETag, 404 for outsiders."""

import pytest

from tests.web.test_program_hub import OUTSIDERS, _fill
from tests.world import World

pytestmark = pytest.mark.django_db


def test_the_api_answers_the_same_panels_with_an_etag(world: World, api) -> None:
    _fill(world)
    url = f"/api/v1/programs/{world.programs['p1'].pk}/hub/"
    response = api(world.state_lead).get(url)
    assert response.status_code == 200 and response.has_header("ETag")
    body = response.json()
    panels = {panel["key"]: panel for panel in body["panels"]}
    assert set(panels) == {"implementation", "caseload", "fidelity", "outcomes", "meetings", "technical_assistance"}
    assert panels["caseload"]["figures"]["open"] == 3 and panels["caseload"]["figures"]["working"] == 1
    assert panels["outcomes"]["figures"]["quarters"][0]["employment_rate"] == 47.6
    assert panels["technical_assistance"]["figures"]["hours"] == 5.0
    assert body["program"]["phase"] == world.programs["p1"].phase
    for name in OUTSIDERS:
        assert api(world.people[name]).get(url).status_code == 404, name
