"""The statewide views through the API: the state team and trainers over their own state's programs, 403 for
program staff and nothing of another state."""

import pytest

from tests.web.test_program_hub import _fill
from tests.world import World

pytestmark = pytest.mark.django_db

URLS = (
    "/api/v1/statewide/technical-assistance/",
    "/api/v1/statewide/training-gaps/",
    "/api/v1/statewide/meeting-cadence/",
    "/api/v1/statewide/fidelity-schedule/",
)


def test_the_trainer_reads_every_statewide_view_of_their_state(world: World, api) -> None:
    _fill(world)
    trainer = api(world.trainer)
    ta = trainer.get(URLS[0]).json()
    assert ta["hours"] == "5.0" and ta["entries"] == 2
    assert ta["programs_reached"] == 1 and ta["programs_in_scope"] == 2
    assert [g["name"] for g in ta["by_trainer"]] == ["Trainer Tester"]
    assert len(ta["by_quarter"]) == 4 and {g["key"] for g in ta["by_kind"]} >= {"visit", "call"}
    gaps = trainer.get(URLS[1]).json()
    assert gaps["count"] == 2 and {r["program"]["name"] for r in gaps["results"]} == {"Program P1", "Program P2"}
    cadence = trainer.get(URLS[2] + "?month=2026-11").json()
    assert cadence["month"] == "2026-11" and len(cadence["results"]) == 2
    schedule = trainer.get(URLS[3]).json()
    p1 = next(r for r in schedule["results"] if r["program"]["name"] == "Program P1")
    assert p1["last_review"] is not None and p1["last_total"] is not None and p1["next_review"] is not None
    p2 = next(r for r in schedule["results"] if r["program"]["name"] == "Program P2")
    assert p2["last_review"] is None and p2["next_review"] is None and p2["last_total"] is None
    assert trainer.get(URLS[3] + "?show=unscheduled").json()["count"] == 1


def test_program_staff_get_403_and_another_state_sees_none_of_ours(world: World, api) -> None:
    for name in ("director", "counselor", "other_state_director"):
        client = api(world.people[name])
        for url in URLS:
            assert client.get(url).status_code == 403, (name, url)
    other = api(world.other_state_lead)
    assert other.get(URLS[0]).json()["entries"] == 0
    assert {r["program"]["name"] for r in other.get(URLS[1]).json()["results"]} == {"Program PB"}


def test_bad_parameters_are_400s(world: World, api) -> None:
    lead = api(world.state_lead)
    assert lead.get(URLS[0] + "?quarters=5").status_code == 400
    assert lead.get(URLS[2] + "?month=2026-13").status_code == 400
    assert lead.get(URLS[3] + "?show=everything").status_code == 400
