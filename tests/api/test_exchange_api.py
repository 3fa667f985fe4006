"""The learning-community exchange in the API: check an aggregate file, read the check, import it, and the
pooled roll-up; people of another state and another agency see nothing."""

import io

import pytest

from ipshub.outcomes.models import ImportedAggregate
from tests.web.test_program_chain import chain_world
from tests.world import World

pytestmark = pytest.mark.django_db

GOOD = (
    "format,source_install,state_code,state_name,program,year,quarter,definition,served,worked,in_education,"
    "job_starts,job_endings\n"
    "ipshub-aggregate-1,elsewhere,AA,State A,Far,2025,1,worked_over_served,40,13,11,11,11\n"
    "ipshub-aggregate-1,elsewhere,AA,State A,Near,2025,1,worked_over_served,25,12,<11,<11,<11\n"
    "ipshub-aggregate-1,elsewhere,AA,State A,Tiny,2025,1,worked_over_served,<11,<11,<11,<11,<11\n"
)


def _file(text: str) -> io.BytesIO:
    upload = io.BytesIO(text.encode())
    upload.name = "aggregates.csv"
    return upload


def test_check_import_and_pool_through_the_api(world: World, api) -> None:  # type: ignore[no-untyped-def]
    lead = api(world.state_lead)
    response = lead.post(f"/api/v1/states/{world.state_a.pk}/outcome-aggregate-files/", {"file": _file(GOOD)})
    assert response.status_code == 201, response.content
    checked = response.json()
    assert (checked["good_rows"], checked["bad_rows"]) == (3, 0)
    detail = f"/api/v1/outcome-aggregate-files/{checked['id']}/"
    assert lead.get(detail).has_header("ETag")
    for outsider in (world.other_state_lead, world.other_agency_director, world.director):
        assert api(outsider).get(detail).status_code == 404
        assert api(outsider).post(detail + "import/").status_code == 404
    assert api(world.trainer).post(detail + "import/").status_code == 404
    imported = lead.post(detail + "import/")
    assert imported.status_code == 200 and imported.json()["imported"] == 3
    assert ImportedAggregate.objects.count() == 3
    assert lead.post(detail + "import/").status_code == 400  # already imported
    pooled = lead.get(f"/api/v1/states/{world.state_a.pk}/outcomes-pooled/").json()
    quarter = pooled["quarters"][0]
    assert (quarter["served"], quarter["worked"], quarter["withheld"]) == (65, 25, 1)
    assert quarter["rate"] == "38.5"  # 25 / 65, pooled
    assert api(world.other_state_lead).get(f"/api/v1/states/{world.state_a.pk}/outcomes-pooled/").status_code == 404


def test_bad_rows_are_listed_and_block_the_import(world: World, api) -> None:  # type: ignore[no-untyped-def]
    lead = api(world.state_lead)
    bad = GOOD.replace(",40,13,", ",40,forty,").replace(
        ",2025,1,worked_over_served,25", ",2025,9,worked_over_served,25"
    )
    checked = lead.post(f"/api/v1/states/{world.state_a.pk}/outcome-aggregate-files/", {"file": _file(bad)}).json()
    problems = [(row["line"], p["column"]) for row in checked["rows"] for p in row["problems"]]
    assert problems == [(2, "worked"), (3, "quarter")]
    answer = lead.post(f"/api/v1/outcome-aggregate-files/{checked['id']}/import/")
    assert answer.status_code == 400
    assert ImportedAggregate.objects.count() == 0
    trainer = api(world.trainer)
    refused = trainer.post(f"/api/v1/states/{world.state_a.pk}/outcome-aggregate-files/", {"file": _file(GOOD)})
    assert refused.status_code == 403


def test_a_ta_entry_names_items_and_actions_through_the_api(world: World, api) -> None:  # type: ignore[no-untyped-def]
    _, _, action = chain_world(world)
    p1 = world.programs["p1"]
    endpoint = f"/api/v1/programs/{p1.pk}/technical-assistance/"
    body = {"date": "2025-06-04", "kind": "call", "hours": "1.0", "topics": "Follow-up call", "fidelity_items": [5]}
    created = api(world.trainer).post(endpoint, {**body, "action_item_ids": [action.pk]}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["fidelity_items"] == [5] and created.json()["action_item_ids"] == [action.pk]
    refused = api(world.trainer).post(endpoint, {**body, "action_item_ids": [action.pk + 1000]}, format="json")
    assert refused.status_code == 400 and "action_item_ids" in refused.json()["error"]["fields"]
