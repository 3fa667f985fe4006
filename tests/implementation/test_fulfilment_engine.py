"""The reconciler: assignments close with the work, reopen with the reason, come per period, are superseded when
the program moves on; a person's decision stands; confirmations and bulk waivers follow their rules.

The work here comes from a test source (`test.work`) that a responsibility's rule is pointed at, so each rule of
the engine is proved on its own; the areas' real sources have their own tests beside their areas.
"""

import datetime
from html import escape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from ipshub.areakit.hooks import Hooks
from ipshub.areakit.work import Ask, Work, WorkSource
from ipshub.audit.models import AuditEvent
from ipshub.catalog.models import Responsibility
from ipshub.implementation import reasons, services
from ipshub.implementation.fulfilment import assignments_reconcile, periods_between, why
from ipshub.implementation.models import Assignment, ItemStatus, StatusSource
from ipshub.tenancy.models import Phase
from ipshub.tenancy.services import program_change_phase
from tests.area_hooks import with_hooks
from tests.world import World

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)
RECORDS: list[Work] = []
ASKS: list[Ask] = []
SOURCE = WorkSource(
    key="test.work",
    describe="Test records",
    missing="The test record was removed.",
    find=lambda ids, since: [w for w in RECORDS if w.program_id in ids and w.on >= since],
    asks=lambda ids, since: [a for a in ASKS if a.program_id in ids],
)


@pytest.fixture(autouse=True)
def test_source():
    RECORDS.clear()
    ASKS.clear()
    with with_hooks(Hooks(work_sources=(SOURCE,))):
        yield


def rule(key: str, **changes: object) -> Responsibility:
    item = Responsibility.objects.get(version__is_current=True, key=key)
    item.fulfilment = {**item.fulfilment, "by": ["test.work"], **changes}
    item.save(update_fields=["fulfilment"])
    return item


def work(program_id: int, on: datetime.date, n: int = 1, parties: frozenset[str] | None = None) -> Work:
    found = Work(program_id, "test", n, f"/test/{n}/", on, label=f"Test record {n}", parties=parties)
    RECORDS.append(found)
    return found


def one(program, key: str, period_key: str = "") -> Assignment:
    return Assignment.objects.get(program=program, responsibility__key=key, period_key=period_key)


