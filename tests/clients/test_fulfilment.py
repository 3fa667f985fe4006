"""Career profiles, employer contacts and DVR cases close the duties they fulfil (clients/work.py), through
the service functions that write them; a DVR case whose dates are cleared reopens its duty with the reason."""

import datetime

import pytest
from django.urls import reverse

from ipshub.clients import services, work
from ipshub.clients.models import DvrCase
from ipshub.implementation.fulfilment import assignments_reconcile
from ipshub.implementation.models import ItemStatus, StatusSource
from tests.clients.factories import employer, enroll
from tests.dvr.factories import shared_client
from tests.fulfilment_checks import assignment, committed, links, month_key, quarter_key, today
from tests.implementation.helpers import to_ongoing

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(2000, 1, 1)


@pytest.fixture
def ongoing(world):
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    assignments_reconcile([program.pk])
    return program


def test_a_career_profile_closes_the_quarters_duty_with_its_link(
    world, ongoing, django_capture_on_commit_callbacks
) -> None:
    enrollment = enroll(world)
    day = today()
    assert assignment(ongoing, "R-ONG-EP-01", quarter_key(day)).is_open
    with committed(django_capture_on_commit_callbacks):
        profile = services.career_profile_write(
            actor=world.specialist, enrollment=enrollment, preferences="Mornings, near the bus line."
        )
    found = assignment(ongoing, "R-ONG-EP-01", quarter_key(day))
    assert (found.status, found.status_source, found.completed_on) == (ItemStatus.DONE, StatusSource.WORK, day)
    url = reverse("clients:record_profile", kwargs={"enrollment_id": enrollment.pk})
    assert links(found) == [{"kind": "career_profile", "id": profile.pk, "url": url, "on": day.isoformat()}]
    assert world.people["other_agency_specialist"].first_name not in found.fulfilled_by[0]["label"]
    # A second version the same month adds nothing: one record per program and month is enough.
    services.career_profile_write(
        actor=world.specialist, enrollment=enrollment, preferences="Afternoons.", expected_version=1
    )
    p1, p2, pb = (world.programs[k].pk for k in ("p1", "p2", "pb"))
    assert [w.id for w in work.career_profiles([p1, p2, pb], LONG_AGO)] == [profile.pk]
    assert list(work.career_profiles([p2, pb], LONG_AGO)) == []  # other programs' sources see nothing of P1


def test_an_employer_contact_closes_the_months_duty_with_the_first_contact(
    world, ongoing, django_capture_on_commit_callbacks
) -> None:
    day = today()
    bakery = employer(world)
    assert assignment(ongoing, "R-ONG-EP-02", month_key(day)).is_open
    with committed(django_capture_on_commit_callbacks):
        first = services.employer_contact_log(
            actor=world.specialist,
            program=ongoing,
            employer=bakery,
            contacted_on=day.replace(day=1),
            purpose="introduce",
        )
    found = assignment(ongoing, "R-ONG-EP-02", month_key(day))
    assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK)
    url = reverse("clients:employer_detail", kwargs={"employer_id": bakery.pk})
    assert links(found) == [
        {"kind": "employer_contact", "id": first.pk, "url": url, "on": day.replace(day=1).isoformat()}
    ]
    assert found.fulfilled_by[0]["label"].startswith("Employer contact with Cedar Bakery")
    services.employer_contact_log(
        actor=world.specialist, program=ongoing, employer=bakery, contacted_on=day, purpose="follow_up"
    )
    p1, p2, pb = (world.programs[k].pk for k in ("p1", "p2", "pb"))
    assert [w.id for w in work.employer_contacts([p1, p2, pb], LONG_AGO)] == [first.pk]
    assert list(work.employer_contacts([p2, pb], LONG_AGO)) == []


def _save_case(world, enrollment, **dates) -> DvrCase:
    case = DvrCase.objects.filter(enrollment=enrollment).first()
    values = {
        "referred_on": None,
        "applied_on": None,
        "eligibility": DvrCase.Eligibility.PENDING,
        "eligibility_on": None,
        "plan_started_on": None,
        "plan_ends_on": None,
        **dates,
    }
    return services.dvr_case_save(
        actor=world.counselor,
        enrollment=enrollment,
        dvr_office=world.orgs["dvr1"],
        counselor=world.counselor,
        expected_version=case.version if case else 0,
        **values,
    )


def test_a_dvr_case_opened_closes_the_quarters_duty_and_clearing_it_reopens_it(
    world, ongoing, django_capture_on_commit_callbacks
) -> None:
    day = today()
    enrollment = shared_client(world)
    key = quarter_key(day)
    assert assignment(ongoing, "R-ONG-DVR-01", key).is_open
    with committed(django_capture_on_commit_callbacks):
        case = _save_case(world, enrollment, referred_on=day, applied_on=day)
    found = assignment(ongoing, "R-ONG-DVR-01", key)
    assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK)
    url = reverse("clients:record_dvr", kwargs={"enrollment_id": enrollment.pk})
    assert links(found) == [{"kind": "dvr_case", "id": case.pk, "url": url, "on": day.isoformat()}]
    assert found.fulfilled_by[0]["label"].startswith("DVR case opened")

    # The application date was entered by mistake: cleared, the duty is open again and says why.
    with committed(django_capture_on_commit_callbacks):
        _save_case(world, enrollment, referred_on=day)
    found = assignment(ongoing, "R-ONG-DVR-01", key)
    assert found.is_open and found.fulfilled_by == []
    assert "No DVR case is now opened or decided in this period" in found.status_reason

    # The eligibility decision fulfils it too.
    with committed(django_capture_on_commit_callbacks):
        _save_case(world, enrollment, referred_on=day, eligibility=DvrCase.Eligibility.ELIGIBLE, eligibility_on=day)
    found = assignment(ongoing, "R-ONG-DVR-01", key)
    assert found.status == ItemStatus.DONE
    assert found.fulfilled_by[0]["label"].startswith("DVR eligibility decided (eligible)")
    p2, pb = world.programs["p2"].pk, world.programs["pb"].pk
    assert list(work.dvr_cases([p2, pb], LONG_AGO)) == []
    assert [w.id for w in work.dvr_cases([ongoing.pk, p2], LONG_AGO)] == [case.pk]
