"""Issue 26, a fuller estimate: each computed item at its cut points (pure functions), the new records
(specialists' time, the preference flag, support contacts' settings, closures, benefits planning and
career profiles around job events) read into the estimate, and the specialists' time page and API."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from ipshub.areakit.records import (
    Closure,
    EmployerContact,
    EntryToEmployerContact,
    JobEvent,
    SpecialistCaseload,
    SpecialistTime,
)
from ipshub.audit.models import AuditEvent
from ipshub.clients import services as clients
from ipshub.clients.models import EmployerContact as EmployerContactRecord
from ipshub.fidelity import evidence as ev
from ipshub.fidelity import evidence_records as er
from ipshub.fidelity import scales
from ipshub.fidelity.models import SpecialistTime as SpecialistTimeRecord
from ipshub.fidelity.scales import current_scale
from tests.clients import factories as cf
from tests.world import World

D = datetime.date
START = D(2025, 1, 1)
pytestmark = pytest.mark.django_db
OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_director")


# --- Item 1: caseload per FTE --------------------------------------------------------------------------


def test_caseload_cut_points_for_a_full_time_specialist() -> None:
    values = [20, 21, 25, 26, 30, 31, 40, 41]
    scores = [ev.caseload_size([SpecialistCaseload(clients=n, fte=1.0)]).score for n in values]
    assert scores == [5, 4, 4, 3, 3, 2, 2, 1]


def test_part_time_specialists_are_weighted_by_fte() -> None:
    # 20 + 10 clients over 1.0 + 0.5 FTE = 20 per full-time specialist: a 5, where counting heads gives 15.
    e = ev.caseload_size([SpecialistCaseload(20, 1.0, 1), SpecialistCaseload(10, 0.5, 2)])
    assert (e.value, e.score) == (20.0, 5)
    assert e.figures == {"clients": 30, "specialists": 2, "fte": 1.5, "value": 20.0}
    # 31 clients over 1.5 FTE = 20.7: a 4. Half-time with 13 clients is 26 per FTE: a 3.
    assert ev.caseload_size([SpecialistCaseload(20, 1.0), SpecialistCaseload(11, 0.5)]).score == 4
    assert ev.caseload_size([SpecialistCaseload(13, 0.5)]).score == 3
    assert (
        ev.caseload_size([SpecialistCaseload(20, 0.5)]).value,
        ev.caseload_size([SpecialistCaseload(20, 0.5)]).score,
    ) == (40.0, 2)
    assert ev.caseload_size([SpecialistCaseload(21, 0.5)]).score == 1  # 42 per FTE


def test_recorded_fte_reaches_item_1_and_unrecorded_specialists_count_as_full_time() -> None:
    from ipshub.areakit.records import FidelityInputs

    inputs = FidelityInputs(caseloads=[SpecialistCaseload(12, 1.0, 7), SpecialistCaseload(20, 1.0, 8)])
    rows = {r.number: r for r in er.score_inputs(inputs, START, D(2025, 3, 31), {}, [SpecialistTime(7, 0.5, 90)])}
    assert rows[1].evidence.value == round(32 / 1.5, 1)  # 21.3 → 4
    assert rows[1].evidence.score == 4
    assert "1 without recorded time counted as full time" in rows[1].evidence.basis


# --- Item 2: time on employment services ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "score"),
    [(100, 5), (96, 5), (95.9, 4), (90, 4), (89.9, 3), (75, 3), (74.9, 2), (60, 2), (59.9, 1)],
)
def test_employment_services_cut_points(share: float, score: int) -> None:
    assert ev.employment_services_share([SpecialistTime(1, 1.0, share)], [1]).score == score


def test_employment_services_share_is_weighted_by_fte_over_working_specialists() -> None:
    times = [SpecialistTime(1, 1.0, 100), SpecialistTime(2, 0.5, 70), SpecialistTime(3, 1.0, 0)]  # 3 not working
    e = ev.employment_services_share(times, [1, 2, 4])
    assert e.value == 90.0 and e.score == 4  # (100 + 35) / 1.5
    assert e.figures["specialists_recorded"] == 2 and e.figures["specialists_not_recorded"] == 1
    assert ev.employment_services_share([], [1]).score is None


# --- Items 12 and 14: benefits planning and career profiles around job events -----------------------------


def _percent_events(kind: str, met: int, total: int = 20, **kw: tuple[D, ...]) -> list[JobEvent]:
    day = D(2025, 2, 1)
    if kind == "profile":
        return [JobEvent("start", day, profile_written_on=(day,) if i < met else ()) for i in range(total)]
    return [JobEvent("start", day, benefits_planning_on=(day,) if i < met else ()) for i in range(total)]


PERCENT_CUTS = [(18, 5), (17, 4), (15, 4), (14, 3), (10, 3), (9, 2), (5, 2), (4, 1)]  # of 20: 90 85 75 70 50 45 25 20


@pytest.mark.parametrize(("met", "score"), PERCENT_CUTS)
def test_work_incentives_planning_cut_points(met: int, score: int) -> None:
    assert ev.work_incentives_planning(_percent_events("planning", met)).score == score


@pytest.mark.parametrize(("met", "score"), PERCENT_CUTS)
def test_career_profile_update_cut_points(met: int, score: int) -> None:
    assert ev.career_profile_updates(_percent_events("profile", met), D(2025, 12, 31)).score == score


def test_which_planning_covers_a_start_or_a_change() -> None:
    start = D(2025, 6, 1)
    assert ev.planning_covers(JobEvent("start", start, (start,)))
    assert ev.planning_covers(JobEvent("start", start, (start - datetime.timedelta(days=365),)))
    assert not ev.planning_covers(JobEvent("start", start, (start - datetime.timedelta(days=366),)))
    assert not ev.planning_covers(JobEvent("start", start, (start + datetime.timedelta(days=1),)))
    assert ev.planning_covers(JobEvent("change", start, (start + datetime.timedelta(days=30),)))
    assert ev.planning_covers(JobEvent("change", start, (start - datetime.timedelta(days=30),)))
    assert not ev.planning_covers(JobEvent("change", start, (start - datetime.timedelta(days=31),)))
    events = [JobEvent("start", start, (start,)), JobEvent("change", start), JobEvent("end", start)]
    e = ev.work_incentives_planning(events)  # job ends don't count for item 12
    assert (e.value, e.figures["job_starts"], e.figures["job_changes"]) == (50.0, 1, 1)


def test_a_profile_update_is_due_30_days_after_a_job_start_or_end() -> None:
    day = D(2025, 3, 1)
    updated = JobEvent("end", day, profile_written_on=(day + datetime.timedelta(days=30),))
    late = JobEvent("end", day, profile_written_on=(day + datetime.timedelta(days=31),))
    assert ev.profile_updated(updated, D(2025, 3, 5)) is True
    assert ev.profile_updated(late, D(2025, 3, 30)) is None  # still within its 30 days
    assert ev.profile_updated(late, D(2025, 3, 31)) is False
    e = ev.career_profile_updates([updated, late, JobEvent("change", day)], D(2025, 3, 30))
    assert (e.value, e.figures["job_starts_and_ends"]) == (100.0, 1)
    assert "1 still within their 30 days" in e.basis


# --- Item 15: days to the first employer contact ---------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "score"), [(30, 5), (31, 4), (60, 4), (61, 3), (150, 3), (151, 2), (270, 2), (271, 1)]
)
def test_rapid_job_search_cut_points(days: int, score: int) -> None:
    pair = EntryToEmployerContact(START, START + datetime.timedelta(days=days))
    assert ev.rapid_job_search([pair]).score == score


# --- Item 16: contacts that follow preferences -------------------------------------------------------------


@pytest.mark.parametrize(("met", "score"), PERCENT_CUTS)
def test_individualized_job_search_cut_points(met: int, score: int) -> None:
    contacts = [EmployerContact(1, START, True, i < met) for i in range(20)]
    assert ev.individualized_job_search(contacts, START, START).score == score


def test_contacts_without_the_flag_are_left_out() -> None:
    contacts = [EmployerContact(1, START, True, True), EmployerContact(1, START, False, None)]
    e = ev.individualized_job_search(contacts, START, START)
    assert (e.value, e.figures["contacts_recorded"], e.figures["contacts"]) == (100.0, 1, 2)
    assert ev.individualized_job_search(contacts[1:], START, START).score is None


# --- Item 17: employer contacts per specialist per week ----------------------------------------------------


@pytest.mark.parametrize(
    ("per_week", "score"),
    # the published anchors: under 2 → 1, 2–3 → 2, 4 → 3, 5 → 4, 6 or more → 5
    [(1.9, 1), (2, 2), (2.9, 2), (3, 2), (3.9, 2), (4, 3), (4.9, 3), (5, 4), (5.9, 4), (6, 5)],
)
def test_employer_contact_cut_points(per_week: float, score: int) -> None:
    end = START + datetime.timedelta(days=69)  # ten weeks
    contacts = [EmployerContact(1, START) for _ in range(round(per_week * 10))]
    e = ev.employer_contacts_per_week(contacts, [1], START, end)
    assert (e.value, e.score) == (per_week, score)


# --- Item 24: time in the community --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("community", "score"), [(65, 5), (64, 4), (50, 4), (49, 3), (40, 3), (39, 2), (30, 2), (29, 1)]
)
def test_community_based_cut_points(community: int, score: int) -> None:
    assert ev.community_based_services([], START, START, community, 100 - community).score == score


def test_face_to_face_employer_contacts_count_as_community() -> None:
    contacts = [EmployerContact(1, START), EmployerContact(1, START, face_to_face=False)]
    e = ev.community_based_services(contacts, START, START, 1, 2)
    assert (e.value, e.figures["employer_contacts_face_to_face"]) == (50.0, 1)


# --- Item 25: closures for missed appointments --------------------------------------------------------------


@pytest.mark.parametrize(("disengaged", "score"), [(0, 5), (1, 4), (2, 3), (3, 2), (4, 1)])
def test_engagement_closure_cut_points(disengaged: int, score: int) -> None:
    closures = [Closure(START, i < disengaged) for i in range(10)]
    assert ev.engagement_closures(closures).score == score
    assert ev.engagement_closures([Closure(START, i == 0) for i in range(100)]).score == 4  # 99%


# --- The scale's anchors ----------------------------------------------------------------------------------------


def test_no_anchor_of_the_bundled_scale_is_a_placeholder() -> None:
    data = scales.read_scale()
    for item in data["items"]:
        for score, text in item["anchors"].items():
            assert scales.placeholder_in(str(text)) is None, (item["number"], score)
            assert len(str(text)) > 10, (item["number"], score)
        if item["number"] in er.ITEMS:
            assert len(item["evidence"]["cuts"]) == 4, item["number"]
    checked = {item["number"] for item in data["items"] if item.get("check")}
    assert not checked & {6, 8, 15, 16}  # the anchors completed from the manual


def test_a_scale_file_with_a_placeholder_anchor_is_refused(tmp_path: Path) -> None:
    text = scales.DEFAULT_FILE.read_text(encoding="utf-8").replace(
        '"Four of these five elements are in place."', '"TBD"', 1
    )
    path = tmp_path / "scale.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(scales.ScaleFileError, match="placeholder"):
        scales.read_scale(path)
    assert scales.placeholder_in("…") and scales.placeholder_in("To be checked against the manual")


# --- From the records --------------------------------------------------------------------------------------------

FIRST, LAST = D(2025, 1, 1), D(2025, 3, 31)


@pytest.fixture
def program_records(world: World) -> None:
    """Program P1 in 2025 Q1: two clients of the specialist; one starts a job with planning beforehand and
    a profile update; the other is closed for missed appointments; contacts with and without the flag."""
    p1 = world.programs["p1"]
    a = cf.enroll(world, referred=0)
    b = cf.enroll(world, referred=0)
    for enrollment, day in ((a, D(2024, 11, 1)), (b, D(2024, 11, 2))):
        enrollment.referral_date = day
        enrollment.save(update_fields=["referral_date"])
    employer = cf.employer(world)
    for follows in (True, True, False, None):
        clients.employer_contact_log(
            actor=world.specialist,
            program=p1,
            contacted_on=D(2025, 2, 3),
            purpose="learn",
            employer=employer,
            follows_preferences=follows,
        )
    clients.support_contact_log(
        actor=world.specialist, enrollment=a, contacted_on=D(2025, 2, 4), kind="in_person", setting="office"
    )
    clients.enrollment_close(actor=world.supervisor, enrollment=b, on=D(2025, 3, 1), reason="disengaged")


def test_the_new_records_reach_the_estimate(world: World, program_records: None) -> None:
    p1 = world.programs["p1"]
    SpecialistTimeRecord.objects.create(
        program=p1, specialist=world.specialist, fte=Decimal("0.50"), employment_share=80
    )
    estimate = er.program_estimate(p1, FIRST, LAST, current_scale())
    rows = {r.number: r for r in estimate.rows}
    assert estimate.computed == 13
    assert (rows[1].evidence.value, rows[1].evidence.figures["fte"]) == (2.0, 0.5)  # one client left, half time
    assert (rows[2].evidence.value, rows[2].evidence.score) == (80.0, 3)
    assert (rows[16].evidence.value, rows[16].evidence.figures["contacts_recorded"]) == (66.7, 3)
    # 24: four face-to-face employer contacts in the community, one support contact in the office.
    assert (rows[24].evidence.value, rows[24].evidence.score) == (80.0, 5)
    assert (rows[25].evidence.value, rows[25].evidence.score) == (0.0, 1)
    assert rows[25].anchor == current_scale().items.get(number=25).anchors["1"]
    assert rows[2].anchor.startswith("Specialists spend 75–89%")


# --- The specialists' time: web page and API ---------------------------------------------------------------------


def test_the_supervisor_records_a_specialists_time_on_the_web(client, world: World) -> None:
    p1 = world.programs["p1"]
    url = reverse("fidelity:specialist_time", args=[p1.pk])
    client.force_login(world.supervisor)
    page = client.get(url).content.decode()
    assert "Specialist Tester" in page and "Not recorded (counted as 1.00)" in page
    bad = client.post(url, {"specialist": world.specialist.pk, "fte": "1.5", "employment_share": "101"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert 'value="1.5"' in text and 'value="101"' in text and text.count("usa-error-message") >= 2
    assert client.post(url, {"specialist": "", "fte": "", "employment_share": ""}).status_code == 400
    ok = client.post(url, {"specialist": world.specialist.pk, "fte": "0.6", "employment_share": "90"})
    assert ok.status_code == 302
    time = SpecialistTimeRecord.objects.get(program=p1, specialist=world.specialist)
    assert (time.fte, time.employment_share, time.updated_by) == (Decimal("0.60"), 90, world.supervisor)
    assert AuditEvent.objects.filter(action="fidelity.specialist_time_set", actor=world.supervisor).exists()
    # Someone not a specialist of the program is refused.
    other = client.post(url, {"specialist": world.other_agency_specialist.pk, "fte": "1", "employment_share": "90"})
    assert other.status_code == 400


def test_the_specialists_time_page_for_others(client, world: World) -> None:
    url = reverse("fidelity:specialist_time", args=[world.programs["p1"].pk])
    client.force_login(world.state_lead)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"specialist": world.specialist.pk, "fte": "1", "employment_share": "90"}).status_code == 403
    )
    for name in (*OUTSIDERS, "specialist", "reviewer"):
        client.force_login(world.people[name])
        assert client.get(url).status_code == 404, name


def test_the_contact_form_records_whether_a_contact_follows_preferences(world: World, client) -> None:
    bakery = cf.employer(world)
    client.force_login(world.specialist)
    form = client.get(reverse("clients:contact_add")).content.decode()
    assert "Does this contact follow a job seeker" in form and "Not recorded" in form
    today = datetime.date.today().isoformat()
    for answer, stored in (("yes", True), ("no", False), ("", None)):
        body = {"contacted_on": today, "employer": bakery.pk, "face_to_face": "on", "purpose": "learn"}
        response = client.post(reverse("clients:contact_add"), {**body, "follows_preferences": answer})
        assert response.status_code == 302, answer
        latest = EmployerContactRecord.objects.order_by("-pk").values_list("follows_preferences", flat=True)[0]
        assert latest is stored, answer
    bad = client.post(reverse("clients:contact_add"), {"follows_preferences": "maybe", "purpose": "learn"})
    assert bad.status_code == 400 and "id_follows_preferences_error" in bad.content.decode()
