"""What the client records and the fidelity reviews hand to outcomes' peer percentiles and early warning
(issue #23): the `program_activity` and `fidelity_totals` hooks, on a few known records."""

import datetime

import pytest

from ipshub.areakit import hooks
from ipshub.clients.models import ContactPurpose, EmployerContact
from tests.clients.factories import days_ago, employer, enroll
from tests.fidelity.factories import delivered_review

pytestmark = pytest.mark.django_db


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def test_activity_counts_contacts_specialists_caseload_and_days_to_first_contact(world) -> None:
    enrollment = enroll(world, referred=40)
    cedar = employer(world)
    for after, face_to_face in ((9, False), (12, True), (20, True)):
        EmployerContact.objects.create(
            program=world.programs["p1"],
            employer=cedar,
            specialist=world.specialist,
            enrollment=enrollment,
            contacted_on=enrollment.referral_date + datetime.timedelta(days=after),
            face_to_face=face_to_face,
            purpose=ContactPurpose.CLIENT,
        )
    rows = hooks.program_activity(None, enrollment.referral_date, days_ago(0))
    ours = [row for row in rows if row.program_id == world.programs["p1"].pk]
    # (A quarter may begin between the referral and today: add the quarters up.)
    assert {(row.year, row.quarter) for row in ours} <= {_quarter_of(days_ago(40)), _quarter_of(days_ago(0))}
    assert sum(row.employer_contacts for row in ours) == 2  # the phone call is not counted
    assert sum(row.new_clients for row in ours) == 1
    assert sum(row.with_first_contact for row in ours) == 1
    assert sum(row.days_to_first_contact for row in ours) == 12  # the first face-to-face contact
    last = next(row for row in ours if (row.year, row.quarter) == _quarter_of(days_ago(0)))
    assert (last.specialists, last.caseload) == (1, 1)  # open on the (partial) quarter's last day
    # Asked for one program only, another's records stay out.
    assert hooks.program_activity([world.programs["p2"].pk], enrollment.referral_date, days_ago(0)) == []


def test_the_fidelity_total_is_the_last_delivered_reviews(world) -> None:
    delivered_review(world)
    totals = hooks.fidelity_totals([world.programs["p1"].pk])
    assert totals[world.programs["p1"].pk].total == 93
    assert hooks.fidelity_totals([world.programs["p2"].pk]) == {}