def test_periods_follow_the_calendar() -> None:
    quarters = periods_between("quarter", datetime.date(2025, 11, 15), datetime.date(2026, 2, 1))
    assert [(p.key, p.start, p.end) for p in quarters] == [
        ("2025-Q4", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("2026-Q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ]
    months = periods_between("month", datetime.date(2024, 2, 10), datetime.date(2024, 3, 1))
    assert [(p.key, p.end) for p in months] == [
        ("2024-02", datetime.date(2024, 2, 29)),
        ("2024-03", datetime.date(2024, 3, 31)),
    ]
    assert [p.key for p in periods_between("year", datetime.date(2025, 6, 1), datetime.date(2026, 1, 1))] == [
        "2025",
        "2026",
    ]


def test_a_one_time_duty_closes_with_its_work_and_reopens_with_the_reason(world: World) -> None:
    program = world.programs["p1"]
    rule("R-PRI-ST-01")
    assignments_reconcile([program.pk], TODAY)
    item = one(program, "R-PRI-ST-01")
    assert item.status == ItemStatus.NOT_STARTED and item.fulfilled_by == []
    assert "Open because nothing that fulfils it is recorded" in why(item, TODAY)
    record = work(program.pk, datetime.date(2025, 2, 3))
    assignments_reconcile([program.pk], TODAY)
    item.refresh_from_db()
    assert (item.status, item.status_source, item.completed_on) == ("done", "work", datetime.date(2025, 2, 3))
    assert item.fulfilled_by == [record.as_link()]
    assert AuditEvent.objects.filter(action="implementation.assignments_reconcile", object_id=str(program.pk)).exists()
    RECORDS.clear()
    assignments_reconcile([program.pk], TODAY)
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED and item.fulfilled_by == [] and item.completed_on is None
    assert item.status_reason == "Reopened on December 6, 2026: The test record was removed."
    # Each reader sees it in their language (the test source's own text has no translation: as written).
    assert item.status_why["message"] == reasons.REOPENED_MISSING
    with translation.override("es"):
        assert item.reason_text == "Reabierta el 6 de diciembre de 2026: The test record was removed."
        assert why(item, TODAY) == item.reason_text


def test_recurring_duties_come_per_period_over_the_last_year_and_only_a_missing_past_period_is_overdue(
    world: World,
) -> None:
    program = world.programs["p1"]
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=datetime.date(2025, 2, 1),
        reason="Kick-off",
        is_override=True,
    )
    rule("R-IMP-MH-02", period="quarter", party_present=None)
    work(program.pk, datetime.date(2026, 8, 20))  # in 2026 Q3
    assignments_reconcile([program.pk], TODAY)
    quarters = {
        a.period_key: a
        for a in Assignment.objects.filter(program=program, responsibility__key="R-IMP-MH-02").order_by("period_start")
    }
    # From a year before today (the phase began earlier), to the quarter containing today.
    assert list(quarters) == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert quarters["2026-Q3"].status == "done" and quarters["2026-Q3"].fulfilled_by[0]["id"] == 1
    assert quarters["2026-Q2"].is_overdue(TODAY)  # its quarter ended with nothing recorded
    assert quarters["2026-Q2"].due_on == datetime.date(2026, 6, 30)
    assert not quarters["2026-Q4"].is_overdue(TODAY)  # still in its quarter
    # A grace period moves the due date past the period's end.
    rule("R-IMP-MH-02", period="quarter", party_present=None, grace_days=30)
    Assignment.objects.filter(program=program, responsibility__key="R-IMP-MH-02").delete()
    assignments_reconcile([program.pk], TODAY)
    assert one(program, "R-IMP-MH-02", "2026-Q3").due_on == datetime.date(2026, 10, 30)


def test_work_must_show_the_party_the_rule_asks_for(world: World) -> None:
    program = world.programs["p1"]
    rule("R-PRI-DVR-01", party_present="self")
    work(program.pk, datetime.date(2025, 2, 3), parties=frozenset({"mh_agency", "state_team"}))
    assignments_reconcile([program.pk], TODAY)
    assert one(program, "R-PRI-DVR-01").status == ItemStatus.NOT_STARTED
    work(program.pk, datetime.date(2025, 3, 3), n=2, parties=frozenset({"dvr", "mh_agency"}))
    assignments_reconcile([program.pk], TODAY)
    done = one(program, "R-PRI-DVR-01")
    assert done.status == "done" and [link["id"] for link in done.fulfilled_by] == [2]


def test_a_duty_due_when_asked_waits_for_a_question(world: World) -> None:
    program = world.programs["p1"]
    rule("R-PRI-ST-02", when_asked=True)
    assignments_reconcile([program.pk], TODAY)
    quiet = one(program, "R-PRI-ST-02")
    assert quiet.status == ItemStatus.NOT_APPLICABLE and quiet.status_source == StatusSource.PRODUCT
    assert "Nothing has been asked" in quiet.status_reason
    ask = Ask(program.pk, "data_request", 7, "/ask/7/", datetime.date(2026, 11, 20), datetime.date(2026, 12, 1))
    ASKS.append(ask)
    assignments_reconcile([program.pk], TODAY)
    waiting = one(program, "R-PRI-ST-02")
    assert waiting.status == ItemStatus.NOT_STARTED and waiting.due_on == datetime.date(2026, 12, 1)
    assert waiting.is_overdue(TODAY)
    answer = Work(program.pk, "data_answer", 9, "/answer/9/", datetime.date(2026, 12, 2))
    ASKS[0] = Ask(**{**ask.__dict__, "answer": answer})
    assignments_reconcile([program.pk], TODAY)
    answered = one(program, "R-PRI-ST-02")
    assert answered.status == "done" and answered.fulfilled_by == [answer.as_link()]


def test_moving_on_supersedes_what_no_longer_applies_and_moving_back_reopens_it(world: World) -> None:
    program = world.programs["p1"]
    rule("R-PRI-MH-02")
    work(program.pk, datetime.date(2025, 1, 20))
    assignments_reconcile([program.pk], TODAY)
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.IMPLEMENTATION,
        effective_on=datetime.date(2025, 3, 1),
        reason="Kick-off",
        is_override=True,
    )
    assignments_reconcile([program.pk], TODAY)
    left = one(program, "R-PRI-EP-02")
    assert left.status == ItemStatus.SUPERSEDED and left.status_source == StatusSource.PRODUCT
    assert "moved to “Implementation” on March 1, 2025" in left.status_reason
    with translation.override("es"):
        assert left.reason_text == (
            "Sustituida: el programa pasó a «Implementación» el 1 de marzo de 2025, así que esta tarea de "
            "«Antes de la implementación» ya no se aplica."
        )
    assert one(program, "R-PRI-MH-02").status == "done"  # its work exists: done, not superseded
    program_change_phase(
        actor=world.state_lead,
        program=program,
        to_phase=Phase.PRIOR,
        effective_on=datetime.date(2025, 3, 10),
        reason="Entered by mistake",
        is_override=True,
    )
    assignments_reconcile([program.pk], TODAY)
    back = one(program, "R-PRI-EP-02")
    assert back.status == ItemStatus.NOT_STARTED and back.status_reason == ""


def test_a_persons_decision_stands_and_needs_a_note(world: World) -> None:
    program = world.programs["p1"]
    rule("R-PRI-MH-02")
    assignments_reconcile([program.pk], TODAY)
    item = one(program, "R-PRI-MH-02")
    with pytest.raises(ValidationError) as refused:
        services.assignment_update(actor=world.director, assignment=item, status="done", due_on=item.due_on)
    assert "Say in a comment why" in str(refused.value)
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED
    services.assignment_update(
        actor=world.director, assignment=item, status="done", due_on=item.due_on, comment="Met the DVR director."
    )
    assignments_reconcile([program.pk], TODAY)
    item.refresh_from_db()
    assert (item.status, item.status_source) == ("done", "person")
    assert "Met the DVR director." in item.status_reason
    # Reopened by hand, the work decides again.
    services.assignment_update(actor=world.director, assignment=item, status="not_started", due_on=item.due_on)
    work(program.pk, datetime.date(2025, 2, 1))
    assignments_reconcile([program.pk], TODAY)
    item.refresh_from_db()
    assert (item.status, item.status_source) == ("done", "work")


def test_only_the_responsible_party_confirms_a_confirmation_duty(world: World) -> None:
    program = world.programs["p1"]
    item = Responsibility.objects.get(version__is_current=True, key="R-PRI-MH-06")
    item.fulfilment = {**item.fulfilment, "kind": "confirmation", "by": []}
    item.save(update_fields=["fulfilment"])
    assignments_reconcile([program.pk], TODAY)
    duty = one(program, "R-PRI-MH-06")
    assert "confirms it" in why(duty, TODAY)
    with pytest.raises(ValidationError) as refused:
        services.assignment_update(
            actor=world.state_lead, assignment=duty, status="done", due_on=duty.due_on, comment="Done, I think."
        )
    assert "Only a person of A Pine County Human Services can confirm" in str(refused.value)
    duty.refresh_from_db()
    assert duty.status == ItemStatus.NOT_STARTED
    services.assignment_update(
        actor=world.director, assignment=duty, status="done", due_on=duty.due_on, comment="Baseline agreed on May 3."
    )
    duty.refresh_from_db()
    assert (duty.status, duty.status_source) == ("done", "person")


def test_a_state_lead_waives_and_restores_in_bulk_with_a_reason(world: World) -> None:
    program = world.programs["p1"]
    assignments_reconcile([program.pk], TODAY)
    chosen = list(Assignment.objects.filter(program=program, party_key="dvr"))
    with pytest.raises(ValidationError) as refused:
        services.assignments_bulk_set(actor=world.state_lead, assignments=chosen, action="waive", reason="  ")
    assert "Give the reason" in str(refused.value)
    assert not Assignment.objects.filter(program=program, status=ItemStatus.NOT_APPLICABLE).exists()
    with pytest.raises(PermissionDenied):
        services.assignments_bulk_set(actor=world.director, assignments=chosen, action="waive", reason="No DVR here")
    with pytest.raises(PermissionDenied):
        services.assignments_bulk_set(
            actor=world.other_state_lead, assignments=chosen, action="waive", reason="No DVR here"
        )
    changed = services.assignments_bulk_set(
        actor=world.state_lead, assignments=chosen, action="waive", reason="The DVR office closed in 2025."
    )
    assert changed == len(chosen) == 4
    assignments_reconcile([program.pk], TODAY)
    for item in Assignment.objects.filter(program=program, party_key="dvr"):
        assert (item.status, item.status_source) == ("not_applicable", "person")
        assert item.status_reason.endswith("The DVR office closed in 2025.")
        with translation.override("es"):  # the person's reason as typed, the rest in the reader's language
            assert item.reason_text.startswith(f"Dispensada por {world.state_lead} el ")
            assert item.reason_text.endswith(": The DVR office closed in 2025.")
    event = AuditEvent.objects.get(action="implementation.assignments_waive")
    assert sorted(event.detail["assignments"]) == sorted(a.pk for a in chosen)
    services.assignments_bulk_set(actor=world.state_lead, assignments=chosen, action="retire", reason="Retired.")
    assert set(Assignment.objects.filter(program=program, party_key="dvr").values_list("status", flat=True)) == {
        "superseded"
    }
    services.assignments_bulk_set(actor=world.state_lead, assignments=chosen, action="restore")
    assignments_reconcile([program.pk], TODAY)
    assert set(Assignment.objects.filter(program=program, party_key="dvr").values_list("status", flat=True)) == {
        "not_started"
    }


def test_the_bulk_form_without_a_reason_keeps_the_choice_and_says_why(world: World, client_for) -> None:
    program = world.programs["p1"]
    assignments_reconcile([program.pk], TODAY)
    ids = list(Assignment.objects.filter(program=program, party_key="dvr").values_list("pk", flat=True))
    url = reverse("implementation:assignments_bulk", args=[program.pk])
    response = client_for(world.state_lead).post(url, {"action": "waive", "reason": "", "chosen": ids})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reason" in page and 'value="waive" selected' in page
    assert not Assignment.objects.filter(program=program, status="not_applicable").exists()
    assert client_for(world.director).post(url, {"action": "waive", "reason": "x", "chosen": ids}).status_code == 403
    outsider = client_for(world.other_state_lead).post(url, {"action": "waive", "reason": "x", "chosen": ids})
    assert outsider.status_code == 404
    ok = client_for(world.state_lead).post(url, {"action": "waive", "reason": "No DVR office yet.", "chosen": ids})
    assert ok.status_code == 302
    assert Assignment.objects.filter(program=program, status="not_applicable").count() == len(ids)


def test_the_assignment_page_says_how_it_is_fulfilled_by_what_and_why(world: World, client_for) -> None:
    program = world.programs["p1"]
    rule("R-PRI-ST-01")
    work(program.pk, datetime.date(2025, 2, 3))
    assignments_reconcile([program.pk], TODAY)
    item = one(program, "R-PRI-ST-01")
    page = client_for(world.director).get(reverse("implementation:assignment", args=[item.pk])).content.decode()
    assert "How IPS Hub knows it is done" in page and escape(item.responsibility.fulfilment["describe"]) in page
    assert 'href="/test/1/"' in page and "Closed by itself" in page
    assert (
        client_for(world.other_agency_director).get(reverse("implementation:assignment", args=[item.pk])).status_code
        == 404
    )
    assert (
        client_for(world.other_state_lead).get(reverse("implementation:assignment", args=[item.pk])).status_code == 404
    )


def test_an_open_assignment_links_to_where_its_work_is_recorded(world: World, client_for) -> None:
    program = world.programs["p1"]
    assignments_reconcile([program.pk], TODAY)
    item = one(program, "R-PRI-MH-02")  # fulfilled by a readiness assessment
    page = client_for(world.director).get(reverse("implementation:assignment", args=[item.pk])).content.decode()
    assert "Record the work" in page
    assert f'href="{reverse("implementation:readiness_list", args=[program.pk])}"' in page


def test_a_keyed_reconcile_looks_only_at_the_duties_of_those_sources(world: World) -> None:
    program = world.programs["p1"]
    rule("R-PRI-ST-01")
    rule("R-PRI-MH-02")
    assignments_reconcile([program.pk], TODAY)
    work(program.pk, datetime.date(2025, 2, 3))
    rule("R-PRI-MH-02", by=["another.source"])
    # Only the duties fed by test.work are judged: R-PRI-MH-02 now names another source and stays as it was.
    assignments_reconcile([program.pk], TODAY, keys=frozenset({"test.work"}))
    assert one(program, "R-PRI-ST-01").status == "done"
    rule("R-PRI-MH-02")
    assert one(program, "R-PRI-MH-02").status == "not_started"
    assignments_reconcile([program.pk], TODAY, keys=frozenset({"test.work"}))
    assert one(program, "R-PRI-MH-02").status == "done"


def test_a_reopened_duty_quotes_the_missing_work_in_the_readers_language(world: World) -> None:
    """The areas' "missing" texts are translated (collected by extract-messages from the work sources)."""
    reason = reasons.Reason(
        reasons.REOPENED_MISSING, {"on": TODAY, "missing": {"texts": ["The fidelity review was cancelled."]}}
    )
    assert reason.english() == "Reopened on December 6, 2026: The fidelity review was cancelled."
    with translation.override("es"):
        assert (
            reasons.text_of(reason.as_parts(), "")
            == "Reabierta el 6 de diciembre de 2026: La evaluación de fidelidad se canceló."
        )
    assert reasons.text_of({}, "Typed by a person") == "Typed by a person"
    assert any(text == "The fidelity review was cancelled." for text, _where in reasons.work_messages())
