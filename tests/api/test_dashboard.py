"""The IPS dashboard and a specialist's drill-down through the API: the web pages' figures, the same people,
a precise 400 for a period that can't be shown, a fixed number of queries."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients.test_supervision import NOON, _fill, _story
from tests.world import World


def _url(world: World, specialist: str | None = None) -> str:
    base = f"/api/v1/programs/{world.programs['p1'].pk}/ips-dashboard/"
    return base + (f"specialists/{world.people[specialist].pk}/" if specialist else "")


def test_the_dashboard_answers_the_web_pages_figures(world: World, api) -> None:
    with time_machine.travel(NOON, tick=False):
        _story(world)
        client = api(world.supervisor)
        board = client.get(_url(world)).json()
        one = client.get(_url(world, "specialist")).json()
    assert board["period"]["start"] == "2026-09-07" and board["period"]["end"] == "2026-12-06"
    assert board["period"]["in_progress"] is True
    assert board["standard"] == 6
    kinds = [(r["kind"], r["name"]) for r in board["specialists"]]
    assert kinds == [("specialist", "Specialist Tester"), ("not_assigned", "Not yet assigned")]
    tester, waiting = board["specialists"]
    assert (tester["open_caseload"], tester["job_starts"], tester["weeks_reached_standard"]) == (3, 1, 1)
    assert tester["this_week_face_to_face"] == 2 and tester["first_contact_median_days"] == 10
    assert waiting["face_to_face_a_week"] is None and waiting["blank"]["face_to_face_a_week"] == "no specialist yet"
    assert board["unit"]["kind"] == "unit" and board["unit"]["blank"]["weeks_reached_standard"] == "per specialist only"
    assert [q["period"]["name"] for q in board["quarters"]][-1] == "Q4 2026 (to Dec 6)"
    assert len(board["weeks"]) == 1 and len(board["weeks"][0]["weeks"]) == 13
    assert board["weeks"][0]["weeks"][-2] == {
        "monday": "2026-11-23",
        "sunday": "2026-11-29",
        "face_to_face": 6,
        "contacts": 6,
        "in_progress": False,
        "reached_standard": True,
    }
    assert one["figures"]["open_caseload"] == 3 and one["open_today"] == 3 and one["working_today"] == 2
    assert [s["status"] for s in one["by_status_today"]] == ["received", "accepted", "first_meeting", "engaged"]
    assert len(one["weeks"]) == 13 and len(one["quarters"]) == 5
    for name in ("Avery", "Blake", "Casey", "Dana"):
        assert name not in str(board) + str(one)


def test_a_period_that_cant_be_shown_is_a_400_in_plain_words(world: World, api) -> None:
    with time_machine.travel(NOON, tick=False):
        client = api(world.supervisor)
        later = client.get(_url(world), {"end": "2027-01-01"})
        nonsense = client.get(_url(world, "specialist"), {"start": "soon", "end": "0001-01-01"})
    assert later.status_code == 400 and later.json()["error"]["fields"]["end"] == ["The end can't be after today."]
    assert nonsense.status_code == 400
    assert nonsense.json()["error"]["fields"] == {
        "start": ["The start “soon” is not a date: use YYYY-MM-DD."],
        "end": ["The end can't be before 2000."],
    }


def test_outsiders_get_404_and_the_queries_are_fixed(world: World, api) -> None:
    with time_machine.travel(NOON, tick=False):
        for outsider in ("other_agency_director", "other_state_lead"):
            assert api(world.people[outsider]).get(_url(world)).status_code == 404
            assert api(world.people[outsider]).get(_url(world, "specialist")).status_code == 404
        assert api(world.supervisor).get(_url(world, "case_manager")).status_code == 404
        client = api(world.state_lead)
        client.get(_url(world))  # the token's first use is recorded once: not a page's query

        def queries() -> list[int]:
            counts = []
            for url in (_url(world), _url(world, "specialist")):
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(url).status_code == 200
                counts.append(len(ctx.captured_queries))
            return counts

        _fill(world, 3)
        small = queries()
        _fill(world, 30)
        assert queries() == small
